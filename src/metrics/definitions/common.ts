/** Building blocks shared by the metric definitions: dimension sets, grains, the lines query. */
import type {
	DimensionId,
	Grain,
	MetricDefinition,
	SqlContext,
} from "../types.ts";

export const ALL_GRAINS: readonly Grain[] = ["day", "week", "month"];
/** Stock is snapshotted weekly at best, so stock metrics have no daily grain. */
export const STOCK_GRAINS: readonly Grain[] = ["week", "month"];

export const LINE_DIMENSIONS: readonly DimensionId[] = [
	"region",
	"segment",
	"salesperson",
	"branch",
	"category",
	"customer",
	"material",
];
export const CUSTOMER_DIMENSIONS: readonly DimensionId[] = [
	"region",
	"segment",
	"branch",
	"customer",
];
export const QUOTE_DIMENSIONS: readonly DimensionId[] = [
	"region",
	"segment",
	"salesperson",
	"branch",
	"customer",
];
export const STOCK_DIMENSIONS: readonly DimensionId[] = [
	"category",
	"material",
];

/** Orders and customers are counted per source: the same number in two ERPs is two orders. */
export const ORDER_KEY = "(t.source, t.order_number)";
export const CUSTOMER_KEY = "(t.source, t.customer)";

/**
 * An aggregate over order lines in the window, per period. `value` is an SQL aggregate over
 * transaction_data t written in this folder, never from user input.
 */
export function linesAggregate(value: string): MetricDefinition["sql"] {
	return (ctx: SqlContext) => {
		const filter = ctx.filter("lines");
		return `select ${ctx.period("t.posting_date")} as period, ${value} as value
from transaction_data t ${ctx.joins("lines")}
where t.posting_date >= ${ctx.from} and t.posting_date < ${ctx.to} ${ctx.source("t")} ${filter}
group by 1`;
	};
}

/** Fields every metric of a kind shares, so definitions list only what differs. */
export function lineMetric(
	m: Omit<MetricDefinition, "base" | "grains" | "dimensions" | "defaultGrain"> &
		Partial<Pick<MetricDefinition, "dimensions">>,
): MetricDefinition {
	return {
		base: "lines",
		grains: ALL_GRAINS,
		dimensions: LINE_DIMENSIONS,
		defaultGrain: "month",
		...m,
	};
}
