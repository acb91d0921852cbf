import type { Grain } from "./types.ts";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** The seasonal period of each grain, in periods: a year of months or weeks, a week of days. */
export const SEASONAL_LAG: Readonly<Record<Grain, number>> = {
	day: 7,
	week: 52,
	month: 12,
};

/** Words for a grain, so sentences read "36 months" and "month-to-month". */
export const GRAIN_WORDS: Readonly<
	Record<Grain, { one: string; many: string; seasonalChange: string }>
> = {
	day: { one: "day", many: "days", seasonalChange: "week-over-week" },
	week: { one: "week", many: "weeks", seasonalChange: "year-over-year" },
	month: { one: "month", many: "months", seasonalChange: "year-over-year" },
};

/** "36 months", "1 week". */
export function countPeriods(n: number, grain: Grain): string {
	const w = GRAIN_WORDS[grain];
	return `${n} ${n === 1 ? w.one : w.many}`;
}

/**
 * A period's position on the grain's calendar as an integer, so that consecutive periods
 * differ by exactly 1: months count from year 0, days from 1970-01-01, weeks are days / 7
 * (exact because all of a series' weeks start on the same weekday, checked by `periodIndex`).
 */
export type PeriodIndex = number;

/** Why a period string was rejected, or its index. */
export type ParsedPeriod =
	| { ok: true; index: PeriodIndex; weekday: number }
	| { ok: false; reason: string };

/** Parses a period start for a grain; months must start on the 1st. */
export function parsePeriod(period: string, grain: Grain): ParsedPeriod {
	const m = ISO_DATE.exec(period);
	if (!m)
		return { ok: false, reason: `"${period}" is not an ISO date (YYYY-MM-DD)` };
	const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const ms = Date.UTC(year, month - 1, day);
	const check = new Date(ms);
	if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
		return { ok: false, reason: `"${period}" is not a calendar date` };
	if (grain === "month") {
		if (day !== 1)
			return {
				ok: false,
				reason: `"${period}" is not the start of a month (monthly periods start on the 1st)`,
			};
		return { ok: true, index: year * 12 + (month - 1), weekday: 0 };
	}
	const dayNumber = Math.round(ms / DAY_MS);
	const weekday = check.getUTCDay();
	return {
		ok: true,
		index: grain === "day" ? dayNumber : Math.floor(dayNumber / 7),
		weekday,
	};
}
