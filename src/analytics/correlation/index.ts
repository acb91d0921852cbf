/**
 * The correlation engine: pure statistics on two metric series, a verdict that names spurious
 * patterns, and rankings with Benjamini–Hochberg control. See DESIGN.md, "Correlation".
 */
export { type AlignedPair, type Alignment, alignSeries } from "./alignment.ts";
export { correlateSeries } from "./analyze.ts";
export {
	MAX_LAG,
	MIN_EFFECTIVE_N_MARGIN,
	STRONG_SEASONAL_ACF,
} from "./dependence.ts";
export { formatCorrelation, formatRanking, patternName } from "./format.ts";
export { SEASONAL_LAG } from "./periods.ts";
export { benjaminiHochberg, DEFAULT_FDR, rankAgainst } from "./ranking.ts";
export { MIN_POINTS } from "./statistics.ts";
export type * from "./types.ts";
export { ALPHA, CHANGE_RATIO, MIN_LEVEL_R } from "./verdict.ts";
