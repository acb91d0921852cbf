/**
 * `explain`: the data for "why did it change?". Fetches a catalog metric's figures per member of
 * each allowed dimension for a current and a comparison period — through the catalog's own
 * filtered series, so every figure is the one `/metric … --by dim=value` shows — and hands them to
 * the pure driver engine (src/analytics/drivers). The top members are fetched one by one; the rest
 * are one "all others" member (the total minus the top members), so contributions always add up
 * to the total's change.
 */
import {
	additiveBreakdown,
	type Breakdown,
	type Contribution,
	type RatioMember,
	rankDimensions,
	ratioBreakdown,
} from "../analytics/drivers/index.ts";
import { inTransaction, type Pool } from "../db/pool.ts";
import { AppError } from "../errors.ts";
import type { MetricCatalog } from "./catalog.ts";
import { assertDimensionReady, fetchSeries, seriesPeriods } from "./fetch.ts";
import { addPeriods, periodStart } from "./periods.ts";
import { chooseLines, withLines } from "./rollups.ts";
import {
	combinable,
	combinedStatement,
	type GroupedSeries,
	groupedRows,
	membersStatement,
	type SeriesSpec,
	type Statement,
	seriesStatement,
} from "./sql.ts";
import type {
	DimensionId,
	Grain,
	MetricDefinition,
	SeriesFilter,
} from "./types.ts";

/** What the current period is compared with. */
export type Comparison = "previous" | "last_year";

export interface ExplainOptions {
	grain: Grain;
	/** A day in the current period; default the latest complete period with data. */
	period?: string;
	compare?: Comparison;
	/** One dimension; default every dimension the metric allows. */
	by?: DimensionId;
	source?: string;
	/** Members shown one by one per dimension (the rest are "all others"). */
	top?: number;
	/** Explain within one member of another dimension (the West region's margin). */
	within?: SeriesFilter;
	/** When one member carries most of the change, explain again within it (see Explanation.drill). */
	drill?: boolean;
	/**
	 * Read each member's earlier periods to mark a change within its usual variation (default
	 * true). The drill-down goes without: it reads the two periods only, a fifth of the rows.
	 */
	history?: boolean;
}

/** One dimension's drivers. */
export interface DimensionDrivers {
	dimension: DimensionId;
	breakdown: Breakdown;
	/** The member that is most news (see memberNews) among those moving the way the total moved. */
	lead?: Contribution;
}

export interface Explanation {
	metric: MetricDefinition;
	unit: string;
	grain: Grain;
	current: string;
	previous: string;
	kind: Breakdown["kind"];
	total: { previous: number | null; current: number | null; change: number };
	/** Ranked: the dimension that explains the change best first. */
	dimensions: DimensionDrivers[];
	/** Dimensions left out, with why ("segments not computed yet"). */
	skipped: { dimension: DimensionId; reason: string }[];
	/** The member the whole explanation is within, when there is one. */
	within?: SeriesFilter;
	/**
	 * One level down: when the leading dimension's lead member carries at least half the change,
	 * the same change explained within that member by the other dimensions (West → its categories).
	 */
	drill?: Explanation;
}

/** The share of the change a member must carry for explain to look inside it. */
export const DRILL_SHARE = 0.5;

/** The member that stands for every member not fetched one by one. */
export const OTHERS = "all others";

/** Earlier periods read for each member's usual variation. */
const HISTORY = 8;

/** Metrics that count distinct orders or customers: a line-level dimension (an order spans categories) overlaps. */
const DISTINCT_COUNTS = new Set(["orders", "active_customers"]);
const LINE_LEVEL: readonly DimensionId[] = ["category", "material"];

function usage(message: string): AppError {
	return new AppError("usage", message);
}

/** How the metric splits: by its own value, as a ratio of two catalog metrics, or not at all. */
function shape(
	catalog: MetricCatalog,
	metric: MetricDefinition,
):
	| { kind: "additive" | "distinct" }
	| {
			kind: "ratio";
			numerator: MetricDefinition;
			denominator: MetricDefinition;
	  }
	| null {
	if (metric.ratioOfTotals) {
		const [n, d] = metric.builtFrom.map((id) =>
			catalog.metrics.find((m) => m.id === id),
		);
		return n && d && metric.builtFrom.length === 2
			? { kind: "ratio", numerator: n, denominator: d }
			: null;
	}
	if (metric.summable === false) return { kind: "distinct" };
	// Levels add up across members only when they are amounts: stock units, its value, stock-outs;
	// days on hand and turnover are ratios of stock to sales.
	if (
		!metric.flow &&
		(metric.base !== "stock" ||
			metric.unit === "days" ||
			metric.unit === "ratio")
	)
		return null;
	return { kind: "additive" };
}

