/**
 * Is the scheduler keeping up? For `pulse status`, /healthz and /metrics: monitors overdue by more
 * than one period (no tick of theirs ran or was accounted for), the last day's ticks by outcome,
 * and queues whose oldest job has waited or run longer than the queue's own expiry.
 */
import type { Pool } from "../../db/pool.ts";
import { errorMessage } from "../../errors.ts";
import { overdueJobs } from "../../queue/store.ts";
import type { Frequency } from "../model.ts";
import { nextRun } from "../schedule.ts";
import { scheduledMonitors, tickOutcomes } from "./store.ts";

/** A monitor whose ticks have stopped. */
export interface OverdueMonitor {
	id: string;
	name: string;
	/** The latest tick accounted for (ran or skipped); null when it never ran. */
	lastTick: Date | null;
	/** The tick that should have been accounted for by now. */
	due: Date;
	/** How far past `due` now is. */
	behindSeconds: number;
}

/** A queue with a job older than the queue's expiry (waiting to start, or running). */
export interface StuckQueue {
	queue: string;
	state: "waiting" | "active";
	jobs: number;
	oldestSeconds: number;
	expireSeconds: number;
}

export interface SchedulerHealth {
	overdue: OverdueMonitor[];
	/** Ticks accounted for in the last 24 hours: ran, and skipped by reason. */
	ticks: { ran: number; skipped: number; skippedBy: Record<string, number> };
	stuckQueues: StuckQueue[];
}

const NAMED = new Set(["hourly", "daily", "weekly", "monthly"]);

/**
 * Monitors overdue by more than one period at `now`: the tick after the last one accounted for
 * (or after the monitor was created) is due, and so is the one after it.
 */
export async function overdueMonitors(
	pool: Pool,
	now: Date,
	timeZone: string,
): Promise<OverdueMonitor[]> {
	const rows = await scheduledMonitors(pool);
	const out: OverdueMonitor[] = [];
	for (const r of rows) {
		const frequency: Frequency = NAMED.has(r.frequency)
			? (r.frequency as Frequency)
			: { cron: r.frequency, timeZone: r.time_zone ?? "UTC" };
		try {
			const due = nextRun(frequency, r.last_tick ?? r.created_at, timeZone);
			const after = nextRun(frequency, due, timeZone);
			// Ticks are claimed within seconds of the minute; a minute of slack keeps a healthy
			// one-minute monitor from reading as overdue while its run is under way.
			if (now.getTime() > after.getTime() + 60_000)
				out.push({
					id: r.id,
					name: r.name,
					lastTick: r.last_tick,
					due,
					behindSeconds: Math.round((now.getTime() - due.getTime()) / 1000),
				});
		} catch {
			// An unparseable frequency is reported by the tick itself ("cannot schedule monitor").
		}
	}
	return out.sort((a, b) => b.behindSeconds - a.behindSeconds);
}

/** The last day's ticks: how many ran, how many were skipped and why. */
export async function tickCounts(
	pool: Pool,
	now: Date,
): Promise<SchedulerHealth["ticks"]> {
	const rows = await tickOutcomes(pool, now);
	const ticks = { ran: 0, skipped: 0, skippedBy: {} as Record<string, number> };
	for (const r of rows) {
		if (r.outcome === "ran") ticks.ran += r.n;
		else {
			ticks.skipped += r.n;
			const reason = r.reason ?? "unknown";
			ticks.skippedBy[reason] = (ticks.skippedBy[reason] ?? 0) + r.n;
		}
	}
	return ticks;
}

/**
 * Queues (in pg-boss's schema) with a job that has waited to start, or run, longer than the
 * queue's expiry. With heartbeats on every queue a dead worker's job is failed within a minute,
 * so a job past its expiry means the queue is not being served or a handler is stuck.
 */
export async function stuckQueues(
	pool: Pool,
	bossSchema: string,
	now: Date,
): Promise<StuckQueue[]> {
	const rows = await overdueJobs(pool, bossSchema, now);
	return rows.map((r) => ({
		queue: r.name,
		state: r.state,
		jobs: r.jobs,
		oldestSeconds: Math.round(r.oldest),
		expireSeconds: r.expire_seconds,
	}));
}

/** Everything above, each part reported as empty when it cannot be read (the caller logs why). */
export async function schedulerHealth(
	pool: Pool,
	opts: { now: Date; timeZone: string; bossSchema: string },
): Promise<SchedulerHealth & { errors: string[] }> {
	const errors: string[] = [];
	const guard = <T>(p: Promise<T>, empty: T) =>
		p.catch((err: unknown) => {
			errors.push(errorMessage(err));
			return empty;
		});
	const [overdue, ticks, stuck] = await Promise.all([
		guard(overdueMonitors(pool, opts.now, opts.timeZone), []),
		guard(tickCounts(pool, opts.now), { ran: 0, skipped: 0, skippedBy: {} }),
		guard(stuckQueues(pool, opts.bossSchema, opts.now), []),
	]);
	return { overdue, ticks, stuckQueues: stuck, errors };
}
