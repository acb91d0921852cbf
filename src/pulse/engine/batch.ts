/**
 * A batch of scheduled runs, as one pulse-run job carries them. The monitors' rows are read in
 * one statement, and every metric series is read once per batch however many monitors ask for
 * it (the tick puts monitors that share a series in the same batch). Each run then stores its
 * results in its own short transaction (run.ts), so one monitor's failure or a crash mid-batch
 * costs only that monitor's run: a retried batch skips the ticks already accounted for.
 */
import { errorMessage, isTransient } from "../../errors.ts";
import type { PulseDeps } from "./deps.ts";
import { directReader, memoReader } from "./metric-input.ts";
import type { MonitorRow } from "./records.ts";
import { type RunResult, runMonitor } from "./run.ts";

/** One claimed tick of one monitor. */
export interface BatchRun {
	monitorId: string;
	scheduledFor: Date;
	/** Earlier ticks folded into this one (no bot process ran at their time). */
	missedTicks: number;
}

export interface BatchOutcome {
	results: RunResult[];
	/** Monitors the batch could not run at all (deleted since the tick, or an error). */
	failures: { monitorId: string; error: string; retryable: boolean }[];
	/** Distinct series read from the warehouse. */
	seriesReads: number;
}

/** Runs a batch in order; stops starting runs once `signal` aborts (the rest are retried). */
export async function runBatch(
	deps: PulseDeps,
	runs: readonly BatchRun[],
	opts: { now?: Date; signal?: AbortSignal } = {},
): Promise<BatchOutcome> {
	const { rows } = await deps.pool.query<MonitorRow>(
		deps.sql.get("pulse/monitors-by-id"),
		[runs.map((r) => r.monitorId)],
	);
	const byId = new Map(rows.map((r) => [r.id, r]));
	const read = memoReader(directReader(deps));
	const results: RunResult[] = [];
	const failures: BatchOutcome["failures"] = [];
	for (const run of runs) {
		if (opts.signal?.aborted) break;
		const row = byId.get(run.monitorId);
		if (!row) {
			// Deleted since the tick claimed it: nothing left to account for.
			failures.push({
				monitorId: run.monitorId,
				error: "the monitor no longer exists",
				retryable: false,
			});
			continue;
		}
		try {
			results.push(
				await runMonitor(deps, run.monitorId, {
					scheduledFor: run.scheduledFor,
					missedTicks: run.missedTicks,
					row,
					read,
					...(opts.now ? { now: opts.now } : {}),
				}),
			);
		} catch (err) {
			deps.log.error(
				{ monitor: run.monitorId, err: errorMessage(err) },
				"monitor run failed before it was recorded",
			);
			failures.push({
				monitorId: run.monitorId,
				error: errorMessage(err),
				retryable: isTransient(err),
			});
		}
	}
	return { results, failures, seriesReads: read.reads() };
}
