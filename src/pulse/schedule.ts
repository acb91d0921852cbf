/**
 * Scheduling arithmetic for monitors. Named cadences are anchored in the monitor's time zone:
 *
 * - hourly:  minute 0 of every hour (local, so half-hour zones run at :00 local)
 * - daily:   07:00 local, every day
 * - weekly:  Monday 07:00 local
 * - monthly: the 1st of the month, 07:00 local
 *
 * 07:00 exists on every day in every zone that shifts its clock in the small hours, so a DST
 * change moves the UTC instant of a run but never skips or doubles a run. Cron frequencies
 * carry their own time zone. After downtime a monitor runs once, never once per missed tick.
 */
import { CronExpressionParser } from "cron-parser";
import type { Frequency } from "./model.ts";

/** The cron expression each named cadence stands for. */
export const CADENCE_CRON = {
	hourly: "0 * * * *",
	daily: "0 7 * * *",
	weekly: "0 7 * * 1",
	monthly: "0 7 1 * *",
} as const;

/** Stop counting missed ticks here; the count is for the log line, not for catching up. */
export const MAX_COUNTED_MISSED = 1000;

/** True for a valid IANA time zone name. */
export function isTimeZone(tz: string): boolean {
	try {
		new Intl.DateTimeFormat("en", { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

/** True for a 5-field cron expression (minute hour day month weekday) cron-parser accepts. */
export function isCronExpression(expr: string): boolean {
	if (expr.trim().split(/\s+/).length !== 5) return false;
	try {
		CronExpressionParser.parse(expr);
		return true;
	} catch {
		return false;
	}
}

function ticks(frequency: Frequency, after: Date, timeZone: string) {
	const [expr, tz] =
		typeof frequency === "string"
			? [CADENCE_CRON[frequency], timeZone]
			: [frequency.cron, frequency.timeZone];
	return CronExpressionParser.parse(expr, { currentDate: after, tz });
}

/**
 * The first run strictly after `after`. `timeZone` anchors the named cadences; a
 * `{ cron, timeZone }` frequency uses its own zone.
 */
export function nextRun(
	frequency: Frequency,
	after: Date,
	timeZone: string,
): Date {
	return ticks(frequency, after, timeZone).next().toDate();
}

/** What the scheduler should do for one monitor at `now`. */
export interface DueDecision {
	/** Run the monitor once now. */
	runNow: boolean;
	/** The scheduled instant this run stands for (when runNow). */
	scheduledFor: Date | null;
	/** Ticks that fell due while nothing ran and are folded into this one run (capped at MAX_COUNTED_MISSED). */
	skipped: number;
	/** The value to store in pulse_monitors.next_run after this decision. */
	nextRun: Date;
}

/**
 * Decides whether a monitor is due. `nextRun` is the stored next_run (null for a new monitor,
 * which runs at once); `lastRun` guards against running a tick twice (a crash between running
 * and storing next_run, or two bot processes). After downtime the answer is "run once now",
 * and the following next_run is the first tick after `now`.
 */
export function dueRuns(
	lastRun: Date | null,
	storedNextRun: Date | null,
	now: Date,
	schedule: { frequency: Frequency; timeZone: string },
): DueDecision {
	const { frequency, timeZone } = schedule;
	let due = storedNextRun;
	if (due && lastRun && lastRun.getTime() >= due.getTime())
		due = nextRun(frequency, lastRun, timeZone);
	if (due && due.getTime() > now.getTime())
		return { runNow: false, scheduledFor: null, skipped: 0, nextRun: due };
	return {
		runNow: true,
		scheduledFor: due ?? now,
		skipped: due ? countTicks(frequency, due, now, timeZone) : 0,
		nextRun: nextRun(frequency, now, timeZone),
	};
}

/** Ticks in (from, to]: the ones the single catch-up run replaces. */
function countTicks(
	frequency: Frequency,
	from: Date,
	to: Date,
	timeZone: string,
): number {
	const it = ticks(frequency, from, timeZone);
	let n = 0;
	while (n < MAX_COUNTED_MISSED && it.next().getTime() <= to.getTime()) n++;
	return n;
}
