/**
 * The catalog's calendar, pure: period starts on a grain (months on the 1st, weeks on Monday as
 * Postgres' date_trunc('week') has them, days), the window a series covers, and filling the
 * periods the SQL returned no row for.
 */
import type { SeriesPoint } from "../analytics/correlation/index.ts";
import type { Grain } from "./types.ts";

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function toMs(day: string): number {
	if (!ISO_DAY.test(day)) throw new Error(`not an ISO date: ${day}`);
	return Date.parse(`${day}T00:00:00Z`);
}

function fromMs(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

/** The first day of the period that contains `day`. */
export function periodStart(day: string, grain: Grain): string {
	if (grain === "month") return `${day.slice(0, 7)}-01`;
	const ms = toMs(day);
	if (grain === "day") return fromMs(ms);
	const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday = 0
	return fromMs(ms - weekday * DAY_MS);
}

/** The start of the period `k` periods after the one starting on `start` (k may be negative). */
export function addPeriods(start: string, grain: Grain, k: number): string {
	if (grain === "month") {
		const d = new Date(toMs(start));
		return fromMs(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1));
	}
	return fromMs(toMs(start) + k * (grain === "week" ? 7 : 1) * DAY_MS);
}

/** Every period start from `first` to `last`, both included. */
export function periodsBetween(
	first: string,
	last: string,
	grain: Grain,
): string[] {
	const out: string[] = [];
	for (let p = first; p <= last; p = addPeriods(p, grain, 1)) out.push(p);
	return out;
}

/** Days in the period starting on `start`. */
export function daysIn(start: string, grain: Grain): number {
	return Math.round((toMs(addPeriods(start, grain, 1)) - toMs(start)) / DAY_MS);
}

/**
 * How many days short of its end a period's data may stop and the period still count as
 * complete: ERPs rarely post at weekends, so a month whose data end on Friday the 29th is whole.
 */
export const COMPLETE_WITHIN_DAYS: Readonly<Record<Grain, number>> = {
	day: 0,
	week: 2,
	month: 3,
};

/** What the caller asked for: explicit bounds and/or the last N periods. */
export interface WindowRequest {
	/** First day wanted (its whole period is included). */
	since?: string;
	/** Last day wanted (its whole period is included). */
	until?: string;
	/** Keep only the last N periods of the window. */
	last?: number;
}

/** The first and last period of a series, and the date range its SQL reads: [from, to). */
export interface SeriesWindow {
	first: string;
	last: string;
	from: string;
	to: string;
	periods: string[];
}

/**
 * The periods a series covers: from the period of the first day with data (or of `since`, if
 * later) to the period of the last day with data (or of `until`, if earlier). When `until` is not given and the data stop
 * more than COMPLETE_WITHIN_DAYS before the end of their last period, that period is left out:
 * a month with nine days of data is not a month, and would show as a collapse in every flow.
 * Null when nothing is left.
 */
export function seriesWindow(
	data: { min: string; max: string } | null,
	req: WindowRequest,
	grain: Grain,
	dropPartialEnd: boolean,
): SeriesWindow | null {
	if (!data) return null;
	// Periods outside the data are not zeros: clamp what was asked to what there is.
	const lo = req.since && req.since > data.min ? req.since : data.min;
	let hi = req.until && req.until < data.max ? req.until : data.max;
	if (req.until === undefined && dropPartialEnd) {
		const lastStart = periodStart(data.max, grain);
		const completeFrom = addDays(
			addPeriods(lastStart, grain, 1),
			-1 - COMPLETE_WITHIN_DAYS[grain],
		);
		if (data.max < completeFrom) hi = addDays(lastStart, -1);
	}
	let first = periodStart(lo, grain);
	const last = periodStart(hi, grain);
	if (req.last !== undefined) {
		const fromLast = addPeriods(last, grain, 1 - req.last);
		if (fromLast > first) first = fromLast;
	}
	if (first > last) return null;
	return {
		first,
		last,
		from: first,
		to: addPeriods(last, grain, 1),
		periods: periodsBetween(first, last, grain),
	};
}

function addDays(day: string, k: number): string {
	return fromMs(toMs(day) + k * DAY_MS);
}

/**
 * One point per period of the window. Periods the SQL returned no row for are 0 for flows (no
 * order in a month is zero revenue) and null for levels and ratios (no snapshot is no data, not
 * an empty warehouse). A row whose value is null (no cost on any line, say) stays null.
 */
export function fillPeriods(
	rows: readonly { period: string; value: number | null }[],
	periods: readonly string[],
	flow: boolean,
): SeriesPoint[] {
	const byPeriod = new Map(rows.map((r) => [r.period, r.value]));
	return periods.map((period) => {
		const value = byPeriod.has(period)
			? (byPeriod.get(period) ?? null)
			: flow
				? 0
				: null;
		return {
			period,
			value: value !== null && Number.isFinite(value) ? value : null,
		};
	});
}
