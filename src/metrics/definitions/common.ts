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
	const sql = groupable((ctx) =>
		ctx.reads === "sales_totals"
			? linesSelect(ctx, "sum(t.customers) as value")
			: `select a.period, count(*) as value${ctx.memberKey("a")}
from (
	select ${ctx.period("t.posting_date")} as period, t.source, t.${key}${ctx.member("lines")}
	from ${ctx.lines} t ${ctx.joins("lines")}
	where t.posting_date >= ${ctx.from} and t.posting_date < ${ctx.to} ${ctx.source("t")} ${ctx.filter("lines")}
		and ${COUNTED[key]}
	${ctx.groupBy("lines", "1, 2, 3")}
) a
group by 1${ctx.memberKey("a")}`,
	);
	return byCustomer(key, sql, "sum(t.customers)");
}

/**
 * A rollup row is one customer's lines of a day or month, and a sales_totals row counts a period's
 * distinct customers: exact for customers (as `totals` over sales_totals), not for orders.
 */
function byCustomer(
	key: CountedKey,
	sql: MetricSql,
	totals: string,
): MetricSql {
	return key === "customer" ? rollable(sql, { finest: "month", totals }) : sql;
}

/**
 * Revenue of every line of the period over its distinct orders or customers (as
 * distinctPerPeriod counts them), in one pass: lines grouped per (period, source, key) first.
 */
export function revenuePerDistinct(key: CountedKey): MetricSql {
	const totals = "sum(t.net_sales) / nullif(sum(t.customers), 0)";
	const sql = groupable((ctx) =>
		ctx.reads === "sales_totals"
			? linesSelect(ctx, `${totals} as value`)
			: `select a.period,
	sum(a.revenue) / nullif(count(*) filter (where a.counted), 0) as value${ctx.memberKey("a")}
from (
	select ${ctx.period("t.posting_date")} as period, t.source, t.${key}${ctx.member("lines")},
		sum(t.net_sales) as revenue, coalesce(bool_or(${COUNTED[key]}), false) as counted
	from ${ctx.lines} t ${ctx.joins("lines")}
	where t.posting_date >= ${ctx.from} and t.posting_date < ${ctx.to} ${ctx.source("t")} ${ctx.filter("lines")}
	${ctx.groupBy("lines", "1, 2, 3")}
) a
group by 1${ctx.memberKey("a")}`,
	);
	return byCustomer(key, sql, totals);
}

/**
 * An aggregate over order lines in the window, per period. `value` is an SQL aggregate over
 * transaction_data t written in this folder, never from user input; `rollup`, when given, the
 * same aggregate over a rollup's sums (sum(t.order_lines) for count(*) filter (where t.is_order)).
 * The builder keeps both, so explain can read a ratio's numerator and denominator in one
 * statement (linesAggregates).
 */
export function linesAggregate(value: string, rollup?: string): MetricSql {
	const sql = Object.assign(
		groupable((ctx) =>
			linesSelect(ctx, `${pick(ctx, value, rollup)} as value`),
		),
		{ aggregate: value },
	);
	// sales_totals carries the same sums, so the rollup expression reads it too.
	return rollup === undefined
		? sql
		: rollable(sql, { finest: "month", aggregate: rollup, totals: rollup });
}

/** A lines aggregate's expression for the table the context reads. */
function pick(
	ctx: SqlContext,
	value: string,
	rollup: string | undefined,
): string {
	if (ctx.reads === "transaction_data") return value;
	if (rollup === undefined)
		throw new Error(`${value} cannot be read from ${ctx.reads}`);
	return rollup;
}

/** Several lines aggregates in one pass, as columns value0, value1, … (see linesAggregate). */
export function linesAggregates(
	values: readonly { value: string; rollup?: string }[],
): MetricSql {
	return groupable((ctx) =>
		linesSelect(
			ctx,
			values
				.map((v, i) => `${pick(ctx, v.value, v.rollup)} as value${i}`)
				.join(", "),
		),
	);
}

/** Marks a builder as one that reads a rollup as well as the order lines (MetricSql.rollup). */
export function rollable(
	sql: MetricSql,
	rollup: NonNullable<MetricSql["rollup"]>,
): MetricSql {
	return Object.assign(sql, { rollup });
}

function linesSelect(ctx: SqlContext, columns: string): string {
	return `select ${ctx.period("t.posting_date")} as period, ${columns}${ctx.member("lines")}
from ${ctx.lines} t ${ctx.joins("lines")}
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
