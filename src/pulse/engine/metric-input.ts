/**
 * Metric-target monitors: read the monitor's catalog metric as a series of complete periods up
 * to the run's "as of" date and hand it to the core's evaluation, labelled and formatted in the
 * metric's unit. Names were resolved against the catalog when the monitor was saved.
 */
import { errorMessage, isTransient } from "../../errors.ts";
import {
	addPeriods,
	type FetchOptions,
	fetchSeries,
	type MetricCatalog,
	type MetricDefinition,
	type MetricSeries,
	periodStart,
	resolveDimension,
	resolveMetric,
	type SeriesFilter,
} from "../../metrics/index.ts";
import { formatNumber, formatPercent } from "../format.ts";
import type { EvaluationInput } from "../input.ts";
import type { Condition, Grain, MetricTarget } from "../model.ts";
import type { PulseDeps } from "./deps.ts";
import { localDate } from "./deps.ts";

/** Periods read per run: enough for year-over-year changes and two seasons of anomaly history. */
const PERIODS: Record<Grain, number> = { day: 120, week: 160, month: 48 };

/** The catalog metric and filter a target names, or why it names none ("did you mean …"). */
export function resolveTarget(
	catalog: MetricCatalog,
	target: MetricTarget,
):
	| { metric: MetricDefinition; filter?: SeriesFilter; grain: Grain }
	| { error: string } {
	const m = resolveMetric(catalog, target.metric);
	if (!m.ok) return { error: m.message };
	const grain = target.grain ?? m.value.defaultGrain;
	if (!m.value.grains.includes(grain))
		return {
			error: `${m.value.label} has no ${grain} figures; use ${m.value.grains.join(" or ")}`,
		};
	if (!target.filter) return { metric: m.value, grain };
	const d = resolveDimension(target.filter.dimension, m.value);
	if (!d.ok) return { error: d.message };
	return {
		metric: m.value,
		grain,
		filter: { dimension: d.value.id, value: target.filter.value },
	};
}

export function formatter(
	metric: MetricDefinition,
	unit: string,
): (v: number) => string {
	if (metric.unit === "percent") return formatPercent;
	if (metric.unit === "currency") return (v) => `${formatNumber(v)} ${unit}`;
	if (metric.unit === "days")
		return (v) => `${formatNumber(v)} ${v === 1 ? "day" : "days"}`;
	return formatNumber;
}

/**
 * Reads one metric series. A batch of runs hands every monitor the same memoised reader, so a
 * series several monitors ask for is read once (see batch.ts).
 */
export type SeriesReader = (
	metric: MetricDefinition,
	opts: FetchOptions,
) => Promise<MetricSeries>;

/** A reader that asks the warehouse every time. */
export function directReader(deps: PulseDeps): SeriesReader {
	return (metric, opts) => {
		if (!deps.catalog) throw new Error("no metric catalog");
		return fetchSeries(deps.pool, deps.catalog, metric, opts);
	};
}

/** The same series (metric, grain, window, filter) asked for twice reads the warehouse once. */
export function memoReader(read: SeriesReader): SeriesReader & {
	reads(): number;
} {
	const memo = new Map<string, Promise<MetricSeries>>();
	const reader = (metric: MetricDefinition, opts: FetchOptions) => {
		const key = JSON.stringify([
			metric.id,
			opts.grain ?? null,
			opts.since ?? null,
			opts.until ?? null,
			opts.filter?.dimension ?? null,
			opts.filter?.value ?? null,
			opts.source ?? null,
		]);
		let p = memo.get(key);
		if (!p) {
			p = read(metric, opts);
			memo.set(key, p);
		}
		return p;
	};
	return Object.assign(reader, { reads: () => memo.size });
}

/** The evaluation input for a metric target at `now` (complete periods before now only). */
export async function metricInput(
	deps: PulseDeps,
	target: MetricTarget,
	condition: Condition,
	now: Date,
	read: SeriesReader = directReader(deps),
): Promise<{ input: EvaluationInput; points: number } | { error: string }> {
	if (!deps.catalog)
		return { error: "the metric catalog is not available to this process" };
	const r = resolveTarget(deps.catalog, target);
	if ("error" in r) return r;
	const today = localDate(now, deps.timeZone);
	// A stale condition judges the newest data, so it includes the current period.
	const current = condition.kind === "stale";
	const until = current ? today : addDays(periodStart(today, r.grain), -1);
	const since = addPeriods(
		periodStart(until, r.grain),
		r.grain,
		-(PERIODS[r.grain] - 1),
	);
	try {
		const series = await read(r.metric, {
			grain: r.grain,
			since,
			until,
			...(r.filter ? { filter: r.filter } : {}),
		});
		if (series.missing && !current) return { error: series.missing };
		const label = r.filter
			? `${r.metric.label} (${r.filter.dimension} ${r.filter.value})`
			: r.metric.label;
		return {
			input: {
				now,
				series: series.points.map((p) => ({
					period: p.period,
					value: p.value,
				})),
				grain: r.grain,
				label,
				formatValue: formatter(r.metric, series.unit),
				unit: r.metric.unit,
			},
			points: series.points.length,
		};
	} catch (err) {
		// A lost connection is not the monitor's fault: thrown, so the run is retried.
		if (isTransient(err) && (err as { code?: unknown }).code !== "57014")
			throw err;
		return { error: errorMessage(err) };
	}
}

function addDays(day: string, n: number): string {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}
