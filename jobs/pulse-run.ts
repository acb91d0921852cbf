import { z } from "zod";
import { AppError } from "../src/errors.ts";
import { runBatch } from "../src/pulse/engine/batch.ts";
import { pulseDepsFromJob } from "../src/pulse/engine/job-deps.ts";
import { logSkip } from "../src/pulse/engine/run.ts";
import { defineJob } from "../src/queue/job.ts";

const run = z.strictObject({
	monitorId: z.uuid(),
	scheduledFor: z.iso.datetime({ offset: true }),
	missedTicks: z.int().min(0).default(0),
});

const RETRY_LIMIT = 2;

/**
 * Runs one batch of monitor ticks (see src/pulse/engine/batch.ts). Idempotent: a retried batch
 * skips the ticks it already accounted for (the execution log is unique per monitor and tick).
 * Runs that failed for a reason a retry can fix fail the job so pg-boss retries it; on the last
 * attempt, and for any other failure, the tick is logged as skipped with the error, so no tick
 * goes unaccounted. A job queued before batches existed carries one run, and is accepted.
 */
export const pulseRun = defineJob({
	name: "pulse-run",
	routine: true,
	description: "Run one batch of Pulse monitor ticks",
	schema: z.union([
		z.strictObject({ runs: z.array(run).min(1).max(500) }),
		run.transform((r) => ({ runs: [r] })),
	]),
	queue: {
		policy: "standard",
		expireInSeconds: 900,
		retryLimit: RETRY_LIMIT,
		retryDelay: 2,
		retryBackoff: true,
	},
	work: { localConcurrency: 2 },
	async handler(data, ctx) {
		const deps = pulseDepsFromJob(ctx);
		const runs = data.runs.map((r) => ({
			monitorId: r.monitorId,
			scheduledFor: new Date(r.scheduledFor),
			missedTicks: r.missedTicks,
		}));
		const outcome = await runBatch(deps, runs, { signal: ctx.signal });
		const lastAttempt = ctx.attempt > RETRY_LIMIT;
		const retry = outcome.failures.filter((f) => f.retryable && !lastAttempt);
		for (const f of outcome.failures) {
			if (retry.includes(f) || f.error === "the monitor no longer exists")
				continue;
			const r = runs.find((x) => x.monitorId === f.monitorId);
			if (r)
				await logSkip(
					deps,
					{ id: f.monitorId, query_version: null },
					r.scheduledFor,
					new Date(),
					`could not run: ${f.error}`,
				);
		}
		const ran = outcome.results.filter((r) => !r.skipped).length;
		const skipped = outcome.results.filter((r) => r.skipLogged).length;
		const unstarted =
			runs.length - outcome.results.length - outcome.failures.length;
		if (retry.length > 0 || unstarted > 0)
			throw new AppError(
				"job_failed",
				`${retry.length + unstarted} of ${runs.length} monitor runs did not finish (${retry[0]?.error ?? "stopped"}); retrying the batch`,
				{ retryable: true },
			);
		return {
			runs: runs.length,
			ran,
			skipped,
			alreadyRan: outcome.results.length - ran - skipped,
			seriesReads: outcome.seriesReads,
		};
	},
});
