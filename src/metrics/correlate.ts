/**
 * `correlate a b` and `correlate a` over the catalog: fetch the series, hand them to the pure
 * correlation engine with the catalog's metadata, and return its typed result.
 */
import {
	type CorrelationResult,
	correlateSeries,
	DEFAULT_FDR,
	type Ranking,
	rankAgainst,
} from "../analytics/correlation/index.ts";
import type { Pool } from "../db/pool.ts";
import { AppError } from "../errors.ts";
import type { MetricCatalog } from "./catalog.ts";
import {
	assertDimensionReady,
	fetchSeries,
	type MetricSeries,
} from "./fetch.ts";
import { resolveDimension, resolveGrain, resolveMetric } from "./resolve.ts";
import type { Grain, MetricDefinition, SeriesFilter } from "./types.ts";

/** Options of a correlation: one grain and window for every series, and an optional filter. */
export interface CorrelateOptions {
	grain?: Grain;
	since?: string;
	until?: string;
	filter?: SeriesFilter;
	source?: string;
	/** False discovery rate of a ranking; default 0.05. */
	fdr?: number;
}

/** Two metrics correlated: `a` is y (the one explained), `b` is x. */
export interface PairOutcome {
	kind: "pair";
	result: CorrelationResult;
	y: MetricSeries;
	x: MetricSeries;
	/** What the series are restricted to ("region = West", "source erp"); null when not. */
	scope: string | null;
}

/** One metric against every other metric of the catalog. */
export interface RankingOutcome {
	kind: "ranking";
	ranking: Ranking;
	target: MetricSeries;
	/** Metrics left out of the ranking and why (no cost data, no daily figures, …). */
	skipped: { metric: string; label: string; reason: string }[];
	/** What the series are restricted to ("region = West", "source erp"); null when not. */
	scope: string | null;
}

/** "region = West, source erp": the restriction every series of a correlation shares, or null. */
export function scopeOf(opts: CorrelateOptions): string | null {
	const parts = [
		...(opts.filter ? [`${opts.filter.dimension} = ${opts.filter.value}`] : []),
		...(opts.source ? [`source ${opts.source}`] : []),
	];
	return parts.length > 0 ? parts.join(", ") : null;
}

export type CorrelateOutcome = PairOutcome | RankingOutcome;

/** A metric by id, name or synonym; an unknown name is a usage error with "did you mean …". */
export function metricNamed(
	catalog: MetricCatalog,
	m: string | MetricDefinition,
): MetricDefinition {
	if (typeof m !== "string") return m;
	const r = resolveMetric(catalog, m);
	if (!r.ok) throw new AppError("usage", r.message);
	return r.value;
}

function unavailable(metric: MetricDefinition, s: MetricSeries): AppError {
	return new AppError("data_unavailable", `${metric.label}: ${s.missing}`);
}

/**
 * Correlates `a` (y) with `b` (x); without `b`, ranks every other catalog metric against `a`
 * with Benjamini–Hochberg-adjusted p-values. Grain defaults to `a`'s default grain.
 */
export async function correlate(
	pool: Pool,
	catalog: MetricCatalog,
	a: string | MetricDefinition,
	b?: string | MetricDefinition,
	opts: CorrelateOptions = {},
): Promise<CorrelateOutcome> {
	const target = metricNamed(catalog, a);
	const other = b === undefined ? undefined : metricNamed(catalog, b);
	const grain = opts.grain ?? target.defaultGrain;
	const g = resolveGrain(grain, other ? [target, other] : [target]);
	if (!g.ok) throw new AppError("usage", g.message);
	if (opts.filter) {
		for (const m of other ? [target, other] : [target]) {
			const d = resolveDimension(opts.filter.dimension, m);
			if (!d.ok) throw new AppError("usage", d.message);
		}
		await assertDimensionReady(pool, opts.filter.dimension, opts.source);
	}
	const fetchOpts = { ...opts, grain };
	const y = await fetchSeries(pool, catalog, target, fetchOpts);
	if (y.missing) throw unavailable(target, y);
	if (other) {
		const x = await fetchSeries(pool, catalog, other, fetchOpts);
		if (x.missing) throw unavailable(other, x);
		return {
			kind: "pair",
			result: correlateSeries(x, y, catalog.meta()),
			y,
			x,
			scope: scopeOf(opts),
		};
	}
	const others: MetricSeries[] = [];
	const skipped: RankingOutcome["skipped"] = [];
	for (const m of catalog.metrics) {
		if (m.id === target.id) continue;
		const reason = !m.grains.includes(grain)
			? `no ${grain} figures`
			: opts.filter && !m.dimensions.includes(opts.filter.dimension)
				? `cannot be filtered by ${opts.filter.dimension}`
				: null;
		if (reason) {
			skipped.push({ metric: m.id, label: m.label, reason });
			continue;
		}
		const s = await fetchSeries(pool, catalog, m, fetchOpts);
		if (s.missing)
			skipped.push({ metric: m.id, label: m.label, reason: s.missing });
		else others.push(s);
	}
	return {
		kind: "ranking",
		ranking: rankAgainst(y, others, catalog.meta(), opts.fdr ?? DEFAULT_FDR),
		target: y,
		skipped,
		scope: scopeOf(opts),
	};
}
