import { z } from "zod";
import { pulseDepsFromJob } from "../src/pulse/engine/job-deps.ts";
import { claimDueMonitors } from "../src/pulse/engine/tick.ts";
import { defineJob } from "../src/queue/job.ts";

/**
 * Every minute (schedules.pulse-tick): claims the monitors that are due and sends one pulse-run
 * job per monitor. Claiming moves next_run on atomically, so ticks of several bot processes never
 * hand the same monitor out twice; a retried tick finds nothing left to claim.
 */
export const pulseTick = defineJob({
	name: "pulse-tick",
	description: "Claim due Pulse monitors and queue one run for each",
	schema: z.strictObject({}),
	queue: { policy: "singleton", expireInSeconds: 120, retryLimit: 0 },
	async handler(_data, ctx) {
		const deps = pulseDepsFromJob(ctx);
		const claimed = await claimDueMonitors(deps, new Date());
		const jobs = claimed.map((c) => ({
			data: {
				monitorId: c.monitorId,
				scheduledFor: c.scheduledFor.toISOString(),
			},
			singletonKey: c.monitorId,
		}));
		const sent = ctx.sendMany
			? await ctx.sendMany("pulse-run", jobs)
			: (
					await Promise.all(
						jobs.map((j) =>
							ctx.send("pulse-run", j.data, { singletonKey: j.singletonKey }),
						),
					)
				).filter(Boolean).length;
		ctx.log.info({ claimed: claimed.length, sent }, "pulse tick");
		return { claimed: claimed.length, sent };
	},
});
