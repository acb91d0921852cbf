import { z } from "zod";
import { pulseDepsFromJob } from "../src/pulse/engine/job-deps.ts";
import { runMonitor } from "../src/pulse/engine/run.ts";
import { defineJob } from "../src/queue/job.ts";

/**
 * Runs one monitor for one scheduler tick (see src/pulse/engine/run.ts). Idempotent: a retried
 * or doubled job for a tick that already ran is skipped (the execution log is unique per
 * monitor and tick). One queued and one active job per monitor (stately + singletonKey).
 */
export const pulseRun = defineJob({
	name: "pulse-run",
	description: "Run one Pulse monitor for one scheduler tick",
	schema: z.strictObject({
		monitorId: z.uuid(),
		scheduledFor: z.iso.datetime({ offset: true }),
	}),
	queue: {
		policy: "stately",
		expireInSeconds: 900,
		retryLimit: 2,
		retryDelay: 30,
		retryBackoff: true,
	},
	work: { localConcurrency: 4 },
	async handler(data, ctx) {
		const result = await runMonitor(pulseDepsFromJob(ctx), data.monitorId, {
			scheduledFor: new Date(data.scheduledFor),
		});
		return {
			skipped: result.skipped ?? null,
			breached: result.evaluation?.breached ?? null,
			error: result.error,
			actions: result.actions.map((a) => a.type),
			paused: result.paused,
		};
	},
});
