/** Calendar helpers. Days are whole UTC days since 1970-01-01 ("epoch days"); text is ISO `YYYY-MM-DD`. */

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch day of an ISO date, or undefined when the text is not a real calendar date. */
export function parseIsoDay(iso: string): number | undefined {
	const m = ISO_DATE.exec(iso);
	if (!m) return undefined;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const ms = Date.UTC(y, mo - 1, d);
	const back = new Date(ms);
	if (
		back.getUTCFullYear() !== y ||
		back.getUTCMonth() !== mo - 1 ||
		back.getUTCDate() !== d
	)
		return undefined;
	return ms / MS_PER_DAY;
}

export function isoOfDay(day: number): string {
	return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: number): number {
	return (((day + 4) % 7) + 7) % 7;
}

export function yearOf(day: number): number {
	return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** First day of the 12-year window that ends on `endDay` (e.g. 2026-10-31 → 2014-11-01). */
export function historyStart(endDay: number, years: number): number {
	const end = new Date(endDay * MS_PER_DAY);
	return (
		Date.UTC(
			end.getUTCFullYear() - years,
			end.getUTCMonth(),
			end.getUTCDate(),
		) /
			MS_PER_DAY +
		1
	);
}

/** First day on or after `day` that falls on `weekday` (0 = Sunday). */
export function onOrAfterWeekday(day: number, weekday: number): number {
	return day + ((weekday - weekdayOf(day) + 7) % 7);
}

/** The last calendar month fully inside the history: the month of `endDay` if it is that month's last day, else the one before. */
export function lastFullMonth(endDay: number): { from: number; to: number } {
	const end = new Date(endDay * MS_PER_DAY);
	const y = end.getUTCFullYear();
	const m = end.getUTCMonth();
	const monthEnd = Date.UTC(y, m + 1, 0) / MS_PER_DAY;
	const to = monthEnd === endDay ? endDay : Date.UTC(y, m, 0) / MS_PER_DAY;
	const toDate = new Date(to * MS_PER_DAY);
	const from =
		Date.UTC(toDate.getUTCFullYear(), toDate.getUTCMonth(), 1) / MS_PER_DAY;
	return { from, to };
}

/**
 * Per-day lookups for the whole history, built once: ISO text, year, month (1–12), weekday and
 * whether the day starts a month. Arrays are indexed by `day - start`.
 */
export class Calendar {
	readonly start: number;
	readonly end: number;
	readonly days: number;
	private readonly isoText: string[];
	readonly year: Int16Array;
	readonly month: Int8Array;
	readonly weekday: Int8Array;
	readonly monthDay: Int8Array;

	constructor(start: number, end: number) {
		this.start = start;
		this.end = end;
		this.days = end - start + 1;
		this.isoText = new Array<string>(this.days);
		this.year = new Int16Array(this.days);
		this.month = new Int8Array(this.days);
		this.weekday = new Int8Array(this.days);
		this.monthDay = new Int8Array(this.days);
		for (let i = 0; i < this.days; i++) {
			const d = new Date((start + i) * MS_PER_DAY);
			this.isoText[i] = d.toISOString().slice(0, 10);
			this.year[i] = d.getUTCFullYear();
			this.month[i] = d.getUTCMonth() + 1;
			this.weekday[i] = d.getUTCDay();
			this.monthDay[i] = d.getUTCDate();
		}
	}

	iso(day: number): string {
		return this.isoText[day - this.start] ?? isoOfDay(day);
	}
}
