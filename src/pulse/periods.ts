/**
 * Calendar arithmetic on series periods. A period is the ISO date (or date-time) at which its
 * bucket starts, read as UTC: "2025-03-03" is the day, the week starting Monday 3 March, or
 * (at month grain) March 2025.
 */
import type { Grain } from "./model.ts";

const DAY_MS = 86_400_000;

/** Parses a period; null when it is not an ISO date. */
export function periodTime(period: string): number | null {
	const t = Date.parse(
		/^\d{4}-\d{2}-\d{2}$/.test(period) ? `${period}T00:00:00Z` : period,
	);
	return Number.isNaN(t) ? null : t;
}

/** Adds whole months, clamping to the month's last day (31 March − 1 month = 28/29 February). */
export function addMonths(t: number, months: number): number {
	const d = new Date(t);
	const y = d.getUTCFullYear();
	const m = d.getUTCMonth() + months;
	const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
	return Date.UTC(
		y,
		m,
		Math.min(d.getUTCDate(), last),
		d.getUTCHours(),
		d.getUTCMinutes(),
		d.getUTCSeconds(),
		d.getUTCMilliseconds(),
	);
}

/** The start of the bucket after the one starting at `t`. */
export function nextBucket(t: number, grain: Grain): number {
	if (grain === "day") return t + DAY_MS;
	if (grain === "week") return t + 7 * DAY_MS;
	return addMonths(t, 1);
}

/** Guesses the grain from the median gap between consecutive periods. */
export function inferGrain(times: readonly number[]): Grain {
	const gaps: number[] = [];
	for (let i = 1; i < times.length; i++)
		gaps.push((times[i] as number) - (times[i - 1] as number));
	gaps.sort((a, b) => a - b);
	const gap = gaps[Math.floor(gaps.length / 2)] ?? DAY_MS;
	if (gap <= 1.5 * DAY_MS) return "day";
	if (gap <= 8 * DAY_MS) return "week";
	return "month";
}

/** The instant one comparison period before `t`. */
export function shiftBack(
	t: number,
	period: "week_over_week" | "month_over_month" | "year_over_year",
): number {
	if (period === "week_over_week") return t - 7 * DAY_MS;
	return addMonths(t, period === "month_over_month" ? -1 : -12);
}

/** Index of the point whose bucket contains `t`, or -1. `times` must be ascending. */
export function bucketContaining(
	times: readonly number[],
	t: number,
	grain: Grain,
): number {
	for (let i = times.length - 1; i >= 0; i--) {
		const start = times[i] as number;
		if (start <= t) return t < nextBucket(start, grain) ? i : -1;
	}
	return -1;
}
