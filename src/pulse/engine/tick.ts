/**
 * The scheduler tick: find monitors due at `now` and claim each one by moving its next_run on,
 * in one UPDATE that only succeeds where next_run still holds the value read. Several bot
 * processes ticking at the same moment therefore split the due monitors between them, and each
 * monitor is claimed once per tick. After downtime a monitor runs once (the core's `dueRuns`),
 * never once per missed tick.
 */
import type { Pool } from "../../db/pool.ts";
import { errorMessage } from "../../errors.ts";
import type { Frequency } from "../model.ts";
import { dueRuns } from "../schedule.ts";
import type { PulseDeps } from "./deps.ts";

/** A monitor this process claimed, and the tick its run stands for. */
export interface ClaimedRun {
	monitorId: string;
	scheduledFor: Date;
	/** Missed ticks folded into this one run (after downtime). */
	skipped: number;
	/** Monitors with the same key read the same series (metric, grain, filter); SQL monitors have their own. */
	seriesKey: string;
}

/** At most this many monitors are claimed per tick; the rest wait for the next one. */
export const MAX_CLAIMS_PER_TICK = 20_000;

interface DueRow {
	id: string;
	frequency: string;
	time_zone: string | null;
	next_run: Date | null;
	last_run: Date | null;
	target: { metric?: string; grain?: string; filter?: unknown } | null;
}

const NAMED = new Set(["hourly", "daily", "weekly", "monthly"]);

function frequencyOf(row: DueRow): Frequency {
	return NAMED.has(row.frequency)
		? (row.frequency as Frequency)
		: { cron: row.frequency, timeZone: row.time_zone ?? "UTC" };
}

function seriesKey(row: DueRow): string {
	const t = row.target;
	return t?.metric
		? JSON.stringify([t.metric, t.grain ?? null, t.filter ?? null])
		: `sql:${row.id}`;
}

/**
 * Claims every monitor due at `now`; returns the ones this caller won. `db` (default the pool)
 * lets the tick claim and queue the runs in one transaction, so a crash between the two cannot
 * claim a tick that nothing will run.
 */
export async function claimDueMonitors(
	deps: PulseDeps,
	now: Date,
	opts: { db?: Pick<Pool, "query">; limit?: number } = {},
): Promise<ClaimedRun[]> {
	const db = opts.db ?? deps.pool;
	const limit = opts.limit ?? MAX_CLAIMS_PER_TICK;
	const { rows } = await db.query<DueRow>(deps.sql.get("pulse/due-list"), [
		now,
		limit,
	]);
	const planned = new Map<
		string,
		{ old: Date | null; next: Date; run: ClaimedRun }
	>();
	for (const row of rows) {
		try {
			const d = dueRuns(row.last_run, row.next_run, now, {
				frequency: frequencyOf(row),
				timeZone: deps.timeZone,
			});
			if (!d.runNow) continue;
			planned.set(row.id, {
				old: row.next_run,
				next: d.nextRun,
				run: {
					monitorId: row.id,
					scheduledFor: d.scheduledFor ?? now,
					skipped: d.skipped,
					seriesKey: seriesKey(row),
				},
			});
		} catch (err) {
			deps.log.warn(
				{ monitor: row.id, frequency: row.frequency, err: errorMessage(err) },
				"cannot schedule monitor; skipped",
			);
		}
	}
	if (planned.size === 0) return [];
	const entries = [...planned.values()];
	const { rows: won } = await db.query<{ id: string }>(
		deps.sql.get("pulse/claim"),
		[
			entries.map((e) => e.run.monitorId),
			entries.map((e) => e.old),
			entries.map((e) => e.next),
		],
	);
	return won.flatMap((w) => {
		const p = planned.get(w.id);
		return p ? [p.run] : [];
	});
}

/** Monitors per pulse-run job: small enough that several processes share a tick's work. */
export const BATCH_SIZE = 50;

/**
 * Splits a tick's claimed runs into batches, keeping monitors that read the same series together
 * (a batch reads each series once), so a tick reads about one query per distinct series.
 */
export function batchRuns(
	claimed: readonly ClaimedRun[],
	size = BATCH_SIZE,
): ClaimedRun[][] {
	const sorted = [...claimed].sort(
		(a, b) =>
			a.seriesKey.localeCompare(b.seriesKey) ||
			a.monitorId.localeCompare(b.monitorId),
	);
	const batches: ClaimedRun[][] = [];
	for (let i = 0; i < sorted.length; i += size)
		batches.push(sorted.slice(i, i + size));
	return batches;
}
