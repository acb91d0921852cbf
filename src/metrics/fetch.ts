/**
 * Reads metric series from the warehouse: works out the window, runs the catalog's statement,
 * fills the periods without rows, and says plainly when a metric has nothing to show (no cost
 * column, no stock snapshots, segments not computed yet).
 */
import type { Series } from "../analytics/correlation/index.ts";
import { FIRST_YEAR, isCalendarDay, LAST_YEAR } from "../calendar.ts";
import type { Pool } from "../db/pool.ts";
import { AppError } from "../errors.ts";
import type { MetricCatalog } from "./catalog.ts";
import { dimension } from "./dimensions.ts";
import { fillPeriods, type SeriesWindow, seriesWindow } from "./periods.ts";
import { resolveDimension, resolveGrain } from "./resolve.ts";
import { chooseLines, withLines } from "./rollups.ts";
import {
	membersStatement,
	type SeriesSpec,
	segmentsReadyStatement,
	seriesStatement,
	windowStatement,
} from "./sql.ts";
import type {
	BaseId,
	DimensionId,
	Grain,
	MetricDefinition,
	SeriesFilter,
} from "./types.ts";

/** What to fetch. Dates are ISO days; each includes its whole period. */
export interface FetchOptions {
	grain?: Grain;
	since?: string;
	until?: string;
	/** Only the last N periods of the window. */
	last?: number;
	filter?: SeriesFilter;
	/** Only this source's rows; default every source in the warehouse. */
	source?: string;
}

/** A series with the reason it holds no values, when it holds none. */
export interface MetricSeries extends Series {
	/** E.g. "no cost data: no order line in this range carries a cost"; null when it has values. */
	missing: string | null;
	/**
	 * For a ratio of totals (margin %, average order value …): the metric over the whole window,
	 * its own formula on all the window's rows. Absent for other metrics.
	 */
	overall?: number | null;
}

const NO_ROWS: Readonly<Record<BaseId, string>> = {
	lines: "no order lines in the warehouse",
	customers: "no order lines in the warehouse",
	quotes: "no quote data: this source has no sales quotes",
	stock: "no stock data: this source has no stock snapshots",
};

function usage(message: string): AppError {
	return new AppError("usage", message);
}

/** Checks grain, dimension and dates against the metric and the allow-lists. */
function checkOptions(metric: MetricDefinition, opts: FetchOptions): Grain {
	const grain = opts.grain ?? metric.defaultGrain;
	const g = resolveGrain(grain, [metric]);
	if (!g.ok) throw usage(g.message);
	if (opts.filter) {
		const d = resolveDimension(opts.filter.dimension, metric);
		if (!d.ok) throw usage(d.message);
	}
	for (const [name, v] of [
		["since", opts.since],
		["until", opts.until],
	] as const)
		if (v !== undefined && !isCalendarDay(v))
			throw usage(
				`${name} must be a real date YYYY-MM-DD from ${FIRST_YEAR} to ${LAST_YEAR}, got "${v}"`,
			);
	if (
		opts.last !== undefined &&
		(!Number.isInteger(opts.last) || opts.last < 1)
	)
		throw usage(`last must be a whole number of periods, got ${opts.last}`);
	return g.value;
}

/** Fails with "segments not computed yet" when a computed dimension is still empty. */
export async function assertDimensionReady(
	pool: Pool,
	id: DimensionId,
	source?: string,
): Promise<void> {
	if (!dimension(id).computed) return;
	const st = segmentsReadyStatement(source);
	const { rows } = await pool.query<{ ready: boolean }>(st.text, st.values);
	if (!rows[0]?.ready)
		throw new AppError(
			"data_unavailable",
			"segments not computed yet — run erp-pulse compute",
		);
}

async function dataWindow(
	pool: Pool,
	metric: MetricDefinition,
	grain: Grain,
	opts: FetchOptions,
): Promise<SeriesWindow | null> {
	const st = windowStatement(
		metric.base,
		opts.source,
		metric.keepPartialEnd === true,
	);
	const { rows } = await pool.query<{ min: string | null; max: string | null }>(
		st.text,
		st.values,
	);
	const r = rows[0];
	const data =
		r?.min && r.max && r.min <= r.max ? { min: r.min, max: r.max } : null;
	if (!data) return null;
	return seriesWindow(data, opts, grain, metric.keepPartialEnd !== true);
}

async function readSeries(
	pool: Pool,
	catalog: MetricCatalog,
	metric: MetricDefinition,
	grain: Grain,
	window: SeriesWindow | null,
	opts: FetchOptions,
): Promise<MetricSeries> {
	const base = { metric: metric.id, unit: catalog.unitOf(metric), grain };
	if (!window) return { ...base, points: [], missing: NO_ROWS[metric.base] };
	const st = seriesStatement(
		metric,
		await withLines(pool, [metric], specOf(grain, window, opts)),
	);
	const { rows } = await pool.query<{ period: string; value: number | null }>(
		st.text,
		st.values,
	);
	const points = fillPeriods(rows, window.periods, metric.flow);
	const empty = points.every((p) => p.value === null);
	return {
		...base,
		points,
		missing: empty ? emptyReason(metric, rows.length) : null,
		...(metric.ratioOfTotals && !empty
			? { overall: await readOverall(pool, metric, grain, window, opts) }
			: {}),
	};
}

