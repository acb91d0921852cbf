import { z } from "zod";
import { pulseDepsFromJob } from "../src/pulse/engine/job-deps.ts";
import { batchRuns, claimDueMonitors } from "../src/pulse/engine/tick.ts";
import { defineJob } from "../src/queue/job.ts";

/**
 * Every minute (schedules.pulse-tick): claims the monitors that are due and queues their runs in
 * batches (monitors reading the same series together), in one transaction with the claim: a
 * claimed tick always has a queued run. Claiming moves next_run on atomically, so ticks of
 * several bot processes never hand the same monitor out twice; a retried tick finds nothing
 * left to claim.
 */
export const pulseTick = defineJob({
	name: "pulse-tick",
	routine: true,
	description: "Claim due Pulse monitors and queue their runs in batches",
	schema: z.strictObject({}),
	queue: { policy: "singleton", expireInSeconds: 120, retryLimit: 0 },
	work: { pollingIntervalSeconds: 0.5 },
	async handler(_data, ctx) {
		const deps = pulseDepsFromJob(ctx);
		const now = new Date();
		const client = await ctx.pool.connect();
		try {
			await client.query("begin");
			const claimed = await claimDueMonitors(deps, now, { db: client });
			const batches = batchRuns(claimed).map((b) => ({
				data: {
					runs: b.map((c) => ({
						monitorId: c.monitorId,
						scheduledFor: c.scheduledFor.toISOString(),
						missedTicks: c.skipped,
					})),
				},
			}));
			const sent = ctx.sendMany
				? await ctx.sendMany("pulse-run", batches, { db: client })
				: (
						await Promise.all(batches.map((b) => ctx.send("pulse-run", b.data)))
					).filter(Boolean).length;
			await client.query("commit");
			const missed = claimed.reduce((n, c) => n + c.skipped, 0);
			// A tick that found nothing due is the clock, not news.
			ctx.log[claimed.length > 0 || missed > 0 ? "info" : "debug"](
				{ claimed: claimed.length, batches: sent, missed },
				"pulse tick",
			);
			return { claimed: claimed.length, batches: sent, missed };
		} catch (err) {
			await client.query("rollback").catch(() => {});
			throw err;
		} finally {
			client.release();
		}
	},
});
