/**
 * Types shared by the correlation engine and everything that shows its results (the
 * `/correlate` command, digests, monitors). Inputs are plain series; outputs are plain data
 * with every number finite, so they serialise to JSON as they are.
 */

import type { Grain } from "../../calendar.ts";

export type { Grain };

/** One period of a series. `period` is the ISO date (YYYY-MM-DD) the period starts on. */
export interface SeriesPoint {
	period: string;
	value: number | null;
}

/**
 * A metric over time. Months start on the 1st; weeks all start on the same weekday.
 * A `null` value is a period with no data; it is dropped, never treated as zero.
 */
export interface Series {
	metric: string;
	/** Currency code (`USD`), `%`, or a plural noun (`customers`, `orders`, `days`). */
	unit: string;
	grain: Grain;
	points: readonly SeriesPoint[];
}

/** What the metric catalog knows about a metric beyond its values. */
export interface MetricMeta {
	/** Human name, e.g. "active customers"; defaults to the metric's id. */
	label?: string;
	/** One unit of the metric as a noun, e.g. "active customer"; used in the slope sentence. */
	unitNoun?: string;
	/**
	 * True for totals over the period (revenue per month), false for levels (headcount).
	 * Decides whether the slope sentence says "per month". Defaults to true for currencies.
	 */
	flow?: boolean;
	/** Metrics this one is computed from, e.g. revenue: ["active_customers", "revenue_per_customer"]. */
	builtFrom?: readonly string[];
}

/** Catalog metadata by metric id. Metrics missing here get defaults. */
export type MetricMetaMap = Readonly<Record<string, MetricMeta>>;

/** A correlation coefficient, its two-sided p-value and the number of pairs behind it. */
export interface CorrelationStat {
	r: number;
	p: number;
	n: number;
}

/** A statistic that could not be computed, and why, in plain English. */
export interface Unavailable {
	available: false;
	reason: string;
}

/** Either the statistic (with `available: true`) or the reason it is missing. */
export type Maybe<T> = ({ available: true } & T) | Unavailable;

/** Pearson's r with a Fisher-z confidence interval. */
export interface PearsonStat extends CorrelationStat {
	ci: { level: number; lower: number; upper: number };
}

/** The correlation at one lag: y at period t + lag against x at period t. */
export type LagStat = { lag: number } & Maybe<CorrelationStat>;

/** Cross-correlation over a window of lags, with the strongest one flagged as a multiple try. */
export interface CrossCorrelation {
	lags: LagStat[];
	/** The lag with the largest |r|; null when no lag could be computed. */
	best: {
		lag: number;
		r: number;
		/** The p-value as if this lag had been the only one tried. */
		p: number;
		n: number;
		/** How many lags were computed: the best one is "one of `tries` tries". */
		tries: number;
		/** min(1, p · tries). */
		bonferroniP: number;
	} | null;
}

/** Lag-1 autocorrelation of each aligned series. */
export interface Autocorrelations {
	x: Maybe<{ r1: number }>;
	y: Maybe<{ r1: number }>;
}

/** Effective sample size under lag-1 autocorrelation (Bretherton et al. 1999) and the p-value it gives. */
export interface EffectiveSample {
	n: number;
	/** N·(1 − r1x·r1y)/(1 + r1x·r1y) before clamping. */
	unclamped: number;
	/** Clamped to [2 + ε, n]. */
	nEff: number;
	clamped: "low" | "high" | null;
	/** Degrees of freedom of the t-test, nEff − 2. */
	df: number;
	/** Two-sided p-value of Pearson's r with nEff − 2 degrees of freedom. */
	p: number;
	/** Says when the value was clamped or could not be adjusted; null otherwise. */
	note: string | null;
}

/** Ordinary least squares of y on x, in the series' own units. */
export interface Regression {
	slope: number;
	intercept: number;
	rSquared: number;
	slopeStdErr: number;
	/** E.g. "each extra active customer ≈ $1,234 revenue per month". */
	sentence: string;
}

/** Whether both series repeat with the seasonal period and what is left after removing it. */
export interface SeasonalCheck {
	/** 12 for months, 52 for weeks, 7 for days. */
	lag: number;
	/** Autocorrelation at the seasonal lag of each series' period-to-period changes. */
	acfX: number;
	acfY: number;
	/** Correlation of the seasonal differences x(t) − x(t − lag) and y(t) − y(t − lag). */
	seasonalDifferences: Maybe<CorrelationStat>;
}

/** The patterns a verdict can name. */
export type Pattern =
	| "robust"
	| "shared_trend"
	| "seasonal"
	| "definitional_overlap"
	| "too_few_points"
	| "not_computable"
	| "weak"
	| "none";

/** The engine's reading of a result: a primary pattern, every caveat that applies, and why. */
export interface Verdict {
	primary: Pattern;
	/** Every pattern that applies, primary first, then in the fixed order of `PATTERN_ORDER`. */
	patterns: Pattern[];
	/** One plain-English sentence about the primary pattern, with the numbers behind it. */
	sentence: string;
	/** One sentence per other caveat (seasonality, overlap, autocorrelation, best lag). */
	details: string[];
}

/** Which metrics are built from which, when the two overlap by definition. */
export interface Overlap {
	/** E.g. "revenue is built from active customers" or "both are built from orders". */
	description: string;
	shared: string[];
}

/** A series as it appears in a result. */
export interface SeriesRef {
	metric: string;
	label: string;
	unit: string;
}

/** Why no correlation could be computed. */
export type RefusalCode =
	| "too_few_points"
	| "constant_series"
	| "grain_mismatch"
	| "invalid_period"
	| "duplicate_period";

interface ResultBase {
	x: SeriesRef;
	y: SeriesRef;
	grain: Grain;
	/** Aligned periods used: both values present. */
	n: number;
	/** First and last aligned period, null when none. */
	first: string | null;
	last: string | null;
	verdict: Verdict;
}

/** No correlation: the reason says why in plain English. */
export interface CorrelationRefusal extends ResultBase {
	status: "refused";
	code: RefusalCode;
	reason: string;
}

/** Every statistic the engine computes on an aligned pair of series. */
export interface CorrelationReport extends ResultBase {
	status: "ok";
	pearson: PearsonStat;
	spearman: CorrelationStat;
	/** Correlation of first differences (period-to-period changes) of the two series. */
	changes: Maybe<CorrelationStat>;
	crossCorrelation: CrossCorrelation;
	autocorrelation: Autocorrelations;
	effective: EffectiveSample;
	regression: Regression;
	seasonal: Maybe<SeasonalCheck>;
	overlap: Overlap | null;
}

/** The result of correlating two series. */
export type CorrelationResult = CorrelationRefusal | CorrelationReport;

/** One metric's place in a ranking against a target. */
export interface RankedCorrelation {
	/** 1-based; refused metrics come last, in metric order. */
	rank: number;
	result: CorrelationResult;
	/** Benjamini–Hochberg adjusted p (q-value) of the autocorrelation-adjusted p; null when refused. */
	q: number | null;
	/** q ≤ the ranking's false discovery rate. */
	survives: boolean;
}

/** Every other metric ranked against one target. */
export interface Ranking {
	target: SeriesRef;
	/** The false discovery rate used, 0.05 unless given. */
	fdr: number;
	entries: RankedCorrelation[];
}
