import type { TimeGrain, ValueFormat } from "./format.ts";
import type { Severity } from "./theme.ts";

/** A moment: a Date, an ISO-8601 string or epoch milliseconds. Read as UTC. */
export type Instant = Date | string | number;

/** One observation in time; `value: null` (or NaN) is a gap in the line. */
export interface TimePoint {
	t: Instant;
	value: number | null;
}

/** A named line. */
export interface Series {
	name: string;
	points: TimePoint[];
}

/** A point to call out on a time series, such as the breach that fired an alert. */
export interface Highlight {
	t: Instant;
	value: number;
	label?: string;
	severity?: Severity;
}

/** A horizontal rule, such as an alert threshold. */
export interface ReferenceLine {
	value: number;
	label?: string;
	severity?: Severity;
}

/** What every chart has: a title, an optional subtitle, and an optional canvas size in CSS pixels. */
export interface ChartBase {
	title: string;
	subtitle?: string;
	width?: number;
	height?: number;
}

/** One or several lines over time, with optional highlighted points and thresholds. */
export interface TimeSeriesInput extends ChartBase {
	kind: "timeseries";
	grain: TimeGrain;
	format: ValueFormat;
	yTitle?: string;
	/** Start the value axis at zero (money over time, where a zoomed axis makes +50% look like 4x). */
	fromZero?: boolean;
	series: Series[];
	highlights?: Highlight[];
	thresholds?: ReferenceLine[];
}

/** One measure of a dual-axis chart. */
export interface AxisSeries {
	name: string;
	format: ValueFormat;
	points: TimePoint[];
}

/** Two measures over the same time axis, each on its own y axis (left and right). */
export interface DualAxisInput extends ChartBase {
	kind: "dual-axis";
	grain: TimeGrain;
	left: AxisSeries;
	right: AxisSeries;
}

/** A measure on a scatter axis. */
export interface ScatterAxis {
	title: string;
	format: ValueFormat;
}

/** Pairs of values with their least-squares line; r goes in the subtitle. */
export interface ScatterInput extends ChartBase {
	kind: "scatter";
	x: ScatterAxis;
	y: ScatterAxis;
	points: { x: number | null; y: number | null; label?: string }[];
}

/** One bar. */
export interface BarItem {
	label: string;
	value: number | null;
	severity?: Severity;
}

/** Horizontal bars with value labels, largest first, cut to the top `limit` (10 unless given). */
export interface BarInput extends ChartBase {
	kind: "bar";
	format: ValueFormat;
	items: BarItem[];
	limit?: number;
	/** `"desc"` (default) sorts largest first; `"input"` keeps the given order. */
	order?: "desc" | "input";
}

/** One step of a waterfall: a change, in the totals' unit (a fraction for a percent). */
export interface WaterfallStep {
	label: string;
	value: number | null;
}

/**
 * A bridge between two totals: start, the steps that moved it (down in red, up in green), end.
 * The steps should add up to end − start (the caller folds the rest into an "all others" step).
 * For a percent format the steps are written in percentage points.
 */
export interface WaterfallInput extends ChartBase {
	kind: "waterfall";
	format: ValueFormat;
	start: { label: string; value: number | null };
	steps: WaterfallStep[];
	end: { label: string; value: number | null };
}

/** One cohort: when it started, how many it had, and the share retained in period 0, 1, 2, … */
export interface CohortRow {
	start: Instant;
	size: number;
	retention: (number | null)[];
}

/** Cohort retention triangle: one row per cohort, one column per period since start. */
export interface CohortInput extends ChartBase {
	kind: "cohort";
	grain: TimeGrain;
	cohorts: CohortRow[];
}

/** One forecast step with its prediction interval. */
export interface ForecastPoint {
	t: Instant;
	value: number;
	lower: number;
	upper: number;
}

/** Actuals as a solid line, the forecast as a dashed line inside its prediction band. */
export interface ForecastInput extends ChartBase {
	kind: "forecast";
	grain: TimeGrain;
	format: ValueFormat;
	actuals: TimePoint[];
	forecast: ForecastPoint[];
	/** "80% interval" unless given. */
	bandLabel?: string;
	yTitle?: string;
}

/** A KPI tile for digests: name, current value, change, and a small line. */
export interface SparklineInput extends ChartBase {
	kind: "sparkline";
	grain: TimeGrain;
	format: ValueFormat;
	points: TimePoint[];
	/** The headline value; the last non-null point unless given. */
	value?: number;
	/** The change to show, with what it compares against ("vs last week"). */
	delta?: { value: number; format?: ValueFormat; label?: string };
	/** Which way is good, for the colour of the change; "up" unless given. */
	goodDirection?: "up" | "down";
}

/** The same measure for several groups (regions, warehouses), one small line chart each. */
export interface SmallMultiplesInput extends ChartBase {
	kind: "small-multiples";
	grain: TimeGrain;
	format: ValueFormat;
	panels: Series[];
	/** Panels per row; 3 unless given. */
	columns?: number;
	/** Give every panel its own y scale; shared (comparable) unless set. */
	independentY?: boolean;
}

/** Everything `renderChart` can draw. */
export type ChartInput =
	| TimeSeriesInput
	| DualAxisInput
	| ScatterInput
	| BarInput
	| WaterfallInput
	| CohortInput
	| ForecastInput
	| SparklineInput
	| SmallMultiplesInput;

/** The kinds of chart, for galleries and logs. */
export type ChartKind = ChartInput["kind"];

/**
 * A rendered chart or the reason there is none. Either way `alt` describes the data, so a caller
 * that gets `ok: false` can still post a text-only message.
 */
export type ChartResult =
	| {
			ok: true;
			png: Buffer;
			svg: string;
			alt: string;
			/** PNG size in device pixels (twice the CSS size unless another scale was asked for). */
			width: number;
			height: number;
	  }
	| { ok: false; error: string; alt: string };
