/**
 * Gathers the weekly digest's figures from the warehouse through the metric catalog, the Pulse
 * tables and the stox tables. Definitions:
 *
 * - the week reported is the last complete ISO week (Monday–Sunday) in the order lines, so an old
 *   dataset gets a digest of its own last week, not of an empty calendar week;
 * - "last week" is the week before; "last year" is the week starting 364 days earlier (same
 *   weekday, 52 weeks back);
 * - the week is chosen by `asOf`: the last complete week whose Sunday is on or before both the
 *   as-of day and the last day with data (so `--as-of 2026-06-08` reports 1–7 June);
 * - alerts are those detected during that week (Monday 00:00 to Sunday 24:00 in `timeZone`), the
 *   same week the heading names, whenever the digest is composed;
 * - the data is stale when a source entity is past its freshness allowance, or when no ingest
 *   delivered anything in the last `staleAfterDays` days.
 */
import {
	formatAmount,
	formatNumber,
} from "../analytics/correlation/wording.ts";
import { localDate } from "../calendar.ts";
import type { Config } from "../config/schema.ts";
import type { Pool } from "../db/pool.ts";
import { AppError } from "../errors.ts";
import { freshness } from "../ingest/freshness.ts";
import { lastPostingDay, lastReceived } from "../ingest/store.ts";
import { type Explanation, explainMetric, OTHERS } from "../metrics/explain.ts";
import {
	type DimensionId,
	fetchSeries,
	type MetricCatalog,
	type MetricDefinition,
	type MetricSeries,
} from "../metrics/index.ts";
import type {
	AtRisk,
	DigestAlert,
	DigestData,
	KpiLine,
	Mover,
} from "./compose.ts";
import { belowReorderPoint, reorderPolicies, weekAlerts } from "./store.ts";

/** The headline metrics, in the order they are shown. */
export const DIGEST_KPIS = [
	"revenue",
	"orders",
	"active_customers",
	"average_order_value",
	"margin_pct",
	"new_customers",
] as const;

/** Dimensions searched for movers; a computed one (segment) is skipped with a note until computed. */
const MOVER_DIMENSIONS: readonly DimensionId[] = [
	"region",
	"category",
	"segment",
];

const DAY_MS = 86_400_000;

export interface CollectOptions {
	asOf: Date;
	/** The as-of day when a person typed one (--as-of), taken as it is rather than from `asOf` in timeZone. */
	asOfDay?: string;
	staleAfterDays: number;
	/** Movers shown (largest absolute change first). */
	movers?: number;
}

function isoDay(d: Date): string {
	return d.toISOString().slice(0, 10);
}

function addDays(iso: string, days: number): string {
	return isoDay(new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS));
}

function pct(now: number | null, before: number | null): number | null {
	if (now === null || before === null || before === 0) return null;
	return ((now - before) / Math.abs(before)) * 100;
}

function valueAt(s: MetricSeries, period: string): number | null {
	return s.points.find((p) => p.period === period)?.value ?? null;
}

function show(
	v: number | null,
	metric: MetricDefinition,
	unit: string,
): string {
	if (v === null) return "n/a";
	if (metric.unit === "currency") return formatAmount(v, unit);
	if (metric.unit === "percent") return `${v.toFixed(1)}%`;
	return formatNumber(v);
}

function metricOf(catalog: MetricCatalog, id: string): MetricDefinition {
	const m = catalog.get(id);
	if (!m)
		throw new AppError(
			"config_invalid",
			`the digest needs metric "${id}", which the catalog lacks`,
		);
	return m;
}

async function kpis(
	pool: Pool,
	catalog: MetricCatalog,
	week: string,
): Promise<KpiLine[]> {
	const out: KpiLine[] = [];
	for (const id of DIGEST_KPIS) {
		const metric = metricOf(catalog, id);
		const s = await fetchSeries(pool, catalog, metric, {
			grain: "week",
			since: addDays(week, -371),
			until: addDays(week, 6),
		});
		const current = valueAt(s, week);
		const rate = metric.unit === "percent";
		const change = (before: number | null) =>
			rate
				? current === null || before === null
					? null
					: current - before
				: pct(current, before);
		out.push({
			metric: id,
			label: metric.label.charAt(0).toUpperCase() + metric.label.slice(1),
			current: show(current, metric, s.unit),
			changePct: change(valueAt(s, addDays(week, -7))),
			yoyPct: change(valueAt(s, addDays(week, -364))),
			changeUnit: rate ? "pp" : "%",
			missing: s.missing,
		});
	}
	return out;
}

/**
 * The week's biggest movers: revenue's change against the week before split by member of each
 * mover dimension with the explain engine (src/metrics/explain.ts), so the digest and `/explain`
 * agree; the largest absolute contributions first. "all others" is not a mover.
 */
