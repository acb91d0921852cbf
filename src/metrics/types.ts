/**
 * Types of the metric catalog (the semantic layer): what a metric is, which dimensions and
 * grains it allows, and how its SQL is built. Commands and monitors name metrics; the catalog
 * turns a name into SQL whose identifiers all come from here and whose values are all bound.
 */
import type { Grain } from "../calendar.ts";
import type { LinesTable } from "./rollups.ts";

export type { Grain };

/** Every grain the catalog can build SQL for, in the order they are listed to users. */
export const GRAINS: readonly Grain[] = ["day", "week", "month"];

/** How a metric's values are measured. */
export type UnitKind =
	| "currency"
	| "count"
	| "percent"
	| "units"
	| "days"
	| "ratio";

/** The dimensions a series can be filtered or broken down by: the allow-list, nothing else. */
export type DimensionId =
	| "region"
	| "segment"
	| "salesperson"
	| "branch"
	| "category"
	| "customer"
	| "material";

/**
 * The fact a metric counts, each with its own table alias in SQL: `lines` (transaction_data t),
 * `customers` (customer_master c, one row per customer), `quotes` (sales_quotes q) and `stock`
 * (stox_stock_levels s joined to stox_material_master m).
 */
export type BaseId = "lines" | "customers" | "quotes" | "stock";

/** What a metric needs beyond rows: cost data (total_cogs / unit_cost) or stock snapshots. */
export type Requirement = "cost" | "stock" | "quotes";

/** One value of one dimension that a series is restricted to, e.g. region = "North". */
export interface SeriesFilter {
	dimension: DimensionId;
	value: string;
}

/**
 * The SQL-building context a metric's definition receives. Every value goes through `bind`
 * (a `$n` placeholder); every identifier or keyword comes from the allow-lists in this folder.
 */
export interface SqlContext {
	/** Binds a value and returns its placeholder with a cast, e.g. `$3::date`. */
	bind(value: unknown, cast: "date" | "text" | "int"): string;
	/** The period start of a date expression on the grain, e.g. `date_trunc('month', t.posting_date)::date`. */
	period(dateExpr: string): string;
	/** The grain's step as an SQL interval literal, e.g. `interval '1 month'`. */
	readonly step: string;
	/**
	 * The from-item the order lines t are read from: transaction_data, or a rollup with the same
	 * column names and the sums of MetricSql.rollup (see `reads`). A builder that reads lines
	 * writes `from ${ctx.lines} t`.
	 */
	readonly lines: string;
	/**
	 * Which table that is. sales_daily and sales_monthly rows are one customer's lines of a day
	 * or month; a sales_totals row is a whole period's, of the filter's member (or all), with its
	 * distinct customers in `customers`: only MetricSql.rollup.totals expressions read it.
	 */
	readonly reads: LinesTable;
	/** Placeholders of the first day included and the first day after the range. */
	readonly from: string;
	readonly to: string;
	/** `and <alias>.source = $n` when the series is restricted to one source, else "". */
	source(alias: string): string;
	/** `and <dimension expression on the base> = $n` for the filter, else "". */
	filter(base: BaseId): string;
	/** The joins the filter's dimension needs on the base (e.g. customer_master for segments). */
	joins(base: BaseId): string;
	/**
	 * In a series grouped by dimensions (SeriesSpec.groupBy), the select-list columns of the
	 * base's rows: `, <dimension i expression> as m<i>` for each, then `, grouping(…) as g`, which
	 * says which dimension a row is grouped by; "" otherwise. Their joins come with `joins`.
	 */
	member(base: BaseId): string;
	/**
	 * The GROUP BY clause on the base's rows: `group by <leading>` plainly, else grouping sets:
	 * `(<leading>)` for the total, then `(<leading>, <dimension expression>)` per dimension.
	 */
	groupBy(base: BaseId, leading: string): string;
	/** The member columns again (`, <alias>.g, <alias>.m0, …`) for an outer query's select list and GROUP BY; "" plainly. */
	memberKey(alias: string): string;
}

/** A metric of the catalog. */
export interface MetricDefinition {
	/** Stable id, snake_case: what monitors and results store. */
	id: string;
	/** Human name, e.g. "active customers". */
	label: string;
	/** Other names people type: "sales", "turnover", "customers". */
	synonyms: readonly string[];
	description: string;
	unit: UnitKind;
	/** Plural noun for counts ("orders"), one unit as a noun for the slope sentence ("order"). */
	noun?: { one: string; many: string };
	defaultGrain: Grain;
	grains: readonly Grain[];
	dimensions: readonly DimensionId[];
	/**
	 * Metrics this one is arithmetically composed of, for the correlation engine's
	 * definitional-overlap check. The rule: a ratio A/B lists [A, B]; a difference lists its
	 * terms; a total lists [count, ratio] for each count × ratio identity the catalog completes
	 * (revenue = active customers × revenue per customer = orders × average order value).
	 */
	builtFrom: readonly string[];
	/**
	 * True for quantities measured over the period (revenue, orders, active customers); false for
	 * levels and ratios (inventory value, margin %). Missing periods are 0 for flows, else null.
	 */
	flow: boolean;
	/** False for distinct counts (active customers): a customer active in two months is one customer, so periods do not add up. */
	summable?: boolean;
	/**
	 * True for ratios of flows (margin %, average order value, revenue per customer, win rate):
	 * over several periods the metric is its own formula over all of them — the ratio of the
	 * totals — and that is the figure a summary shows, never the mean of the periods' ratios.
	 */
	ratioOfTotals?: boolean;
	/** The fact whose dates set the series' window (first to last period with data). */
	base: BaseId;
	/**
	 * Keep a trailing period the data only partly cover. Only for stock levels (the latest
	 * snapshot is as good mid-month as at month end); flows would show a collapse there.
	 */
	keepPartialEnd?: boolean;
	requires: readonly Requirement[];
	/**
	 * SQL returning rows `(period date, value numeric)` for periods in [from, to); with
	 * `groupable`, it honours ctx.member/groupBy/memberKey and returns `(period, value, g, m0, …)`
	 * rows, one per member of each dimension and period, when the series is grouped.
	 */
	sql: MetricSql;
}

/** A metric's SQL builder; `groupable` says it can group by dimensions (see SqlContext.member). */
export type MetricSql = ((ctx: SqlContext) => string) & {
	readonly groupable?: true;
	/** A lines aggregate's SQL aggregate expression (definitions/common.ts linesAggregate). */
	readonly aggregate?: string;
	/**
	 * Present when the metric gives the same numbers read from a rollup: `finest` is the coarsest
	 * rollup it can read ("month": either; "day": only the daily one), `aggregate` a lines
	 * aggregate's expression over the rollup's sums.
	 */
	readonly rollup?: {
		readonly finest: "day" | "month";
		readonly aggregate?: string;
		/** The metric as an aggregate over sales_totals rows t, e.g. sum(t.customers). */
		readonly totals?: string;
	};
};