/** "2026-10" for a month, "the week of 2026-09-07" otherwise: how errors name a period. */
function periodLabel(p: string, grain: Grain): string {
	return grain === "month" ? p.slice(0, 7) : `the ${grain} of ${p}`;
}

/**
 * The current period (named, or the latest complete one), the one it is compared with, and the
 * first period read (earlier ones give each member's usual variation). The periods come from the
 * data's window (two indexed lookups); a period named outright counts as complete when the data
 * reach into it (an alert as of 1 November is about October, however early its last day ends).
 */
async function comparedPeriods(
	pool: Pool,
	metric: MetricDefinition,
	opts: ExplainOptions,
): Promise<{ previous: string; current: string; since: string }> {
	const { grain } = opts;
	const label = (p: string) => periodLabel(p, grain);
	const named = opts.period ? periodStart(opts.period, grain) : undefined;
	const { periods, missing } = await seriesPeriods(pool, metric, {
		grain,
		...(opts.source === undefined ? {} : { source: opts.source }),
		...(named ? { until: lastDay(addPeriods(named, grain, 1)) } : {}),
	});
	if (missing) throw usage(`${metric.label}: ${missing}`);
	const first = periods[0] as string;
	const last = periods.at(-1) as string;
	const current = named ?? last;
	if (current < first || current > last)
		throw usage(
			`no data for ${metric.label} in ${label(current)}: the data run from ${label(first)} to ${label(last)} (complete ${grain}s)`,
		);
	const back =
		opts.compare === "last_year"
			? grain === "month"
				? 12
				: grain === "week"
					? 52
					: 364
			: 1;
	const previous = addPeriods(current, grain, -back);
	if (previous < first)
		throw usage(
			`${metric.label} has no ${opts.compare === "last_year" ? "period a year before" : "period before"} ${label(current)} to compare with: the data start in ${label(first)}`,
		);
	const earliest =
		opts.history === false
			? previous
			: addPeriods(current, grain, -Math.max(back, HISTORY + 1));
	// Period starts are ISO days: the later one sorts last.
	return { previous, current, since: [earliest, first].sort()[1] as string };
}

/**
 * The dimensions that can explain the metric, and the others with why not: segments not computed
 * yet, or a ratio over distinct orders or customers, which a line-level dimension splits.
 */
async function usableDimensions(
	pool: Pool,
	metric: MetricDefinition,
	how: NonNullable<ReturnType<typeof shape>>,
	dims: readonly DimensionId[],
	source: string | undefined,
): Promise<{ usable: DimensionId[]; skipped: Explanation["skipped"] }> {
	const reasons = await Promise.all(
		dims.map(async (dimension): Promise<string | null> => {
			try {
				await assertDimensionReady(pool, dimension, source);
			} catch (err) {
				return (err as Error).message;
			}
			return how.kind === "ratio" &&
				LINE_LEVEL.includes(dimension) &&
				DISTINCT_COUNTS.has(how.denominator.id)
				? `a ${how.denominator.label.replace(/s$/, "")} spans several ${dimension === "category" ? "categories" : "materials"}, so ${metric.label} does not split by ${dimension}`
				: null;
		}),
	);
	return {
		usable: dims.filter((_, i) => reasons[i] === null),
		skipped: dims.flatMap((dimension, i) => {
			const reason = reasons[i];
			return reason ? [{ dimension, reason }] : [];
		}),
	};
}

/**
 * Explains a metric's change between two periods by each dimension. Errors (AppError "usage")
 * say what is wrong in a sentence: a metric that cannot be split, a period without data, a
 * comparison period before the data start.
 */
