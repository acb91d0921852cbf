/**
 * Builds the statements behind a metric series as `{ text, values }` with `$n` parameters.
 * Grain keywords and dimension expressions come only from the allow-lists (GRAIN_SQL,
 * DIMENSIONS); dates, the source and the dimension value are always bound.
 */
import { linesAggregates } from "./definitions/common.ts";
import { dimensionColumn } from "./dimensions.ts";
import { type LinesTable, TOTALS_DIMENSIONS } from "./rollups.ts";
import type {
	BaseId,
	DimensionId,
	Grain,
	MetricDefinition,
	SeriesFilter,
	SqlContext,
} from "./types.ts";

/** A parameterised statement, as pg's `query(text, values)` takes it. */
export interface Statement {
	text: string;
	values: unknown[];
}

/** The grain allow-list: its date_trunc field and its step. */
export const GRAIN_SQL: Readonly<
	Record<Grain, { field: string; step: string }>
> = {
	day: { field: "'day'", step: "interval '1 day'" },
	week: { field: "'week'", step: "interval '1 week'" },
	month: { field: "'month'", step: "interval '1 month'" },
};

/** Where each base keeps its date and source, for the window query. */
export const BASE_DATES: Readonly<
	Record<BaseId, { table: string; alias: string; date: string }>
> = {
	lines: { table: "transaction_data", alias: "t", date: "t.posting_date" },
	customers: { table: "transaction_data", alias: "t", date: "t.posting_date" },
	quotes: { table: "sales_quotes", alias: "q", date: "q.quote_date" },
	stock: { table: "stox_stock_levels", alias: "s", date: "s.snapshot_date" },
};

/** What a series statement is built from; `from`/`to` are ISO dates, `to` excluded. */
export interface SeriesSpec {
	grain: Grain;
	from: string;
	to: string;
	source?: string;
	filter?: SeriesFilter;
	/** More filters, all of which hold (the monitor's own member, then a member of another dimension). */
	filters?: readonly SeriesFilter[];
	/**
	 * One row per member of each of these dimensions and period, and the total's per period, in
	 * one statement (grouping sets): rows `(period, value, g, m0, …)`, see groupedRows.
	 */
	groupBy?: readonly DimensionId[];
	/**
	 * One period spanning [from, to): the metric's own formula over the whole window, which for a
	 * ratio (margin %, average order value) is the ratio of the totals, not a mean of ratios.
	 */
	whole?: boolean;
	/** Where the order lines are read from (see rollups.ts chooseLines); default transaction_data. */
	lines?: LinesTable;
}

function grainSql(grain: Grain): { field: string; step: string } {
	const g = Object.hasOwn(GRAIN_SQL, grain) ? GRAIN_SQL[grain] : undefined;
	if (!g) throw new Error(`grain "${String(grain)}" is not in the allow-list`);
	return g;
}

/**
 * The from-item of the order lines: the table, or for sales_totals the rows of the grain and of
 * the one dimension filtered by ('' for none). Both come from the allow-lists, never from input.
 */
function linesFrom(
	reads: LinesTable,
	grain: Grain,
	filters: readonly SeriesFilter[],
): string {
	if (reads !== "sales_totals") return reads;
	const dims = [...new Set(filters.map((f) => f.dimension))];
	const dimension = dims[0] ?? "";
	if (
		dims.length > 1 ||
		(dimension !== "" && !TOTALS_DIMENSIONS.has(dimension))
	)
		throw new Error(`sales_totals has no rows by ${dims.join(" and ")}`);
	grainSql(grain);
	return `(select * from sales_totals where grain = '${grain}' and dimension = '${dimension}')`;
}