/** The series statement's spec: the grain, the window, and the options' source and filter. */
function specOf(
	grain: Grain,
	window: SeriesWindow,
	opts: FetchOptions,
): SeriesSpec {
	return {
		grain,
		from: window.from,
		to: window.to,
		...(opts.source === undefined ? {} : { source: opts.source }),
		...(opts.filter ? { filter: opts.filter } : {}),
	};
}

/** A ratio metric over the whole window, as one period: the ratio of the window's totals. */
async function readOverall(
	pool: Pool,
	metric: MetricDefinition,
	grain: Grain,
	window: SeriesWindow,
	opts: FetchOptions,
): Promise<number | null> {
	const st = seriesStatement(
		metric,
		await withLines(pool, [metric], {
			...specOf(grain, window, opts),
			whole: true,
		}),
	);
	const { rows } = await pool.query<{ value: number | null }>(
		st.text,
		st.values,
	);
	return rows[0]?.value ?? null;
}

function emptyReason(metric: MetricDefinition, rows: number): string {
	if (rows > 0 && metric.requires.includes("cost"))
		return `no cost data: no ${metric.base === "stock" ? "material has a unit cost" : "order line in this range carries a cost"}, so ${metric.label} cannot be computed`;
	if (metric.requires.includes("stock")) return NO_ROWS.stock;
	return `no data for ${metric.label} in this range`;
}

/**
 * The periods a metric's series covers (fetchSeries' window), without reading the series: for a
 * caller that then reads only a few of them; none, and why, when the base has no rows.
 */
export async function seriesPeriods(
	pool: Pool,
	metric: MetricDefinition,
	opts: FetchOptions = {},
): Promise<{ periods: string[]; missing: string | null }> {
	const grain = checkOptions(metric, opts);
	const window = await dataWindow(pool, metric, grain, opts);
	return window?.periods.length
		? { periods: window.periods, missing: null }
		: { periods: [], missing: NO_ROWS[metric.base] };
}

/**
 * One metric as a series on a grain (default: the metric's). The window runs from the first to
 * the last period with data on the metric's base (or `since`/`until`); a trailing period the
 * data only partly cover is left out unless `until` is given. Missing periods are 0 for flows
 * and null for levels and ratios (see `fillPeriods`). `missing` says why a series is empty.
 */
export async function fetchSeries(
	pool: Pool,
	catalog: MetricCatalog,
	metric: MetricDefinition,
	opts: FetchOptions = {},
): Promise<MetricSeries> {
	const grain = checkOptions(metric, opts);
	if (opts.filter)
		await assertDimensionReady(pool, opts.filter.dimension, opts.source);
	const window = await dataWindow(pool, metric, grain, opts);
	return readSeries(pool, catalog, metric, grain, window, opts);
}

/** A metric broken down by one dimension: the top members' series over one window. */
export interface Breakdown {
	metric: string;
	dimension: DimensionId;
	members: { member: string; series: MetricSeries }[];
	/** The series over every member, for the total row. */
	total: MetricSeries;
}

/** `metric by dimension`: the `limit` most frequent members (by rows in the window), each as a series. */
export async function fetchBreakdown(
	pool: Pool,
	catalog: MetricCatalog,
	metric: MetricDefinition,
	by: DimensionId,
	opts: Omit<FetchOptions, "filter"> & { limit?: number } = {},
): Promise<Breakdown> {
	const grain = checkOptions(metric, {
		...opts,
		filter: { dimension: by, value: "" },
	});
	await assertDimensionReady(pool, by, opts.source);
	const window = await dataWindow(pool, metric, grain, opts);
	const total = await readSeries(pool, catalog, metric, grain, window, opts);
	if (!window) return { metric: metric.id, dimension: by, members: [], total };
	const st = membersStatement(metric.base, by, {
		from: window.from,
		to: window.to,
		lines: await chooseLines(pool, [metric], {
			grain,
			from: window.from,
			to: window.to,
			filters: [by],
			groupBy: [],
		}),
		grain,
		limit: opts.limit ?? 5,
		...(opts.source === undefined ? {} : { source: opts.source }),
	});
	const { rows } = await pool.query<{ member: string }>(st.text, st.values);
	const members = [];
	for (const { member } of rows) {
		const filter = { dimension: by, value: String(member) };
		const series = await readSeries(pool, catalog, metric, grain, window, {
			...opts,
			filter,
		});
		members.push({ member: String(member), series });
	}
	return { metric: metric.id, dimension: by, members, total };
}