export async function explainMetric(
	pool: Pool,
	catalog: MetricCatalog,
	metric: MetricDefinition,
	opts: ExplainOptions,
): Promise<Explanation> {
	const how = shape(catalog, metric);
	if (!how)
		throw usage(
			`${metric.label} cannot be split into contributions yet: explain works for totals (revenue, units, orders…) and for ratios of two catalog metrics (margin %, average order value); try explain revenue`,
		);
	const { grain } = opts;
	const label = (p: string) => periodLabel(p, grain);
	const within = opts.within;
	const source = opts.source === undefined ? {} : { source: opts.source };
	const { previous, current, since } = await comparedPeriods(
		pool,
		metric,
		opts,
	);
	// Every figure below — totals and members — is the catalog's series statement over this range.
	const range: SeriesSpec = {
		grain,
		from: since,
		to: addPeriods(current, grain, 1),
		...source,
		...(within ? { filter: within } : {}),
	};
	if (opts.by && opts.by === within?.dimension)
		throw usage(
			`explain within ${within.dimension} ${within.value} cannot split by ${within.dimension} again; pick another dimension`,
		);
	const dims = opts.by
		? [opts.by]
		: metric.dimensions.filter((d) => d !== within?.dimension);
	const components =
		how.kind === "ratio" ? [how.numerator, how.denominator] : [metric];
	const { usable, skipped } = await usableDimensions(
		pool,
		metric,
		how,
		dims,
		opts.source,
	);
	const limit = opts.top ?? 8;
	// Where the metric's SQL can group: the totals and every dimension's members in one statement
	// per component (grouping sets). Else the totals, then each dimension's top members, one
	// filtered series each.
	const grouped = components.every((m) => m.sql.groupable);
	// The metric's own total rides in the grouped pass: its empty grouping set (or, for a ratio of
	// two lines aggregates, a third column of the same pass). Otherwise it is read on its own.
	const ownInPass =
		grouped && (how.kind !== "ratio" || combinable([...components, metric]));
	const [parts, own] = await Promise.all([
		grouped
			? groupedParts(
					pool,
					how.kind === "ratio" && ownInPass
						? [...components, metric]
						: components,
					range,
					usable,
				)
			: Promise.all(
					components.map((m) =>
						memberSeries(pool, m, range).then(
							(t): GroupedSeries => ({
								total: t,
								nullTotals: new Set(),
								members: new Map(),
							}),
						),
					),
				),
		ownInPass
			? Promise.resolve(null)
			: fetchSeries(pool, catalog, metric, {
					grain,
					since: previous,
					until: current,
					...source,
					...(within ? { filter: within } : {}),
				}),
	]);
	const ownTotal = ownInPass ? parts.at(-1) : undefined;
	/** The metric's own figure in a period: 0 for a flow with no rows, null when there is none. */
	const figure = (p: string): number | null => {
		if (own) return own.points.find((x) => x.period === p)?.value ?? null;
		if (!ownTotal || ownTotal.nullTotals.has(p)) return null;
		return ownTotal.total.get(p) ?? (metric.flow ? 0 : null);
	};
	if (own?.missing) throw usage(`${metric.label}: ${own.missing}`);
	if (!own && figure(previous) === null && figure(current) === null) {
		// Nothing to compare: the series read says why (no cost data, no rows in the range).
		const why = await fetchSeries(pool, catalog, metric, {
			grain,
			since: previous,
			until: current,
			...source,
			...(within ? { filter: within } : {}),
		});
		throw usage(
			`${metric.label}: ${why.missing ?? `no data in ${label(previous)} or ${label(current)}`}`,
		);
	}
	const totals = parts.slice(0, components.length).map((p) => p.total);
	const scale =
		how.kind === "ratio"
			? ratioScale(metric, figure(current), totals, current)
			: 1;
	const membersOf = (dimension: DimensionId): Promise<MemberSeries[]> =>
		grouped
			? Promise.resolve(
					keptMembers(
						parts
							.slice(0, components.length)
							.map((p) => p.members.get(dimension) ?? new Map()),
						{ a: previous, b: current, limit, ratio: how.kind === "ratio" },
					),
				)
			: filteredMembers(pool, metric, components, range, dimension, {
					from: previous,
					split: current,
					to: addPeriods(current, grain, 1),
					limit,
					...source,
				});
	const out: DimensionDrivers[] = await Promise.all(
		usable.map(async (dimension) => {
			const distinct =
				how.kind === "distinct" ||
				(DISTINCT_COUNTS.has(metric.id) && LINE_LEVEL.includes(dimension));
			const breakdown = pairBreakdown(await membersOf(dimension), totals, {
				a: previous,
				b: current,
				scale,
				distinct,
				ratio: how.kind === "ratio",
			});
			const lead = breakdown.members
				.filter(
					(m) =>
						m.member !== OTHERS &&
						Math.sign(m.contribution) === Math.sign(breakdown.total.change),
				)
				.sort((x, y) => memberNews(y) - memberNews(x))[0];
			return { dimension, breakdown, ...(lead ? { lead } : {}) };
		}),
	);
	const totalPrev = figure(previous);
	const totalCur = figure(current);
	const e: Explanation = {
		metric,
		unit: catalog.unitOf(metric),
		grain,
		current,
		previous,
		kind: how.kind,
		total: {
			previous: totalPrev,
			current: totalCur,
			change: (totalCur ?? 0) - (totalPrev ?? 0),
		},
		dimensions: rankByNews(out),
		skipped,
		...(within ? { within } : {}),
	};
	return opts.drill && !within ? withDrill(pool, catalog, opts, e) : e;
}

