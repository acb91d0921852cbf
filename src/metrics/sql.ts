/**
 * Builds the statements behind a metric series as `{ text, values }` with `$n` parameters.
 * Grain keywords and dimension expressions come only from the allow-lists (GRAIN_SQL,
 * DIMENSIONS); dates, the source and the dimension value are always bound.
 */
import { dimensionColumn } from "./dimensions.ts";
import type {
	BaseId,
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
	/**
	 * One period spanning [from, to): the metric's own formula over the whole window, which for a
	 * ratio (margin %, average order value) is the ratio of the totals, not a mean of ratios.
	 */
	whole?: boolean;
}

function grainSql(grain: Grain): { field: string; step: string } {
	const g = Object.hasOwn(GRAIN_SQL, grain) ? GRAIN_SQL[grain] : undefined;
	if (!g) throw new Error(`grain "${String(grain)}" is not in the allow-list`);
	return g;
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
	let filterValue: string | null = null;
	return {
		bind,
		period: spec.whole
			? () => from
			: (expr) => `date_trunc(${g.field}, ${expr})::date`,
		step: spec.whole ? `((${to} - ${from}) * interval '1 day')` : g.step,
		from,
		to,
		source: (alias) => (source ? `and ${alias}.source = ${source}` : ""),
		filter(base) {
			if (!spec.filter) return "";
			const c = dimensionColumn(spec.filter.dimension, base);
			if (!c)
				throw new Error(
					`dimension ${spec.filter.dimension} is not available on ${base}`,
				);
			filterValue ??= bind(spec.filter.value, "text");
			return `and ${c.expr} = ${filterValue}`;
		},
		joins(base) {
			if (!spec.filter) return "";
			return dimensionColumn(spec.filter.dimension, base)?.join ?? "";
		},
	};
}

/** The series statement of a metric: rows `(period text YYYY-MM-DD, value float8)` by period. */
export function seriesStatement(
	metric: MetricDefinition,
	spec: SeriesSpec,
): Statement {
	const values: unknown[] = [];
	const inner = metric.sql(sqlContext(spec, values));
	return {
		text: `select to_char(v.period, 'YYYY-MM-DD') as period, v.value::float8 as value\nfrom (\n${inner}\n) v\norder by v.period`,
		values,
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
	},
): Statement {
	const b = BASE_DATES[base === "customers" ? "lines" : base];
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
	let order = "count(*) desc";
	if (spec.splitAt !== undefined) {
		values.push(spec.splitAt);
		const at = `$${values.length}::date`;
		order = `abs(count(*) filter (where ${b.date} >= ${at}) - count(*) filter (where ${b.date} < ${at})) desc`;
	}
	return {
		text: `select ${c.expr} as member from ${b.table} ${b.alias} ${stockJoin} ${c.join}
where ${b.date} >= $1::date and ${b.date} < $2::date ${source} and ${c.expr} is not null
group by 1 order by ${order}, 1 limit $3::int`,
		values,
	};
}