/** A binder plus the context a metric's `sql` function builds its text with. */
export function sqlContext(
	spec: SeriesSpec,
	values: unknown[] = [],
): SqlContext {
	const g = grainSql(spec.grain);
	const bind: SqlContext["bind"] = (value, cast) => {
		values.push(value);
		return `$${values.length}::${cast}`;
	};
	const from = bind(spec.from, "date");
	const to = bind(spec.to, "date");
	const source = spec.source === undefined ? null : bind(spec.source, "text");
	const filters = [
		...(spec.filter ? [spec.filter] : []),
		...(spec.filters ?? []),
	];
	const bound = new Map<SeriesFilter, string>();
	const groups = spec.groupBy ?? [];
	const column = (dimensionId: DimensionId, base: BaseId) => {
		const c = dimensionColumn(dimensionId, base);
		if (!c)
			throw new Error(`dimension ${dimensionId} is not available on ${base}`);
		return c;
	};
	const reads = spec.lines ?? "transaction_data";
	return {
		bind,
		reads,
		lines: linesFrom(reads, spec.grain, filters),
		period: spec.whole
			? () => from
			: (expr) => `date_trunc(${g.field}, ${expr})::date`,
		step: spec.whole ? `((${to} - ${from}) * interval '1 day')` : g.step,
		from,
		to,
		source: (alias) => (source ? `and ${alias}.source = ${source}` : ""),
		filter(base) {
			return filters
				.map((f) => {
					const c = column(f.dimension, base);
					let value = bound.get(f);
					if (value === undefined) {
						value = bind(f.value, "text");
						bound.set(f, value);
					}
					return `and ${c.expr} = ${value}`;
				})
				.join(" ");
		},
		joins(base) {
			const dims = [...filters.map((f) => f.dimension), ...groups];
			// Dimensions on the same table share its join (and its alias): each join once.
			return [...new Set(dims.map((d) => column(d, base).join))]
				.filter(Boolean)
				.join(" ");
		},
		member(base) {
			if (groups.length === 0) return "";
			const exprs = groups.map((d) => column(d, base).expr);
			return `${exprs.map((e, i) => `, ${e} as m${i}`).join("")}, grouping(${exprs.join(", ")}) as g`;
		},
		groupBy(base, leading) {
			if (groups.length === 0) return `group by ${leading}`;
			const sets = groups.map((d) => `(${leading}, ${column(d, base).expr})`);
			return `group by grouping sets ((${leading}), ${sets.join(", ")})`;
		},
		memberKey(alias) {
			return groups.length === 0
				? ""
				: `, ${alias}.g${groups.map((_, i) => `, ${alias}.m${i}`).join("")}`;
		},
	};
}

/**
 * The series statement of a metric: rows `(period text YYYY-MM-DD, value float8)` by period; with
 * `groupBy`, rows `(period, value, g int, m0 text, …)` (see groupedRows).
 */
export function seriesStatement(
	metric: MetricDefinition,
	spec: SeriesSpec,
): Statement {
	if (spec.groupBy?.length && !metric.sql.groupable)
		throw new Error(`metric ${metric.id} cannot be grouped by a dimension`);
	const values: unknown[] = [];
	const inner = metric.sql(sqlContext(spec, values));
	const member = (spec.groupBy ?? [])
		.map((_, i) => `, v.m${i}::text as m${i}`)
		.join("");
	const g = member ? ", v.g::int as g" : "";
	return {
		text: `select to_char(v.period, 'YYYY-MM-DD') as period, v.value::float8 as value${g}${member}\nfrom (\n${inner}\n) v\norder by v.period`,
		values,
	};
}

/** True when every metric is a plain lines aggregate, so combinedStatement can read them in one pass. */
export function combinable(metrics: readonly MetricDefinition[]): boolean {
	return metrics.every(
		(m) => m.base === "lines" && m.sql.aggregate !== undefined,
	);
}

/**
 * Several lines-aggregate metrics (a ratio's numerator and denominator) in one statement, grouped
 * as `spec` says: rows `(period, value0, value1, …, g, m0, …)`, one pass over the order lines
 * instead of one per metric. Null when a metric is not a plain lines aggregate.
 */
export function combinedStatement(
	metrics: readonly MetricDefinition[],
	spec: SeriesSpec,
): Statement | null {
	if (!combinable(metrics)) return null;
	const values: unknown[] = [];
	const inner = linesAggregates(
		metrics.map((m) => ({
			value: m.sql.aggregate as string,
			...(m.sql.rollup?.aggregate === undefined
				? {}
				: { rollup: m.sql.rollup.aggregate }),
		})),
	)(sqlContext(spec, values));
	const columns = metrics
		.map((_, i) => `, v.value${i}::float8 as value${i}`)
		.join("");
	const members = (spec.groupBy ?? [])
		.map((_, i) => `, v.m${i}::text as m${i}`)
		.join("");
	const g = members ? ", v.g::int as g" : "";
	return {
		text: `select to_char(v.period, 'YYYY-MM-DD') as period${columns}${g}${members}\nfrom (\n${inner}\n) v\norder by v.period`,
		values,
	};
}

/** A grouped series statement's rows: the total by period, and each dimension's by member and period. */
export interface GroupedSeries {
	total: Map<string, number>;
	/** Periods whose total is null, not 0: a ratio with nothing to divide by (no cost data). */
	nullTotals: Set<string>;
	members: Map<DimensionId, Map<string, Map<string, number>>>;
}

/**
 * Reads the rows of a grouped series statement. `g` is Postgres' grouping() bitmask over the
 * member columns, the first the most significant bit: a dimension's rows have its one bit 0, the
 * total's rows have every bit 1. Null members are left out.
 */
