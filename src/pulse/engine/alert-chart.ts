/**
 * The chart on an alert message: the metric the alert is about over the periods up to the alert,
 * with the latest period marked in the alert's severity colour and, for a threshold on the metric
 * itself, the threshold drawn. A metric monitor charts its own target; a monitor made from a
 * template charts the template's `chart` (alertChartSpecSchema), narrowed to the entity the
 * alert's first result row names. Monitors on a bare query with no template chart have none.
 *
 * The series ends with the last complete period before the alert's "as of" day, so a chart drawn
 * for an alert replayed as of an earlier date shows what the monitor saw then, and a month that
 * had only begun does not look like a collapse.
 */
import { type ChartRenderer, renderChart } from "../../charts/index.ts";
import { metricChart } from "../../charts/metric-chart.ts";
import type { Severity as ChartSeverity } from "../../charts/theme.ts";
import type { ChartInput } from "../../charts/types.ts";
import type { ChatChart } from "../../chat/message.ts";
import type { Pool } from "../../db/pool.ts";
import { errorMessage } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import { fetchSeries, type MetricCatalog } from "../../metrics/index.ts";
import type { Severity } from "../model.ts";
import { resolveTarget } from "./metric-input.ts";
import {
	type AlertSubject,
	type AlertSubjectInput,
	alertSubject,
	subjectUntil,
} from "./subject.ts";

/** What the alert row and its monitor say about the chart: the alert's subject, and how bad it is. */
export interface AlertChartInput extends AlertSubjectInput {
	severity: Severity;
}

/** Alert severity → the chart palette's (theme.ts). */
const CHART_SEVERITY = {
	low: "info",
	medium: "warning",
	high: "warning",
	critical: "critical",
} as const satisfies Record<Severity, ChartSeverity>;

/** The chart's input: the series fetched from the warehouse, or a reason there is none. */
export async function alertChartInput(
	pool: Pool,
	catalog: MetricCatalog,
	req: AlertSubject,
	severity: Severity,
): Promise<{ input: ChartInput; filename: string } | { none: string }> {
	const resolved = resolveTarget(catalog, {
		metric: req.spec.metric,
		...(req.spec.grain ? { grain: req.spec.grain } : {}),
		...(req.filter ? { filter: req.filter } : {}),
	});
	if ("error" in resolved) return { none: resolved.error };
	const { metric, grain } = resolved;
	// The periods up to the alert's: its own when the as-of day completes it (an alert as of
	// 31 October shows October, the month that proves a customer's silence), else the one before.
	// A level (stock on hand) is read at its latest snapshot, so a period that has only begun
	// already shows it: the stock-out the alert is about is on the chart.
	const until = subjectUntil(req, metric, grain);
	const series = await fetchSeries(pool, catalog, metric, {
		grain,
		until,
		last: req.spec.periods,
		...(resolved.filter ? { filter: resolved.filter } : {}),
	});
	if (series.missing) return { none: series.missing };
	const scale = metric.unit === "percent" ? 0.01 : 1;
	const colour = CHART_SEVERITY[severity];
	const last = series.points.findLast((p) => p.value !== null);
	const chart = metricChart(
		metric,
		series,
		`${series.points.length} ${grain}s to ${until}`,
	);
	const input: ChartInput = {
		...chart,
		...(resolved.filter
			? { title: `${chart.title} · ${resolved.filter.value}` }
			: {}),
		...(last?.value != null
			? {
					highlights: [
						{
							t: last.period,
							value: last.value * scale,
							severity: colour,
						},
					],
				}
			: {}),
		...(req.threshold !== undefined || req.reference
			? {
					thresholds: [
						...(req.threshold !== undefined
							? [
									{
										value: req.threshold * scale,
										label: "rule",
										severity: colour,
									},
								]
							: []),
						...(req.reference
							? [
									{
										value: req.reference.value * scale,
										label: req.reference.label,
										severity: "ok" as const,
									},
								]
							: []),
					],
				}
			: {}),
	};
	const slug = [metric.id, resolved.filter?.value]
		.filter(Boolean)
		.join("-")
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, "-")
		.slice(0, 60);
	return { input, filename: `alert-${slug}.png` };
}

/**
 * The alert's chart, drawn now; null when it has nothing to chart or drawing failed (the alert
 * is posted without a picture rather than not at all; the reason is logged).
 */
export async function drawAlertChart(
	pool: Pool,
	catalog: MetricCatalog,
	input: AlertChartInput,
	log: Logger,
	charts?: ChartRenderer,
): Promise<ChatChart | null> {
	const req = alertSubject(input);
	if (!req) return null;
	try {
		const made = await alertChartInput(pool, catalog, req, input.severity);
		if ("none" in made) {
			log.info({ reason: made.none }, "alert has no chart");
			return null;
		}
		const r = await (charts
			? charts.render(made.input)
			: renderChart(made.input));
		if (!r.ok) {
			log.warn({ err: r.error }, "alert chart could not be drawn");
			return null;
		}
		return { filename: made.filename, alt: r.alt, png: r.png };
	} catch (err) {
		log.warn({ err: errorMessage(err) }, "alert chart could not be drawn");
		return null;
	}
}