/**
 * The explanation with its drill-down when the leading dimension's lead member carries at least
 * DRILL_SHARE of the change: the same change within that member, by the other dimensions, over
 * the two periods only.
 */
async function withDrill(
	pool: Pool,
	catalog: MetricCatalog,
	opts: ExplainOptions,
	e: Explanation,
): Promise<Explanation> {
	const top = e.dimensions[0];
	const lead = top?.lead;
	if (
		!top ||
		!lead ||
		(lead.share ?? 0) < DRILL_SHARE ||
		e.metric.dimensions.every((d) => d === top.dimension)
	)
		return e;
	const drill = await explainMetric(pool, catalog, e.metric, {
		grain: e.grain,
		period: e.current,
		...(opts.compare ? { compare: opts.compare } : {}),
		...(opts.source === undefined ? {} : { source: opts.source }),
		...(opts.top ? { top: opts.top } : {}),
		within: { dimension: top.dimension, value: lead.member },
		history: false,
	});
	return drill.dimensions.length > 0 ? { ...e, drill } : e;
}

/**
 * The members kept one by one, from every member's series (one map per component): the largest
 * over the two periods (the denominator's size, for a ratio) and the ones that changed most (the
 * value's, or the numerator's, change) — a big customer that went silent is small over the two
 * periods together.
 */
function keptMembers(
	components: readonly Map<string, Map<string, number>>[],
	o: { a: string; b: string; limit: number; ratio: boolean },
): MemberSeries[] {
	const first = components[0] as Map<string, Map<string, number>>;
	const sizeOf = components[o.ratio ? 1 : 0] ?? first;
	const at = (v: Map<string, number> | undefined, p: string) => v?.get(p) ?? 0;
	const size = (m: string) =>
		Math.abs(at(sizeOf.get(m), o.a)) + Math.abs(at(sizeOf.get(m), o.b));
	const change = (m: string) =>
		Math.abs(at(first.get(m), o.b) - at(first.get(m), o.a));
	const names = [...first.keys()].filter((m) => size(m) > 0 || change(m) > 0);
	const top = (score: (m: string) => number) =>
		[...names]
			.sort((x, y) => score(y) - score(x) || x.localeCompare(y))
			.slice(0, o.limit);
	return [...new Set([...top(size), ...top(change)])].map((member) => ({
		member,
		values: components.map((c) => c.get(member) ?? new Map()),
	}));
}

/**
 * Every component's figures by dimension, member and period, in statements grouped by the
 * dimensions (grouping sets): a ratio of two lines aggregates (margin %) in one pass for both, else
 * one statement per component. A single pass is split into two statements with half the
 * dimensions each, run at once, so both cores work.
 */
async function groupedParts(
	pool: Pool,
	components: readonly MetricDefinition[],
	range: SeriesSpec,
	dims: readonly DimensionId[],
): Promise<GroupedSeries[]> {
	// Every other dimension in each half: the many-member ones (customer, material) and the ones
	// that need a join (segment, category) come last in the list, so this spreads them.
	const halves =
		dims.length < 2
			? [dims]
			: [0, 1].map((h) => dims.filter((_, i) => i % 2 === h));
	const columns = components.map((_, i) =>
		components.length === 1 ? "value" : `value${i}`,
	);
	if (components.length === 1 || combinable(components)) {
		const results = await Promise.all(
			halves.map(async (groupBy) => {
				const spec = await withLines(pool, components, { ...range, groupBy });
				const st =
					components.length === 1
						? seriesStatement(components[0] as MetricDefinition, spec)
						: (combinedStatement(components, spec) as Statement);
				return groupedQuery(pool, st);
			}),
		);
		return columns.map((column) => {
			const read = results.map((rows, i) =>
				groupedRows(halves[i] as DimensionId[], rows, column),
			);
			const first = read[0] as GroupedSeries;
			return {
				total: first.total,
				nullTotals: first.nullTotals,
				members: new Map(read.flatMap((r) => [...r.members])),
			};
		});
	}
	return Promise.all(
		components.map(async (m) =>
			groupedRows(
				dims,
				await groupedQuery(
					pool,
					seriesStatement(
						m,
						await withLines(pool, [m], { ...range, groupBy: dims }),
					),
				),
			),
		),
	);
}

