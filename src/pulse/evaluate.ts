/**
 * Pure condition evaluation, after Lightdash's `isPositiveThresholdAlert(thresholds, rows)`:
 * plain data in, a verdict and a sentence out. No I/O and no clock; `input.now` is the time.
 */
import { evaluateAnomaly } from "./anomaly.ts";
import {
	compare,
	formatNumber,
	formatPercent,
	OPERATOR_WORDS,
	plural,
} from "./format.ts";
import {
	type Evaluation,
	type EvaluationInput,
	fmt,
	labelOf,
	latestValue,
	readSeries,
} from "./input.ts";
import type {
	ChangeCondition,
	Condition,
	RowCountCondition,
	StaleCondition,
	ThresholdCondition,
} from "./model.ts";
import { evaluateNewRows } from "./new-rows.ts";
import { bucketContaining, inferGrain, shiftBack } from "./periods.ts";
import { directed } from "./stats.ts";

/** Evaluates one condition on one run's data. Never throws on bad data: it reports `error`. */
export function evaluateCondition(
	condition: Condition,
	input: EvaluationInput,
): Evaluation {
	switch (condition.kind) {
		case "threshold":
			return evaluateThreshold(condition, input);
		case "change":
			return evaluateChange(condition, input);
		case "anomaly":
			return evaluateAnomaly(condition, input);
		case "row_count":
			return evaluateRowCount(condition, input);
		case "new_rows":
			return evaluateNewRows(condition, input);
		case "stale":
			return evaluateStale(condition, input);
	}
}

/** A run that could not be judged; it counts neither as breaching nor as OK. */
export function failed(detail: string, error: string): Evaluation {
	return { breached: false, observed: null, detail, error };
}

function noData(detail: string, expected?: number): Evaluation {
	return { breached: false, observed: null, expected, detail, noData: true };
}

function evaluateThreshold(
	c: ThresholdCondition,
	input: EvaluationInput,
): Evaluation {
	const label = labelOf(input);
	const limit = fmt(input, c.value);
	const latest = latestValue(input);
	if ("error" in latest)
		return failed(`${label} could not be read: ${latest.error}`, latest.error);
	if (latest.value === null)
		return noData(
			`${label} has no value${latest.at ? ` for ${latest.at}` : ""} to compare with ${limit}`,
			c.value,
		);
	const breached = compare(latest.value, c.operator, c.value);
	const words = OPERATOR_WORDS[c.operator];
	return {
		breached,
		observed: latest.value,
		expected: c.value,
		detail: `${label} ${fmt(input, latest.value)} ${breached ? words.holds : words.fails} ${limit}`,
	};
}

const PERIOD_WORDS = {
	week_over_week: { words: "week over week", earlier: "the week before" },
	month_over_month: { words: "month over month", earlier: "the month before" },
	year_over_year: {
		words: "year over year",
		earlier: "the same period last year",
	},
} as const;

