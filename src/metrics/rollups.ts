/**
 * The sales rollups (migrations/017_sales_rollups.sql): order lines summed per (source, day,
 * customer, region, salesperson, branch) in sales_daily and per month in sales_monthly. Metric
 * series read them instead of transaction_data when the metric and its dimensions can be summed
 * from that grain and no writer has left them stale; the answer is the same to the last digit
 * (sums of numeric are exact), which test/integration/metric-rollups.test.ts checks metric by metric.
 * sales_orders (migrations/018_sales_orders.sql) sums them per order, for compute's customer basis;
 * sales_items (migrations/021_sales_items.sql) per (customer, material, sales office), for its
 * product and regional tables.
 *
 * Who keeps them current: the ingest, for the days and customers its run changed, inside the run's transaction
 * (maintainRollups); compute rebuilds them whole when something else wrote the order lines
 * (rebuildRollups). Both hold ROLLUP_LOCK while they write, so they never interleave.
 */
import type { Pool, PoolClient } from "../db/pool.ts";
import {
	advisoryLock,
	advisoryUnlock,
	advisoryXactLock,
	analyze,
	setLocal,
} from "../db/session.ts";
import type { Logger } from "../log.ts";
import type { SeriesSpec } from "./sql.ts";
import type { DimensionId, Grain, MetricDefinition } from "./types.ts";

/** Where a series reads its lines from: the order lines or one of the rollups. */
export type LinesTable =
	| "transaction_data"
	| "sales_daily"
	| "sales_monthly"
	| "sales_totals";

/** The rollup tables, for ANALYZE after they change. */
export const ROLLUP_TABLES = [
	"sales_daily",
	"sales_monthly",
	"sales_totals",
	"sales_orders",
	"sales_items",
] as const;

/** Any fixed 64-bit number, distinct from the other advisory locks we take. */
export const ROLLUP_LOCK = 7_236_189_004_117n;

const GRAIN_COLUMNS =
	"source, posting_date, customer, region, salesperson, branch";

/**
 * A line's margin as compute defines it (analytics/basis-lines): gross_margin, else net_sales -
 * total_cogs; null when neither is known.
 */
const LINE_MARGIN = "coalesce(t.gross_margin, t.net_sales - t.total_cogs)";

/** The rollup's sums over order lines t; the same names as the columns they fill. */
const FROM_LINES = `count(*), count(*) filter (where t.is_order), coalesce(bool_or(t.is_order), false),
	sum(t.net_sales), sum(t.net_sales) filter (where t.gross_margin is not null),
	sum(t.total_cogs), sum(t.gross_margin), sum(t.inv_quantity_cases), sum(${LINE_MARGIN})`;

/** The same sums over sales_daily rows d, for the monthly rollup. */
const FROM_DAILY = `sum(d.lines), sum(d.order_lines), bool_or(d.is_order), sum(d.net_sales),
	sum(d.costed_net_sales), sum(d.total_cogs), sum(d.gross_margin), sum(d.inv_quantity_cases),
	sum(d.margin)`;

const SUMS =
	"lines, order_lines, is_order, net_sales, costed_net_sales, total_cogs, gross_margin, inv_quantity_cases, margin";

/** Dimensions a rollup row carries (segment through the customer). */
export const ROLLUP_DIMENSIONS: ReadonlySet<DimensionId> = new Set([
	"region",
	"segment",
	"salesperson",
	"branch",
	"customer",
]);

/**
 * How the rollup statements run best, measured on the demo ERP (whole source, serial unless said):
 * - at 1M lines the daily grouping took 2.9 s; with two parallel workers 5.4 s, because the partial
 *   sums of numeric are serialised for the leader to combine one group at a time; JIT added 0.2 s;
 * - at 10M lines the planner hashed it, spilling 2.4M groups of numeric sums to disk: 36 s, where
 *   reading the lines in date order and sorting each day's few rows took 14.7 s.
 */
const SERIAL_SORTED =
	"set local max_parallel_workers_per_gather = 0; set local jit = off; set local enable_hashagg = off";

/**
 * The grains sales_totals keeps, inlined as literals (never user text), each summed from the
 * rollup with the fewest rows that holds its periods. No day: a daily series is read over a short
 * window ("last 30 days"), which sales_daily answers from its index; day totals were the dearest
 * to build (at 1M lines: 3.4 s, against 2.8 s for weeks and 2.4 s for months, on a busy machine).
 */
const TOTAL_GRAINS: readonly { grain: Grain; from: RollupRows }[] = [
	{ grain: "week", from: "sales_daily" },
	{ grain: "month", from: "sales_monthly" },
];
type RollupRows = "sales_daily" | "sales_monthly";

