/**
 * Calendar buckets for forecasting: daily demand summed into ISO weeks (Monday to Sunday) or
 * calendar months. Dates are ISO `YYYY-MM-DD` strings in UTC; no time zones involved.
 */

/** Forecast bucket. */
export type Granularity = "week" | "month";

/** Per-period totals of a daily series, full periods only, oldest first. */
export interface Buckets {
	/** First day of each period. */
	starts: string[];
	totals: number[];
	/** Days before the first full period and after the last one, left out. */
	droppedDays: number;
}

const DAY_MS = 86_400_000;

/** Day number (days since 1970-01-01) of an ISO date; throws on a malformed date. */
export function dayNumber(iso: string): number {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
	const ms = match
		? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
		: Number.NaN;
	if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== iso)
		throw new RangeError(`expected a date as YYYY-MM-DD, got "${iso}"`);
	return ms / DAY_MS;
}

/** ISO date of a day number. */
export function isoDay(day: number): string {
	return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Seasonal period of a bucket: 52 weeks or 12 months a year. */
export function seasonLength(granularity: Granularity): number {
	return granularity === "week" ? 52 : 12;
}

/** First day of the period after the one that starts on `startDay`. */
export function nextStart(startDay: number, granularity: Granularity): number {
	if (granularity === "week") return startDay + 7;
	const d = new Date(startDay * DAY_MS);
	return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS;
}

/** First period start on or after `day`: the next Monday, or the next 1st of a month. */
export function firstStartOnOrAfter(
	day: number,
	granularity: Granularity,
): number {
	const d = new Date(day * DAY_MS);
	if (granularity === "week") return day + ((8 - d.getUTCDay()) % 7);
	if (d.getUTCDate() === 1) return day;
	return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS;
}

/**
 * Sums a daily series that starts on `firstDay` into full weeks or months. Partial periods at
 * either end are dropped (a half month would look like a demand drop).
 */
export function bucketDaily(
	daily: readonly number[],
	firstDay: string,
	granularity: Granularity,
): Buckets {
	const first = dayNumber(firstDay);
	const end = first + daily.length; // exclusive
	const starts: string[] = [];
	const totals: number[] = [];
	let covered = 0;
	for (
		let s = firstStartOnOrAfter(first, granularity);
		nextStart(s, granularity) <= end;
		s = nextStart(s, granularity)
	) {
		const e = nextStart(s, granularity);
		let total = 0;
		for (let d = s; d < e; d++) total += daily[d - first] ?? 0;
		starts.push(isoDay(s));
		totals.push(total);
		covered += e - s;
	}
	return { starts, totals, droppedDays: daily.length - covered };
}

/**
 * The `count` periods starting with the first period start on or after `fromDay` (an ISO
 * date, usually the day after the demand window): start dates and lengths in days.
 */
export function futurePeriods(
	fromDay: string,
	granularity: Granularity,
	count: number,
): { starts: string[]; days: number[] } {
	const starts: string[] = [];
	const days: number[] = [];
	let s = firstStartOnOrAfter(dayNumber(fromDay), granularity);
	for (let i = 0; i < count; i++) {
		const e = nextStart(s, granularity);
		starts.push(isoDay(s));
		days.push(e - s);
		s = e;
	}
	return { starts, days };
}
