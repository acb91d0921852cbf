/**
 * What a typed date may be. Years are kept to 1900–2999: enough for any ERP's history and plans,
 * and far from the edges where JavaScript and Postgres disagree (year 0000, which Postgres
 * refuses; year 275760, where a JavaScript Date ends).
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2999;

/**
 * The calendar step of a series: a metric's, a monitor's and a correlation's periods are days,
 * ISO weeks (Monday first) or calendar months.
 */
export type Grain = "day" | "week" | "month";

/** True for a real calendar day written YYYY-MM-DD (no 2024-02-30) within FIRST_YEAR–LAST_YEAR. */
export function isCalendarDay(v: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
	const year = Number(v.slice(0, 4));
	if (year < FIRST_YEAR || year > LAST_YEAR) return false;
	const d = new Date(`${v}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
	return new Intl.DateTimeFormat("en-CA", {
		timeZone,
		year: "numeric",
		month: "2-digit",
		day: "2-digit",
	}).format(at);
}