/**
 * The per-order sums of sales_orders over order lines t (migrations/018_sales_orders.sql).
 */
const ORDER_SUMS = `count(*), count(${LINE_MARGIN}), sum(t.net_sales),
	sum(${LINE_MARGIN}), coalesce(bool_or(t.is_order), false),
	min(t.posting_date) filter (where t.is_order), max(t.posting_date) filter (where t.is_order)`;

/**
 * Which rows a rebuild covers: `lines`, a condition on the order lines t; `daily`, on sales_daily;
 * `orders`, on the source and order_number columns of sales_orders and of the lines alike;
 * `periods(g, from)`, for the periods of grain g, a condition on a sales_monthly or sales_totals
 * row (`target`) and a from-item of the rows d of the rollup `from` those periods sum (`days`).
 */
interface Scope {
	lines: string;
	daily: string;
	orders: string;
	periods(grain: Grain, from: RollupRows): { target: string; days: string };
}

/** The sums of sales_totals over rollup rows d: FROM_DAILY without is_order, plus customers. */
const TOTALS_FROM_DAILY = `sum(d.lines), sum(d.order_lines), sum(d.net_sales), sum(d.costed_net_sales),
	sum(d.total_cogs), sum(d.gross_margin), sum(d.inv_quantity_cases),
	count(distinct d.customer) filter (where d.is_order)`;

/** Statements that rebuild the rollups within a scope, daily first: the others sum it. */
function rebuildStatements(scope: Scope): string[] {
	const month = scope.periods("month", "sales_daily");
	const totals = TOTAL_GRAINS.flatMap(({ grain: g, from }) => {
		const p = scope.periods(g, from);
		const period = `date_trunc('${g}', d.posting_date)::date`;
		return [
			`delete from sales_totals where grain = '${g}' and ${p.target}`,
			`insert into sales_totals (source, grain, posting_date, dimension, region, salesperson, branch,
				lines, order_lines, net_sales, costed_net_sales, total_cogs, gross_margin, inv_quantity_cases, customers)
			select * from (
				select d.source, '${g}', ${period},
					case grouping(d.region, d.salesperson, d.branch) when 7 then '' when 3 then 'region' when 5 then 'salesperson' else 'branch' end as dimension,
					d.region, d.salesperson, d.branch, ${TOTALS_FROM_DAILY}
				from ${p.days}
				group by grouping sets ((d.source, ${period}), (d.source, ${period}, d.region),
					(d.source, ${period}, d.salesperson), (d.source, ${period}, d.branch))
			) x where dimension = '' or coalesce(region, salesperson, branch) is not null`,
		];
	});
	return [
		`delete from sales_daily where ${scope.daily}`,
		`insert into sales_daily (${GRAIN_COLUMNS}, ${SUMS})
		select t.source, t.posting_date, t.customer, t.region, t.salesperson, t.branch, ${FROM_LINES}
		from transaction_data t where ${scope.lines}
		group by 1, 2, 3, 4, 5, 6`,
		`delete from sales_monthly where ${month.target}`,
		`insert into sales_monthly (${GRAIN_COLUMNS}, ${SUMS})
		select d.source, date_trunc('month', d.posting_date)::date, d.customer, d.region, d.salesperson, d.branch, ${FROM_DAILY}
		from ${month.days}
		group by 1, 2, 3, 4, 5, 6`,
		...totals,
		`delete from sales_orders where ${scope.orders}`,
		`insert into sales_orders (source, order_number, customer, lines, margined_lines, net_sales, margin,
			is_order, first_order_date, last_order_date)
		select t.source, t.order_number, t.customer, ${ORDER_SUMS}
		from transaction_data t where ${scope.orders}
		group by 1, 2, 3`,
	];
}

/** The sums of sales_items over order lines t, in its column order (lines … margin). */
const ITEM_SUMS = `count(*), count(*) filter (where t.is_order), count(${LINE_MARGIN}),
	sum(t.net_sales), sum(${LINE_MARGIN})`;
const ITEM_SUM_COLUMNS =
	"lines, order_lines, margined_lines, net_sales, margin";
const ITEM_COLUMNS = `${ITEM_SUM_COLUMNS}, customer_ordered`;
/** rollup_item_change: the sums of changed lines per item, -1 before the load writes them, 1 after. */
const ITEM_CHANGE_COLUMNS = `sign, customer, material_number, sales_office_name, ${ITEM_SUM_COLUMNS}`;