function evaluateChange(
	c: ChangeCondition,
	input: EvaluationInput,
): Evaluation {
	const label = labelOf(input);
	const s = readSeries(input);
	if ("error" in s)
		return failed(`${label} could not be read: ${s.error}`, s.error);
	const { words, earlier } = PERIOD_WORDS[c.period];
	const latest = s.points.at(-1);
	if (!latest || latest.value === null)
		return noData(`${label} has no latest value to compare ${words}`);
	const times = s.points.map((p) => p.t);
	const grain = input.grain ?? inferGrain(times);
	const i = bucketContaining(times, shiftBack(latest.t, c.period), grain);
	const before = s.points[i]?.value;
	if (before === undefined || before === null)
		return noData(
			`${label} has no value for ${earlier}, so the ${words} change is unknown`,
		);
	const moved = `(from ${fmt(input, before)} to ${fmt(input, latest.value)})`;
	const limitText = `the ${formatPercent(c.percent)} ${c.direction === "either" ? "" : c.direction === "up" ? "rise " : "fall "}limit`;
	if (before === 0) {
		const sign = Math.sign(latest.value);
		const breached = sign !== 0 && directed(c.direction, sign) > 0;
		return {
			breached,
			observed: sign === 0 ? 0 : null,
			expected: c.percent,
			detail:
				sign === 0
					? `${label} stayed at 0 ${words}`
					: `${label} ${sign > 0 ? "rose" : "fell"} from 0 to ${fmt(input, latest.value)} ${words}; a change from zero has no percentage${breached ? `, so it counts as beyond ${limitText}` : ""}`,
		};
	}
	const change = ((latest.value - before) / Math.abs(before)) * 100;
	const breached = directed(c.direction, change) >= c.percent;
	const verb = change >= 0 ? "rose" : "fell";
	return {
		breached,
		observed: change,
		expected: c.direction === "down" ? -c.percent : c.percent,
		detail: `${label} ${verb} ${formatPercent(Math.abs(change))} ${words} ${moved}, ${breached ? "beyond" : "within"} ${limitText}`,
	};
}

/** A row-count rule as a person says it: "alert when more than 0". */
const COUNT_WORDS: Record<RowCountCondition["operator"], string> = {
	">": "more than",
	">=": "at least",
	"<": "fewer than",
	"<=": "at most",
	"=": "exactly",
	"!=": "other than",
};

function evaluateRowCount(
	c: RowCountCondition,
	input: EvaluationInput,
): Evaluation {
	if (!input.rows)
		return failed("the query returned no result set", "no rows were passed in");
	const n = input.rows.length;
	const breached = compare(n, c.operator, c.value);
	return {
		breached,
		observed: n,
		expected: c.value,
		detail: `${formatNumber(n)} found (alert when ${COUNT_WORDS[c.operator]} ${formatNumber(c.value)})`,
	};
}

const HOUR_MS = 3_600_000;

function evaluateStale(c: StaleCondition, input: EvaluationInput): Evaluation {
	const label = labelOf(input);
	const limitHours = c.unit === "days" ? c.amount * 24 : c.amount;
	const newest = newestTime(c, input);
	if ("error" in newest)
		return failed(`${label} could not be dated: ${newest.error}`, newest.error);
	const limit = `the ${plural(c.amount, c.unit.slice(0, -1))} limit`;
	if (newest.t === null)
		return {
			breached: true,
			observed: null,
			expected: limitHours,
			detail: `${label} has no data at all, which is beyond ${limit}`,
		};
	const ageHours = (input.now.getTime() - newest.t) / HOUR_MS;
	const breached = ageHours > limitHours;
	const age =
		ageHours >= 48
			? plural(Math.floor(ageHours / 24), "day")
			: plural(Math.floor(ageHours), "hour");
	return {
		breached,
		observed: ageHours,
		expected: limitHours,
		detail: `the newest data for ${label} (${new Date(newest.t).toISOString()}) is ${age} old, ${breached ? "older than" : "within"} ${limit}`,
	};
}

function newestTime(
	c: StaleCondition,
	input: EvaluationInput,
): { t: number | null } | { error: string } {
	if (input.series) {
		const s = readSeries(input);
		if ("error" in s) return s;
		const times = s.points.filter((p) => p.value !== null).map((p) => p.t);
		return { t: times.length ? Math.max(...times) : null };
	}
	const col = c.column ?? input.keyColumn;
	if (!col) return { error: "no column names the timestamp" };
	let newest: number | null = null;
	for (const row of input.rows ?? []) {
		const v = row[col];
		if (v === null || v === undefined) continue;
		const t =
			v instanceof Date
				? v.getTime()
				: typeof v === "string"
					? Date.parse(v)
					: Number.NaN;
		if (Number.isNaN(t))
			return {
				error: `column ${col} holds ${JSON.stringify(v)}, not a timestamp`,
			};
		newest = newest === null ? t : Math.max(newest, t);
	}
	return { t: newest };
}
