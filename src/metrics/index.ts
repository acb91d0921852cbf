/**
 * The metric catalog (semantic layer): named metrics with synonyms, units, grains, allowed
 * dimensions and the SQL behind their series. See DESIGN.md, "Metric catalog".
 */
export {
	type CatalogOptions,
	createMetricCatalog,
	DEFAULT_METRICS,
	type MetricCatalog,
} from "./catalog.ts";
export {
	type CorrelateOptions,
	type CorrelateOutcome,
	correlate,
	metricNamed,
	type PairOutcome,
	type RankingOutcome,
} from "./correlate.ts";
export { CHURN_DAYS } from "./definitions/customers.ts";
export {
	DIMENSIONS,
	type DimensionDefinition,
	dimension,
} from "./dimensions.ts";
export {
	assertDimensionReady,
	type Breakdown,
	type FetchOptions,
	fetchBreakdown,
	fetchSeries,
	type MetricSeries,
} from "./fetch.ts";
export {
	addPeriods,
	fillPeriods,
	periodStart,
	periodsBetween,
	seriesWindow,
} from "./periods.ts";
export {
	nameKey,
	orList,
	type Resolution,
	resolveDimension,
	resolveGrain,
	resolveMetric,
} from "./resolve.ts";
export {
	GRAIN_SQL,
	membersStatement,
	type SeriesSpec,
	type Statement,
	seriesStatement,
	windowStatement,
} from "./sql.ts";
export * from "./types.ts";