async function movers(
	pool: Pool,
	catalog: MetricCatalog,
	week: string,
	limit: number,
	notes: string[],
): Promise<Mover[]> {
	const revenue = metricOf(catalog, "revenue");
	const all: (Mover & { abs: number })[] = [];
	for (const dim of MOVER_DIMENSIONS) {
		let e: Explanation;
		try {
			e = await explainMetric(pool, catalog, revenue, {
				grain: "week",
				period: week,
				by: dim,
				top: 12,
			});
		} catch (err) {
			if (err instanceof AppError && err.code === "usage") {
				notes.push(`movers: ${err.message}`);
				return [];
			}
			throw err;
		}
		for (const s of e.skipped) notes.push(`${s.dimension}: ${s.reason}`);
		for (const m of e.dimensions[0]?.breakdown.members ?? []) {
			if (m.member === OTHERS || m.contribution === 0) continue;
			all.push({
				dimension: dim,
				member: m.member,
				change: `${m.contribution > 0 ? "+" : ""}${formatAmount(m.contribution, e.unit)}`,
				changePct: pct(m.current, m.previous),
				up: m.contribution > 0,
				abs: Math.abs(m.contribution),
			});
		}
	}
	return all
		.sort((a, b) => b.abs - a.abs || a.member.localeCompare(b.member))
		.slice(0, limit)
		.map(({ abs: _, ...m }) => m);
}

async function alerts(
	pool: Pool,
	week: string,
	timeZone: string,
): Promise<DigestAlert[]> {
	const rows = await weekAlerts(pool, week, timeZone);
	return rows.map((r) => ({
		monitor: r.monitor,
		severity: r.severity,
		message: r.message,
		detectedAt: r.detected_at.toISOString(),
		feedback:
			r.feedback === "true_positive"
				? "real"
				: r.feedback === "false_positive"
					? "false_alarm"
					: null,
		acknowledgedBy: r.acknowledged_by,
	}));
}

/** Items whose latest position (on hand + on order) is at or below their reorder point, least cover first. */
async function atRisk(pool: Pool, notes: string[]): Promise<AtRisk[]> {
	const rows = await belowReorderPoint(pool, 5);
	if (rows.length === 0) {
		if ((await reorderPolicies(pool)) === 0)
			notes.push(
				"inventory at risk: reorder points not computed yet — run erp-pulse compute",
			);
	}
	return rows.map((r) => ({
		material: r.material,
		description: r.description,
		onHand: formatNumber(Number(r.on_hand)),
		onOrder: formatNumber(Number(r.on_order)),
		position: formatNumber(Number(r.position)),
		reorderPoint: formatNumber(Number(r.rop)),
		daysOfCover: r.cover,
	}));
}

async function staleness(
	pool: Pool,
	config: Config,
	opts: CollectOptions,
): Promise<string[]> {
	const reasons = (await freshness(pool, config))
		.filter((f) => f.stale)
		.map(
			(f) =>
				`${f.source}/${f.entity}: last data ${f.lastReceivedAt ? isoDay(f.lastReceivedAt) : "never"}, allowed ${f.maxAge}`,
		);
	const last = await lastReceived(pool);
	if (
		last &&
		opts.asOf.getTime() - last.getTime() > opts.staleAfterDays * DAY_MS
	)
		reasons.push(
			`no ingest has delivered data since ${isoDay(last)} (more than ${opts.staleAfterDays} days)`,
		);
	return reasons;
}

/**
 * The last complete Monday–Sunday week on or before both the as-of day and the last day with
 * data, and the last day with data up to the as-of day.
 */
async function lastWeek(
	pool: Pool,
	asOfDay: string,
): Promise<{ week: string | null; through: string | null }> {
	const last = await lastPostingDay(pool);
	if (!last) return { week: null, through: null };
	// Data past the as-of day means every week up to it is complete; otherwise the data's end is.
	const through = last < asOfDay ? last : asOfDay;
	const day = new Date(`${through}T00:00:00Z`).getUTCDay();
	// A week is complete when its Sunday has data; otherwise step back to the previous week.
	const sunday = day === 0 ? through : addDays(through, -day);
	return { week: addDays(sunday, -6), through };
}

export async function collectDigest(
	pool: Pool,
	catalog: MetricCatalog,
	config: Config,
	opts: CollectOptions,
): Promise<DigestData> {
	const notes: string[] = [];
	const { week, through } = await lastWeek(
		pool,
		opts.asOfDay ?? localDate(opts.asOf, config.timeZone),
	);
	const stale = await staleness(pool, config, opts);
	if (!week || stale.length > 0)
		return {
			week: week ? { start: week, end: addDays(week, 6) } : null,
			dataThrough: through,
			stale,
			kpis: [],
			movers: [],
			alerts: [],
			atRisk: [],
			notes,
		};
	return {
		week: { start: week, end: addDays(week, 6) },
		dataThrough: through,
		stale,
		kpis: await kpis(pool, catalog, week),
		movers: await movers(pool, catalog, week, opts.movers ?? 5, notes),
		alerts: await alerts(pool, week, config.timeZone),
		atRisk: await atRisk(pool, notes),
		notes,
	};
}
