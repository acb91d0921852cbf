/**
 * What a condition is evaluated on, and the helpers that read it. The caller fetches the data
 * (a catalog metric series, or the rows of a monitor query) and passes it in with `now`.
 */
import { formatNumber } from "./format.ts";
import type { Grain } from "./model.ts";
import { periodTime } from "./periods.ts";

/** One point of a metric series; `period` is the ISO date its bucket starts on. */
export interface SeriesPoint {
	period: string;
	value: number | null;
}

/** One row of a monitor query, as the driver returned it (numeric columns may be strings). */
export type Row = Readonly<Record<string, unknown>>;

/** What a condition carries from one run to the next (only `new_rows` uses it). */
export interface ConditionState {
	/** Keys seen in recent runs, newest first, at most MAX_SEEN_KEYS. */
	seenKeys: string[];
}

/** The observed data for one run. */
export interface EvaluationInput {
	/** The evaluation instant (stale conditions measure age from it). */
	now: Date;
	/** Metric series, oldest first, latest last. */
	series?: readonly SeriesPoint[];
	/** Query rows; series conditions read them through keyColumn (period) and valueColumn. */
	rows?: readonly Row[];
	valueColumn?: string;
	keyColumn?: string;
	/** State the previous run returned. */
	previous?: ConditionState | null;
	/** Bucket size of the series; inferred from the periods when absent. */
	grain?: Grain;
	/** What the value is called in sentences ("gross margin"); default "the value". */
	label?: string;
	/** Formats values in sentences ("13.8%"); default formatNumber. */
	formatValue?: (value: number) => string;
	/** The metric's unit ("percent" makes differences read as points). */
	unit?: string;
}

/** The outcome of evaluating a condition once. */
export interface Evaluation {
	breached: boolean;
	/** The number the rule judged (value, % change, row count, age in hours, new keys); null when none. */
	observed: number | null;
	/** The limit or the typical value it was judged against. */
	expected?: number;
	/** A human sentence: "gross margin 13.8% is below 28%". */
	detail: string;
	/** Why the condition could not be evaluated (missing column, non-numeric value). */
	error?: string;
	/** Nothing to judge (empty series, null value, too little history). */
	noData?: boolean;
	/** Anomaly only: the robust z-score of the latest point (what tuning works on). */
	score?: number;
	/** State to hand to the next run (new_rows). */
	state?: ConditionState;
	/** new_rows only: the keys not seen before. */
	newKeys?: string[];
	/** Metric targets: the manager's sentence and the observed figure with its period (headline.ts). */
	headline?: string;
	observedText?: string;
	/**
	 * A breach on a catalog metric (a metric monitor, or a template with a chart metric): why the
	 * metric moved, in one sentence (explain-text.ts), and what the alert's Explain button explains.
	 */
	drivers?: string;
	explain?: ExplainRequest;
}

/** What an alert's Explain button explains: one catalog metric's period against the one before. */
export interface ExplainRequest {
	metric: string;
	grain: "day" | "week" | "month";
	/** The period's first day. */
	period: string;
	/** The member the alert is about (West, for a margin drop in West). */
	within?: { dimension: string; value: string };
}

/** A point with a parsed time and a present value. */
export interface TimedValue {
	t: number;
	period: string;
	value: number | null;
}

/** Reads a driver value as a number: numbers, numeric strings (pg numeric) and bigints. */
export function toNumber(v: unknown): number | null | "invalid" {
	if (v === null || v === undefined) return null;
	if (typeof v === "number") return Number.isFinite(v) ? v : "invalid";
	if (typeof v === "bigint") return Number(v);
	if (typeof v === "string" && v.trim() !== "") {
		const n = Number(v);
		return Number.isFinite(n) ? n : "invalid";
	}
	return "invalid";
}

export function labelOf(input: EvaluationInput): string {
	return input.label ?? "the value";
}

export function fmt(input: EvaluationInput, v: number): string {
	return (input.formatValue ?? formatNumber)(v);
}

/** The series to judge, from `series` or from rows via keyColumn/valueColumn, sorted by time. */
export function readSeries(
	input: EvaluationInput,
): { points: TimedValue[] } | { error: string } {
	const raw = input.series ?? rowsAsSeries(input);
	if ("error" in raw) return raw;
	const points: TimedValue[] = [];
	for (const p of raw) {
		const t = periodTime(p.period);
		if (t === null) return { error: `period "${p.period}" is not an ISO date` };
		points.push({ t, period: p.period, value: p.value });
	}
	points.sort((a, b) => a.t - b.t);
	return { points };
}

function rowsAsSeries(
	input: EvaluationInput,
): SeriesPoint[] | { error: string } {
	const rows = input.rows ?? [];
	const { keyColumn, valueColumn } = input;
	if (!keyColumn) return { error: "no keyColumn names the period column" };
	const out: SeriesPoint[] = [];
	for (const row of rows) {
		const period = row[keyColumn];
		const value = valueColumn ? row[valueColumn] : firstNumber(row, keyColumn);
		const n = toNumber(value);
		if (n === "invalid")
			return {
				error: `column ${valueColumn ?? "(first numeric)"} holds ${JSON.stringify(value)}, not a number`,
			};
		const p = period instanceof Date ? period.toISOString() : String(period);
		out.push({ period: p, value: n });
	}
	return out;
}

function firstNumber(row: Row, except?: string): unknown {
	for (const [k, v] of Object.entries(row))
		if (k !== except && typeof toNumber(v) === "number") return v;
	return null;
}

/** The single value of a query (first row, valueColumn or first numeric column) or of a series (latest point). */
export function latestValue(
	input: EvaluationInput,
): { value: number | null; at?: string } | { error: string } {
	if (input.series) {
		const s = readSeries(input);
		if ("error" in s) return s;
		const last = s.points.at(-1);
		return last ? { value: last.value, at: last.period } : { value: null };
	}
	const row = input.rows?.[0];
	if (!row) return { value: null };
	const col = input.valueColumn;
	if (col && !(col in row))
		return { error: `the query has no column "${col}"` };
	const raw = col ? row[col] : firstNumber(row);
	const n = toNumber(raw);
	if (n === "invalid")
		return {
			error: `column ${col} holds ${JSON.stringify(raw)}, not a number`,
		};
	return { value: n };
}