export function groupedRows(
	groupBy: readonly DimensionId[],
	rows: readonly Record<string, unknown>[],
	column = "value",
): GroupedSeries {
	const n = groupBy.length;
	const out: GroupedSeries = {
		total: new Map(),
		nullTotals: new Set(),
		members: new Map(groupBy.map((d) => [d, new Map()])),
	};
	for (const r of rows) {
		const period = String(r.period);
		const value = Number(r[column] ?? 0);
		const g = Number(r.g);
		const i = groupBy.findIndex((_, k) => ((g >> (n - 1 - k)) & 1) === 0);
		const dim = groupBy[i];
		if (dim === undefined) {
			out.total.set(period, value);
			if (r[column] === null) out.nullTotals.add(period);
			continue;
		}
		const member = r[`m${i}`];
		if (member === null || member === undefined) continue;
		const members = out.members.get(dim) as Map<string, Map<string, number>>;
		const key = String(member);
		const periods = members.get(key) ?? new Map<string, number>();
		members.set(key, periods);
		periods.set(period, value);
	}
	return out;
}

/** Whether any customer (of one source, or of any) has an RFM segment: rows `(ready boolean)`. */
export function segmentsReadyStatement(source?: string): Statement {
	return {
		text: "select exists (select 1 from customer_master where rfm_segment is not null and ($1::text is null or source = $1::text)) as ready",
		values: [source ?? null],
	};
}

/**
 * The data window of a base: its first day with data, and the warehouse's as-of day (the last
 * posting date), so a quiet last week of quotes reads as zero quotes rather than as no data.
 * With `ownEnd` (stock levels) the end is the base's own last day. Rows `(min text, max text)`.
 */
export function windowStatement(
	base: BaseId,
	source?: string,
	ownEnd = false,
): Statement {
	const b = BASE_DATES[base];
	const end = ownEnd ? b : BASE_DATES.lines;
	const values: unknown[] = source === undefined ? [] : [source];
	const where = (alias: string) =>
		source === undefined ? "" : `where ${alias}.source = $1::text`;
	return {
		text: `select (select min(${b.date}) from ${b.table} ${b.alias} ${where(b.alias)})::text as min,
	(select max(${end.date}) from ${end.table} ${end.alias} ${where(end.alias)})::text as max`,
		values,
	};
}

/**
 * The most frequent values of a dimension on a base within [from, to): rows `(member text)`,
 * for breakdowns ("revenue by region") that chart the top members.
 */
export function membersStatement(
	base: BaseId,
	dimensionId: SeriesFilter["dimension"],
	spec: {
		from: string;
		to: string;
		source?: string;
		limit: number;
		/** Rank by how much the member's row count changed between [from, splitAt) and [splitAt, to) instead. */
		splitAt?: string;
		/** Only rows of this member of another dimension. */
		within?: SeriesFilter;
		/** Where order lines are read from; a rollup counts its rows' lines. */
		lines?: LinesTable;
		/** The grain of the periods [from, to) spans, for sales_totals. */
		grain?: Grain;
	},
): Statement {
	const onLines = base === "lines" || base === "customers";
	const reads = onLines ? (spec.lines ?? "transaction_data") : undefined;
	const b = {
		...BASE_DATES[base === "customers" ? "lines" : base],
		...(reads
			? {
					table: linesFrom(reads, spec.grain ?? "day", [
						{ dimension: dimensionId, value: "" },
					]),
				}
			: {}),
	};
	const rows =
		reads && reads !== "transaction_data" ? "sum(t.lines)" : "count(*)";
	const onBase = base === "customers" ? "lines" : base;
	const c = dimensionColumn(dimensionId, onBase);
	if (!c)
		throw new Error(`dimension ${dimensionId} is not available on ${base}`);
	const values: unknown[] = [spec.from, spec.to, spec.limit];
	const stockJoin =
		onBase === "stock"
			? "join stox_material_master m on m.source = s.source and m.material_number = s.material_number"
			: "";
	let source = "";
	if (spec.source !== undefined) {
		values.push(spec.source);
		source = `and ${b.alias}.source = $${values.length}::text`;
	}
	let joins = c.join;
	if (spec.within) {
		const w = dimensionColumn(spec.within.dimension, onBase);
		if (!w)
			throw new Error(
				`dimension ${spec.within.dimension} is not available on ${base}`,
			);
		values.push(spec.within.value);
		source += ` and ${w.expr} = $${values.length}::text`;
		if (w.join !== c.join) joins += ` ${w.join}`;
	}
	let order = `${rows} desc`;
	if (spec.splitAt !== undefined) {
		values.push(spec.splitAt);
		const at = `$${values.length}::date`;
		order = `abs(coalesce(${rows} filter (where ${b.date} >= ${at}), 0) - coalesce(${rows} filter (where ${b.date} < ${at}), 0)) desc`;
	}
	return {
		text: `select ${c.expr} as member from ${b.table} ${b.alias} ${stockJoin} ${joins}
where ${b.date} >= $1::date and ${b.date} < $2::date ${source} and ${c.expr} is not null
group by 1 order by ${order}, 1 limit $3::int`,
		values,
	};
}