/**
 * The statements that rebuild sales_items for the rows matching `target` from the order lines t
 * matching `lines`. customer_ordered is true on the row of the first office in "C" order (nulls
 * last) of each (source, customer, material), both set, with an order line, so compute's own
 * grouping of the lines (analytics/basis-items) marks the same row.
 */
function itemStatements(target: string, lines: string): string[] {
	return [
		`delete from sales_items where ${target}`,
		`insert into sales_items (source, customer, material_number, sales_office_name, ${ITEM_COLUMNS})
		select g.source, g.customer, g.material_number, g.sales_office_name, g.lines, g.order_lines,
			g.margined_lines, g.net_sales, g.margin,
			g.customer is not null and g.material_number is not null
				and row_number() over (partition by g.customer, g.material_number, g.source
					order by g.sales_office_name) = 1
				and bool_or(g.order_lines > 0) over (partition by g.customer, g.material_number, g.source)
		from (
			-- Customer first, the order of the table's unique key: a first load of 1M demo lines
			-- wrote the rows in 4.0–4.7 s, against 7.1–8.4 s with the material first (3
			-- interleaved pairs, 64 MB work_mem).
			select t.customer collate "C" as customer, t.material_number collate "C" as material_number,
				t.source collate "C" as source, t.sales_office_name collate "C" as sales_office_name,
				${ITEM_SUMS}
			from transaction_data t where ${lines}
			group by 1, 2, 3, 4
		) g (customer, material_number, source, sales_office_name, ${ITEM_SUM_COLUMNS})`,
	];
}

/**
 * The statements that add a load's difference to sales_items, after the load wrote its lines:
 * the new sums of the changed lines (`lines`, a from-item yielding them as t) join their old sums,
 * which itemsBefore kept in rollup_item_change with the sign -1; the difference is added to the rows (a row is
 * created for a new item), the rows left without lines are deleted, and customer_ordered is set
 * again on the rows of each (customer, material) that changed.
 */
function itemDifference(lines: string): string[] {
	return [
		`insert into rollup_item_change (${ITEM_CHANGE_COLUMNS})
		select 1, t.customer, t.material_number, t.sales_office_name, ${ITEM_SUMS}
		from ${lines} group by 2, 3, 4`,
		`insert into sales_items as i (source, customer, material_number, sales_office_name, ${ITEM_COLUMNS})
		select $1, c.customer, c.material_number, c.sales_office_name, sum(c.sign * c.lines),
			sum(c.sign * c.order_lines), sum(c.sign * c.margined_lines), sum(c.sign * c.net_sales),
			sum(c.sign * c.margin), false
		from rollup_item_change c group by 2, 3, 4
		on conflict (source, customer, material_number, sales_office_name) do update set
			lines = i.lines + excluded.lines,
			order_lines = i.order_lines + excluded.order_lines,
			margined_lines = i.margined_lines + excluded.margined_lines,
			net_sales = i.net_sales + excluded.net_sales,
			margin = case when i.margined_lines + excluded.margined_lines > 0
				then coalesce(i.margin, 0) + coalesce(excluded.margin, 0) end`,
		// A partial index holds exactly these rows.
		"delete from sales_items where source = $1 and lines = 0",
		`update sales_items s set customer_ordered = f.flag
		from (
			select i.customer, i.material_number, i.sales_office_name,
				row_number() over (partition by i.customer, i.material_number
					order by i.sales_office_name collate "C") = 1
					and bool_or(i.order_lines > 0) over (partition by i.customer, i.material_number) as flag
			from (select distinct customer, material_number from rollup_item_change
				where customer is not null and material_number is not null) p
			join sales_items i on i.source = $1 and i.customer = p.customer
				and i.material_number = p.material_number
		) f
		where s.source = $1 and s.customer = f.customer and s.material_number = f.material_number
			and s.sales_office_name is not distinct from f.sales_office_name
			and s.customer_ordered <> f.flag`,
	];
}

/** A rebuild of everything. */
const ALL: Scope = {
	lines: "true",
	daily: "true",
	orders: "true",
	periods: (_, from) => ({ target: "true", days: `${from} d` }),
};

/** A rebuild of the source $1. */
const SOURCE: Scope = {
	lines: "t.source = $1",
	daily: "source = $1",
	orders: "source = $1",
	periods: (_, from) => ({
		target: "source = $1",
		days: `${from} d where d.source = $1`,
	}),
};

/**
 * A rebuild of the source $1's days in $2 (date[]), of the periods that hold them, and of the
 * orders with a line on one of them. Those orders are every order a changed line is on: the ingest
 * never deletes a line, and a line re-dated is on its new day, which is in $2 too.
 */
