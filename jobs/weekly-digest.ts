import { z } from "zod";
import { sendDigest } from "../src/digest/send.ts";
import { defineJob } from "../src/queue/job.ts";

/**
 * The weekly digest (cron `schedules.weekly-digest`, Monday 08:00 in timeZone by default): the
 * last complete week's KPIs, movers, alerts and inventory at risk, with a revenue chart, queued in
 * the outbox for `digest.channels` — or a short "skipped: the data is stale" note. Idempotent: the
 * delivery is keyed by the week, so a retried job queues it once.
 */
export const weeklyDigest = defineJob({
	name: "weekly-digest",
	description:
		"Queue the weekly digest (or a stale-data note) for the digest channels",
	schema: z.strictObject({
		/** ISO date-time the digest is "as of"; default now. */
		asOf: z.iso.datetime().optional(),
	}),
	queue: {
		policy: "singleton",
		expireInSeconds: 900,
		retryLimit: 3,
		retryDelay: 120,
		retryBackoff: true,
	},
	sql: ["pulse/delivery-insert"],
	async handler(data, { pool, sql, config, catalog, log }) {
		const result = await sendDigest(pool, sql, config, {
			asOf: data.asOf ? new Date(data.asOf) : new Date(),
			log,
			catalog,
		});
		log.info(
			result,
			result.stale ? "digest skipped: data not fresh" : "digest queued",
		);
		return result;
	},
});
