/**
 * The sentence a manager would say about a metric monitor's result: what happened, to which
 * metric (and where, when filtered), in which period (named), how big against the rule and
 * against normal, in the metric's unit. "Margin % (region West) stood at 13.8% in October
 * 2026, 14.2 points below the 28% limit; its median over the 12 months before was 29.1%."
 *
 * Query monitors write their own sentence in a `headline` column (see templates/pulse); this is
 * the one for catalog-metric targets, whose rows the engine reads itself.
 */
import { formatNumber, formatPercent } from "./format.ts";
import {
	type Evaluation,
	type EvaluationInput,
	fmt,
	labelOf,
} from "./input.ts";
import type { Condition, Grain } from "./model.ts";
import { bucketContaining, periodTime, shiftBack } from "./periods.ts";
import { median } from "./stats.ts";

/** What a metric alert says first, and the figure it shows as "Observed". */
export interface Headline {
	headline: string;
	observed: string;
}

/** Earlier periods "normal" is the median of: a year of months, a quarter of weeks, four weeks of days. */
export const NORMAL_PERIODS: Record<Grain, number> = {
	month: 12,
	week: 13,
	day: 28,
};

const GRAIN_WORDS: Record<Grain, string> = {
	month: "months",
	week: "weeks",
	day: "days",
};

const MONTHS = [
	"January",
	"February",
	"March",
	"April",
	"May",
	"June",
	"July",
	"August",
	"September",
	"October",
	"November",
	"December",
];

/** A period by its name: "October 2026", "the week of 26 October 2026", "6 November 2026". */
export function periodName(period: string, grain: Grain): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(period);
	if (!m) return period;
	const [, y, mo, d] = m;
	const month = MONTHS[Number(mo) - 1] ?? mo;
	if (grain === "month") return `${month} ${y}`;
	const day = `${Number(d)} ${month} ${y}`;
	return grain === "week" ? `the week of ${day}` : day;
}

/**
 * A value as a sentence says it: money of 100 or more in whole units ("1,324,962 USD"), days to
 * one decimal, anything else as the metric formats it.
 */
function said(input: EvaluationInput, v: number): string {
	if (input.unit === "currency" && Math.abs(v) >= 100)
		return fmt(input, Math.round(v));
	if (input.unit === "days") return fmt(input, Math.round(v * 10) / 10);
	return fmt(input, v);
}

function capitalised(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

/** How far apart two values are, in the metric's unit: "2.9 points", "14 days", "1,200 USD". */
function gap(input: EvaluationInput, a: number, b: number): string {
	const d = Math.abs(a - b);
	if (input.unit === "percent") {
		const points = Math.round(d * 10) / 10;
		return `${formatNumber(points)} ${points === 1 ? "point" : "points"}`;
	}
	return said(input, d);
}

/**
 * The headline for a series evaluation, or null when there is nothing to say in those terms
 * (no series, an error, no data, or a condition that is not about a metric's level or change).
 */
export function seriesHeadline(
	condition: Condition,
	input: EvaluationInput,
	ev: Evaluation,
): Headline | null {
	if (!input.series || !input.grain || ev.error || ev.noData) return null;
	const points = input.series;
	const last = points.at(-1);
	if (!last || last.value === null) return null;
	const grain = input.grain;
	const label = capitalised(labelOf(input));
	const when = periodName(last.period, grain);
	const value = said(input, last.value);
	switch (condition.kind) {
		case "threshold": {
			const limit = said(input, condition.value);
			const side =
				last.value === condition.value
					? "at"
					: `${gap(input, last.value, condition.value)} ${last.value > condition.value ? "above" : "below"}`;
			return {
				headline: `${label} stood at ${value} in ${when}, ${side} the ${limit} limit${normalClause(input, grain)}`,
				observed: `${value} in ${when}`,
			};
		}
		case "change": {
			if (ev.observed === null || ev.observed === 0) return null;
			const times = points.map((p) => periodTime(p.period) ?? 0);
			const t = times.at(-1) ?? 0;
			const before =
				points[bucketContaining(times, shiftBack(t, condition.period), grain)];
			const verb = ev.observed > 0 ? "rose" : "fell";
			const from =
				before && before.value !== null
					? `, from ${said(input, before.value)} in ${periodName(before.period, grain)} to ${value}`
					: "";
			const limit = `${formatPercent(condition.percent)}${condition.direction === "down" ? " fall" : condition.direction === "up" ? " rise" : " change"}`;
			return {
				headline: `${label} ${verb} ${formatPercent(Math.abs(ev.observed))} in ${when}${from}; the alert is for a ${limit} or more`,
				observed: `${ev.observed > 0 ? "+" : "−"}${formatPercent(Math.abs(ev.observed))} in ${when}`,
			};
		}
		case "anomaly": {
			if (ev.expected === undefined || ev.score === undefined) return null;
			const how = ev.score >= 0 ? "above" : "below";
			const verdict = ev.breached
				? `unusually ${ev.score >= 0 ? "high" : "low"}`
				: "within its usual range";
			return {
				headline: `${label} stood at ${value} in ${when}, ${gap(input, last.value, ev.expected)} ${how} the ${said(input, ev.expected)} its history points to: ${verdict} (robust z-score ${formatNumber(Math.round(ev.score * 10) / 10)})`,
				observed: `${value} in ${when} (about ${said(input, ev.expected)} expected)`,
			};
		}
		default:
			return null;
	}
}

/** "; its median over the 12 months before was 29.1%", or "" without enough history. */
function normalClause(input: EvaluationInput, grain: Grain): string {
	const earlier = (input.series ?? [])
		.slice(0, -1)
		.slice(-NORMAL_PERIODS[grain])
		.flatMap((p) => (p.value === null ? [] : [p.value]));
	if (earlier.length < 3) return "";
	return `; its median over the ${earlier.length} ${GRAIN_WORDS[grain]} before was ${said(input, median(earlier))}`;
}