const DAYS: Scope = {
	lines: "t.source = $1 and t.posting_date = any($2::date[])",
	daily: "source = $1 and posting_date = any($2::date[])",
	orders: `source = $1 and order_number in (
		select o.order_number from transaction_data o where o.source = $1 and o.posting_date = any($2::date[]))`,
	periods: (g, from) => {
		const starts = `select distinct date_trunc('${g}', x)::date as p from unnest($2::date[]) x`;
		return {
			target: `source = $1 and posting_date in (${starts})`,
			days: `(${starts}) pp join ${from} d on d.source = $1
				and d.posting_date >= pp.p and d.posting_date < pp.p + interval '1 ${g}'`,
		};
	},
};

/**
 * What an ingest changes, for its rollups: every day a changed line was or is on, and the changed
 * lines themselves: `lines`, a from-item that yields them as t (their keys are known before the
 * load writes them; $1 is the source).
 */
export interface RollupChange {
	days: readonly string[];
	lines: string;
}

/**
 * Takes the sums of the lines a load is about to change away from the items rollup: call it inside
 * the load's transaction before it writes them, and maintainRollups after. Only for a load into
 * lines already there (maintainRollups rebuilds a first load whole).
 */
export async function itemsBefore(
	client: PoolClient,
	source: string,
	change: RollupChange,
): Promise<void> {
	await client.query("drop table if exists rollup_item_change");
	await client.query(
		`create temp table rollup_item_change (${ITEM_CHANGE_COLUMNS}) on commit drop as
		select -1, t.customer, t.material_number, t.sales_office_name, ${ITEM_SUMS}
		from ${change.lines} group by 2, 3, 4`,
		[source],
	);
}

/**
 * Brings the rollups of one source up to date after an ingest changed its order lines, inside the
 * ingest's transaction: the days in `change` and its lines' difference to the items (itemsBefore
 * ran before the lines were written), or the whole source when it is null (a first load). Clears
 * this transaction's own mark in sales_rollup_dirty, which the trigger set when the run wrote
 * transaction_data.
 */
export async function maintainRollups(
	client: PoolClient,
	source: string,
	change: RollupChange | null,
): Promise<void> {
	await advisoryXactLock(client, ROLLUP_LOCK);
	await client.query(SERIAL_SORTED);
	if (change === null || change.days.length > 0)
		for (const text of rebuildStatements(change === null ? SOURCE : DAYS))
			await client.query(
				text,
				change === null ? [source] : [source, change.days],
			);
	const items =
		change === null
			? itemStatements("source = $1", "t.source = $1")
			: itemDifference(change.lines);
	for (const text of items) await client.query(text, [source]);
	await client.query(
		"delete from sales_rollup_dirty where xid = txid_current()",
	);
}

/** Writes outside the ingest the rollups have not caught up with, and since when. */
export async function rollupBacklog(
	db: Pool | PoolClient,
): Promise<{ writes: number; since: Date | null }> {
	const { rows } = await db.query<{ writes: number; since: Date | null }>(
		"select count(*)::int as writes, min(marked_at) as since from sales_rollup_dirty",
	);
	return rows[0] ?? { writes: 0, since: null };
}

/** Whether the rollups hold every committed order line: no writer has left them stale. */
export async function rollupsFresh(db: Pool | PoolClient): Promise<boolean> {
	const { rows } = await db.query<{ fresh: boolean }>(
		"select not exists (select from sales_rollup_dirty) as fresh",
	);
	return rows[0]?.fresh ?? false;
}

/**
 * Rebuilds every rollup from the order lines when a writer other than the ingest left them stale
 * (or the warehouse predates them); nothing when they are fresh. One snapshot for the read and
 * the clean-up, so a mark committed meanwhile stays for the next run. Returns the daily rows
 * written, or null when there was nothing to do.
 */
export async function rebuildRollups(
	client: PoolClient,
	log: Logger,
): Promise<number | null> {
	if (await rollupsFresh(client)) return null;
	const started = performance.now();
	// A session lock taken before the snapshot: an ingest that commits while we wait is seen.
	await advisoryLock(client, ROLLUP_LOCK);
	try {
		await client.query("begin isolation level repeatable read");
		try {
			await setLocal(client, { statement_timeout: 0 });
			await client.query(SERIAL_SORTED);
			const statements = [
				...rebuildStatements(ALL),
				...itemStatements("true", "true"),
			];
			let rows = 0;
			for (const [i, text] of statements.entries()) {
				const r = await client.query(text);
				if (i === 1) rows = r.rowCount ?? 0;
			}
			await client.query("delete from sales_rollup_dirty");
			await client.query("commit");
			// Every row is new: without statistics the planner nested-loops their joins.
			for (const table of ROLLUP_TABLES) await analyze(client, table);
			log.info(
				{ rows, ms: Math.round(performance.now() - started) },
				"sales rollups rebuilt",
			);
			return rows;
		} catch (err) {
			await client.query("rollback").catch(() => undefined);
			throw err;
		}
	} finally {
		// A connection that broke has lost its session lock with it.
		await advisoryUnlock(client, ROLLUP_LOCK);
	}
}

