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
import type { Pool } from "../db/pool.ts";
import { AppError } from "../errors.ts";
import type { MetricCatalog } from "./catalog.ts";
import {
	assertDimensionReady,
	fetchSeries,
	type MetricSeries,
} from "./fetch.ts";
import { addPeriods, periodStart } from "./periods.ts";
import { membersStatement, type SeriesSpec, seriesStatement } from "./sql.ts";
import type { DimensionId, Grain, MetricDefinition } from "./types.ts";

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
	/** Members fetched one by one per dimension (the rest are "all others"). */
	top?: number;
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
}

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

/** Values by period start. */
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
	const label = (p: string) =>
		grain === "month" ? p.slice(0, 7) : `the ${grain} of ${p}`;
	const total = await fetchSeries(pool, catalog, metric, {
		grain,
		...(opts.source ? { source: opts.source } : {}),
	});
	if (total.missing) throw usage(`${metric.label}: ${total.missing}`);
	const first = total.points[0]?.period as string;
	const last = total.points.at(-1)?.period as string;
	const current = opts.period ? periodStart(opts.period, grain) : last;
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
	const earliest = addPeriods(current, grain, -Math.max(back, HISTORY + 1));
	// Period starts are ISO days: the later one sorts last.
	const since = [earliest, first].sort()[1] as string;
	// Every figure below — totals and members — is the catalog's series statement over this range.
	const range: SeriesSpec = {
		grain,
		from: since,
		to: addPeriods(current, grain, 1),
		...(opts.source === undefined ? {} : { source: opts.source }),
	};
	const dims = opts.by ? [opts.by] : metric.dimensions;
	const out: DimensionDrivers[] = [];
	const skipped: Explanation["skipped"] = [];
	const components =
		how.kind === "ratio" ? [how.numerator, how.denominator] : [metric];
	const totals = await Promise.all(
		components.map((m) => memberSeries(pool, m, range)),
	);
	for (const dimension of dims) {
		try {
			await assertDimensionReady(pool, dimension, opts.source);
		} catch (err) {
			skipped.push({ dimension, reason: (err as Error).message });
			continue;
		}
		if (
			how.kind === "ratio" &&
			LINE_LEVEL.includes(dimension) &&
			DISTINCT_COUNTS.has(how.denominator.id)
		) {
			skipped.push({
				dimension,
				reason: `a ${how.denominator.label.replace(/s$/, "")} spans several ${dimension === "category" ? "categories" : "materials"}, so ${metric.label} does not split by ${dimension}`,
			});
			continue;
		}
		const members = await membersFor(pool, metric, dimension, {
			from: previous,
			split: current,
			to: addPeriods(current, grain, 1),
			limit: opts.top ?? 8,
			...(opts.source === undefined ? {} : { source: opts.source }),
		});
		// One statement per member and component, over [since, end of current), all at once: the
		// pool runs as many as it has connections for.
		const series: MemberSeries[] = await Promise.all(
			members.map(async (member) => ({
				member,
				values: await Promise.all(
					components.map((m) =>
						memberSeries(pool, m, {
							...range,
							filter: { dimension, value: member },
						}),
					),
				),
			})),
		);
		const distinct =
			how.kind === "distinct" ||
			(DISTINCT_COUNTS.has(metric.id) && LINE_LEVEL.includes(dimension));
		const scale =
			how.kind === "ratio" ? ratioScale(metric, total, totals, current) : 1;
		const breakdown = pairBreakdown(series, totals, {
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
		out.push({ dimension, breakdown, ...(lead ? { lead } : {}) });
	}
	const totalPrev =
		total.points.find((p) => p.period === previous)?.value ?? null;
	const totalCur =
		total.points.find((p) => p.period === current)?.value ?? null;
	return {
		metric,
		unit: total.unit,
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
	};
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
	},
): Promise<string[]> {
	const base = {
		from: spec.from,
		to: spec.to,
		limit: spec.limit,
		...(spec.source === undefined ? {} : { source: spec.source }),
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
	const st = seriesStatement(metric, spec);
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
	total: MetricSeries,
	totals: Map<string, number>[],
	period: string,
): number {
	const value = total.points.find((p) => p.period === period)?.value;
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