/**
 * Runs a grouped series statement. Its hash tables get room (the default 4MB work_mem makes
 * Postgres sort each grouping set instead) and no JIT (compiling took longer than the statement
 * saves): measured at 1M lines, 550 ms against 150 ms.
 */
async function groupedQuery(
	pool: Pool,
	st: Statement,
): Promise<Record<string, unknown>[]> {
	return inTransaction(
		pool,
		async (client) => (await client.query(st.text, st.values)).rows,
		{ begin: "begin read only", settings: ["work_mem = '64MB'", "jit = off"] },
	);
}

/** The top members' series, each the catalog's series statement filtered to it (and to the range's own filter). */
async function filteredMembers(
	pool: Pool,
	metric: MetricDefinition,
	components: readonly MetricDefinition[],
	range: SeriesSpec,
	dimension: DimensionId,
	spec: Parameters<typeof membersFor>[3],
): Promise<MemberSeries[]> {
	const members = await membersFor(pool, metric, dimension, {
		...spec,
		...(range.filter ? { within: range.filter } : {}),
	});
	// One statement per member and component, all at once: the pool runs as many as it has connections for.
	return Promise.all(
		members.map(async (member) => ({
			member,
			values: await Promise.all(
				components.map((m) =>
					memberSeries(pool, m, {
						...range,
						filters: [{ dimension, value: member }],
					}),
				),
			),
		})),
	);
}

/**
 * The members fetched one by one: the largest by rows over both periods, and the ones whose rows
 * changed most between them (a big customer that went silent is small over the two periods together).
 */
async function membersFor(
	pool: Pool,
	metric: MetricDefinition,
	dimension: DimensionId,
	spec: {
		from: string;
		split: string;
		to: string;
		limit: number;
		source?: string;
		within?: SeriesFilter;
	},
): Promise<string[]> {
	const base = {
		from: spec.from,
		to: spec.to,
		lines: await chooseLines(pool, [metric], {
			grain: "day",
			from: spec.from,
			to: spec.to,
			filters: [dimension, ...(spec.within ? [spec.within.dimension] : [])],
			groupBy: [],
		}),
		grain: "day" as const,
		limit: spec.limit,
		...(spec.source === undefined ? {} : { source: spec.source }),
		...(spec.within ? { within: spec.within } : {}),
	};
	const out = new Set<string>();
	for (const st of [
		membersStatement(metric.base, dimension, base),
		membersStatement(metric.base, dimension, { ...base, splitAt: spec.split }),
	]) {
		const { rows } = await pool.query<{ member: unknown }>(st.text, st.values);
		for (const r of rows) out.add(String(r.member));
	}
	return [...out];
}

