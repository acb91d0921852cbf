import { z } from "zod";
import { drainOutbox } from "../src/chat/outbox.ts";
import { defineJob } from "../src/queue/job.ts";

/**
 * Sends due outbox deliveries through the channel adapters (see src/chat/outbox.ts for the
 * never-post-twice protocol). The bot's poller queues it when something is due; the
 * `exclusive` policy keeps at most one queued-or-running, so processes never race to send.
 * The handler's own retries live in the deliveries rows, so the job itself is not retried.
 */
export const deliver = defineJob({
	name: "deliver",
	description:
		"Send due chat deliveries (outbox) with retries, Retry-After and dead-lettering",
	schema: z.strictObject({}),
	queue: { policy: "exclusive", expireInSeconds: 600, retryLimit: 0 },
	work: { pollingIntervalSeconds: 0.5 },
	async handler(_data, { pool, config, chat, log, signal }) {
		if (!chat) {
			log.warn(
				"no chat channels are wired into the job runner; deliveries wait",
			);
			return { skipped: true };
		}
		const outcomes = await drainOutbox(
			{
				pool,
				channels: chat.channels,
				render: chat.render,
				log,
				maxAttempts: config.chat.delivery.maxAttempts,
			},
			{ limit: 500, signal },
		);
		const counts: Record<string, number> = {};
		for (const o of outcomes.values()) counts[o] = (counts[o] ?? 0) + 1;
		if (outcomes.size > 0) log.info({ counts }, "outbox drained");
		return { counts };
	},
});
