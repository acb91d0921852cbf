/** Building blocks shared by the metric definitions: dimension sets, grains, the lines query. */
import type {
	DimensionId,
	Grain,
	MetricDefinition,
	MetricSql,
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

/**
 * What orders and customers are counted by, per source (the same number in two ERPs is two
 * orders), and which of their lines count: the lines that make an order (transaction_data.is_order:
 * not a cancellation, net sales above zero — the one definition, migrations/013_order_line.sql);
 * a line without a customer is nobody's. Order numbers are never null (the ingest mapping requires them).
 */
const COUNTED = {
	order_number: "t.is_order",
	customer: "t.is_order and t.customer is not null",
} as const;
export type CountedKey = keyof typeof COUNTED;

/**
 * Distinct orders or customers with a counted line, per period. Not `count(distinct (source,
 * key))` per group: Postgres sorts every group's composite values for that, which took most of a
 * minute at 10M lines; the distinct (period, source, key) triples hash-aggregate, then are counted.
 */
export function distinctPerPeriod(key: CountedKey): MetricSql {
	return groupable(
		(ctx) => `select a.period, count(*) as value${ctx.memberKey("a")}
from (
	select ${ctx.period("t.posting_date")} as period, t.source, t.${key}${ctx.member("lines")}
	from transaction_data t ${ctx.joins("lines")}
	where t.posting_date >= ${ctx.from} and t.posting_date < ${ctx.to} ${ctx.source("t")} ${ctx.filter("lines")}
		and ${COUNTED[key]}
	${ctx.groupBy("lines", "1, 2, 3")}
) a
group by 1${ctx.memberKey("a")}`,
	);
}

/**
 * Revenue of every line of the period over its distinct orders or customers (as
 * distinctPerPeriod counts them), in one pass: lines grouped per (period, source, key) first.
 */
export function revenuePerDistinct(key: CountedKey): MetricSql {
	return groupable(
		(ctx) => `select a.period,
	sum(a.revenue) / nullif(count(*) filter (where a.counted), 0) as value${ctx.memberKey("a")}
from (
	select ${ctx.period("t.posting_date")} as period, t.source, t.${key}${ctx.member("lines")},
		sum(t.net_sales) as revenue, coalesce(bool_or(${COUNTED[key]}), false) as counted
	from transaction_data t ${ctx.joins("lines")}
	where t.posting_date >= ${ctx.from} and t.posting_date < ${ctx.to} ${ctx.source("t")} ${ctx.filter("lines")}
	${ctx.groupBy("lines", "1, 2, 3")}
) a
group by 1${ctx.memberKey("a")}`,
	);
}

/**
 * An aggregate over order lines in the window, per period. `value` is an SQL aggregate over
 * transaction_data t written in this folder, never from user input. The builder keeps it as
 * `aggregate`, so explain can read a ratio's numerator and denominator in one statement
 * (linesAggregates).
 */
export function linesAggregate(value: string): MetricSql {
	return Object.assign(
		groupable((ctx) => linesSelect(ctx, `${value} as value`)),
		{ aggregate: value },
	);
}

/** Several lines aggregates in one pass, as columns value0, value1, … (see linesAggregate). */
export function linesAggregates(values: readonly string[]): MetricSql {
	return groupable((ctx) =>
		linesSelect(ctx, values.map((v, i) => `${v} as value${i}`).join(", ")),
	);
}

function linesSelect(ctx: SqlContext, columns: string): string {
	return `select ${ctx.period("t.posting_date")} as period, ${columns}${ctx.member("lines")}
from transaction_data t ${ctx.joins("lines")}
where t.posting_date >= ${ctx.from} and t.posting_date < ${ctx.to} ${ctx.source("t")} ${ctx.filter("lines")}
${ctx.groupBy("lines", "1")}`;
}

/** Marks a builder that honours ctx.member/memberKey (see MetricSql). */
export function groupable(sql: (ctx: SqlContext) => string): MetricSql {
	return Object.assign(sql, { groupable: true as const });
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