/** The day before an ISO day. */
function lastDay(next: string): string {
	const d = new Date(`${next}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() - 1);
	return d.toISOString().slice(0, 10);
}

/**
 * How much news a member is: its surprise — what it contributed beyond moving like everyone else,
 * in the metric's unit, so members of different dimensions compare. The segment that carries 90%
 * of revenue and fell with it is no news; the small region whose margin fell alone is.
 */
function memberNews(m: Contribution): number {
	return Math.abs(m.surprise);
}

/**
 * Dimensions ranked by their most newsworthy member (memberNews, "all others" aside), then by the
 * engine's order (specificity, concentration): the region whose margin fell alone comes before
 * the segment that carries most of the revenue and fell with everyone else.
 */
function rankByNews(dims: readonly DimensionDrivers[]): DimensionDrivers[] {
	const order = rankDimensions(dims);
	const news = (d: DimensionDrivers) =>
		Math.max(
			0,
			...d.breakdown.members.filter((m) => m.member !== OTHERS).map(memberNews),
		);
	return order.sort(
		(a, b) => news(b) - news(a) || order.indexOf(a) - order.indexOf(b),
	);
}

type MemberSeries = { member: string; values: Map<string, number>[] };

/** A metric's values by period for one member: the catalog's series statement, filtered. */
async function memberSeries(
	pool: Pool,
	metric: MetricDefinition,
	spec: SeriesSpec,
): Promise<Map<string, number>> {
	const st = seriesStatement(metric, await withLines(pool, [metric], spec));
	const { rows } = await pool.query<{ period: string; value: number | null }>(
		st.text,
		st.values,
	);
	return new Map(rows.map((r) => [r.period, r.value ?? 0]));
}

/**
 * The breakdown between periods a and b from members' series (one map per component: the value,
 * or numerator and denominator) and the totals' series, with "all others" as the remainder.
 */
function pairBreakdown(
	series: readonly MemberSeries[],
	totals: readonly Map<string, number>[],
	o: {
		a: string;
		b: string;
		scale: number;
		distinct: boolean;
		ratio: boolean;
	},
): Breakdown {
	const at = (v: Map<string, number> | undefined, p: string) => v?.get(p) ?? 0;
	const history = (v: Map<string, number> | undefined) =>
		[...(v?.entries() ?? [])]
			.filter(([p]) => p < o.a)
			.sort(([x], [y]) => x.localeCompare(y))
			.map(([, x]) => x);
	if (o.ratio) {
		const part = (v: Map<string, number>[], p: string) => ({
			numerator: o.scale * at(v[0], p),
			denominator: at(v[1], p),
		});
		const members: RatioMember[] = series.map((s) => ({
			member: s.member,
			previous: part(s.values, o.a),
			current: part(s.values, o.b),
			history: ratioHistory(s.values, o.a, o.scale),
		}));
		const rest = (p: string, when: "previous" | "current") => ({
			numerator: o.scale * at(totals[0], p) - sumOf(members, when, "numerator"),
			denominator: at(totals[1], p) - sumOf(members, when, "denominator"),
		});
		const others = {
			member: OTHERS,
			previous: rest(o.a, "previous"),
			current: rest(o.b, "current"),
		};
		if (others.previous.denominator > 1e-9 || others.current.denominator > 1e-9)
			members.push(others);
		return ratioBreakdown(members);
	}
	const members = series.map((s) => ({
		member: s.member,
		previous: at(s.values[0], o.a),
		current: at(s.values[0], o.b),
		history: history(s.values[0]),
	}));
	if (o.distinct)
		return additiveBreakdown(members, {
			distinct: { previous: at(totals[0], o.a), current: at(totals[0], o.b) },
		});
	const p = at(totals[0], o.a) - members.reduce((x, m) => x + m.previous, 0);
	const c = at(totals[0], o.b) - members.reduce((x, m) => x + m.current, 0);
	if (Math.abs(p) > 1e-9 || Math.abs(c) > 1e-9)
		members.push({ member: OTHERS, previous: p, current: c, history: [] });
	return additiveBreakdown(members);
}

function sumOf(
	members: readonly RatioMember[],
	when: "previous" | "current",
	part: "numerator" | "denominator",
): number {
	return members.reduce((a, m) => a + m[when][part], 0);
}

/** The factor between the metric and its numerator ÷ denominator (100 for a percent). */
function ratioScale(
	metric: MetricDefinition,
	value: number | null,
	totals: Map<string, number>[],
	period: string,
): number {
	const n = totals[0]?.get(period) ?? 0;
	const d = totals[1]?.get(period) ?? 0;
	if (value == null || n === 0 || d === 0)
		return metric.unit === "percent" ? 100 : 1;
	const k = (value * d) / n;
	return Math.abs(k - 100) < 1e-6 * 100 ? 100 : 1;
}

/** A member's own ratio per earlier period, for its usual variation. */
function ratioHistory(
	values: Map<string, number>[],
	before: string,
	scale: number,
): number[] {
	const [n, d] = values;
	const out: number[] = [];
	for (const [p, den] of [...(d?.entries() ?? [])].sort(([a], [b]) =>
		a.localeCompare(b),
	))
		if (p < before && den !== 0) out.push((scale * (n?.get(p) ?? 0)) / den);
	return out;
}