/** Dimensions sales_totals keeps a row per member of. */
export const TOTALS_DIMENSIONS: ReadonlySet<DimensionId> = new Set([
	"region",
	"salesperson",
	"branch",
]);

/** Whether an ISO day starts a period of the grain (a Monday for weeks, as date_trunc). */
function startsPeriod(day: string, grain: Grain): boolean {
	if (grain === "month") return day.endsWith("-01");
	if (grain === "week") return new Date(`${day}T00:00:00Z`).getUTCDay() === 1;
	return true;
}

/** What a statement needs of the lines, for choosing where to read them (linesTableFor). */
export interface LinesNeed {
	grain: Grain;
	from: string;
	to: string;
	whole?: boolean;
	/** The dimensions it filters by. */
	filters: readonly DimensionId[];
	/** The dimensions it groups by (grouping sets). */
	groupBy: readonly DimensionId[];
}

/**
 * Which table a statement reads, from the most summed down: sales_totals for a series by period
 * of its grain, unfiltered or filtered by one region, salesperson or branch, when every metric has
 * a totals form (`totals`); sales_monthly for a month grain whose window starts and ends on a
 * month; sales_daily otherwise, when the metric can be summed from a rollup (`finest`: "month"
 * reads either, "day" only the daily one) and every dimension is one a rollup row carries; the
 * order lines when not (chooseLines also reads them when the rollups are stale).
 */
function linesTableFor(
	o: LinesNeed & {
		finest: "day" | "month" | undefined;
		totals: boolean;
	},
): LinesTable {
	if (o.finest === undefined) return "transaction_data";
	const dims = [...o.filters, ...o.groupBy];
	if (dims.some((d) => !ROLLUP_DIMENSIONS.has(d))) return "transaction_data";
	const aligned = (g: Grain) =>
		startsPeriod(o.from, g) && startsPeriod(o.to, g);
	if (
		o.totals &&
		!o.whole &&
		o.groupBy.length === 0 &&
		o.filters.length <= 1 &&
		o.filters.every((d) => TOTALS_DIMENSIONS.has(d)) &&
		TOTAL_GRAINS.some((t) => t.grain === o.grain) &&
		aligned(o.grain)
	)
		return "sales_totals";
	const monthly =
		o.finest === "month" &&
		(o.grain === "month" || o.whole === true) &&
		aligned("month");
	return monthly ? "sales_monthly" : "sales_daily";
}

/**
 * The table a statement over these metrics reads (linesTableFor), asking the database whether
 * the rollups are fresh only when a rollup could serve. Metrics not over order lines (quotes,
 * stock) read their own tables whatever this says.
 */
export async function chooseLines(
	db: Pool | PoolClient,
	metrics: readonly MetricDefinition[],
	need: LinesNeed,
): Promise<LinesTable> {
	let finest: "day" | "month" | undefined = "month";
	let totals = true;
	for (const m of metrics) {
		const r = m.sql.rollup;
		if (!r || (m.base !== "lines" && m.base !== "customers"))
			finest = undefined;
		else if (r.finest === "day" && finest === "month") finest = "day";
		if (r?.totals === undefined) totals = false;
		if (finest === undefined) break;
	}
	const candidate = linesTableFor({ ...need, finest, totals });
	if (candidate === "transaction_data") return candidate;
	return (await rollupsFresh(db)) ? candidate : "transaction_data";
}

/** The spec with `lines` set to where its statement reads the order lines (chooseLines). */
export async function withLines(
	db: Pool | PoolClient,
	metrics: readonly MetricDefinition[],
	spec: SeriesSpec,
): Promise<SeriesSpec> {
	const filters = [
		...(spec.filter ? [spec.filter] : []),
		...(spec.filters ?? []),
	].map((f) => f.dimension);
	const lines = await chooseLines(db, metrics, {
		grain: spec.grain,
		from: spec.from,
		to: spec.to,
		...(spec.whole ? { whole: true } : {}),
		filters,
		groupBy: spec.groupBy ?? [],
	});
	return { ...spec, lines };
}
