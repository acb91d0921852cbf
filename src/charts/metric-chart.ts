/**
 * Chart inputs for metric series from the catalog: one line for a metric, one line per member for
 * a breakdown, values in the metric's unit. Pure; the caller fetches and renders.
 */
import { currencyPrefix } from "../currency.ts";
import type {
	Breakdown,
	MetricDefinition,
	MetricSeries,
} from "../metrics/index.ts";
import type { ValueFormat } from "./format.ts";
import type { TimeSeriesInput } from "./types.ts";

/** How a metric's values read on a chart. Percent metrics hold 0–100 and charts take fractions. */
export function metricFormat(m: MetricDefinition, unit: string): ValueFormat {
	switch (m.unit) {
		case "currency":
			return {
				style: "currency",
				symbol: currencyPrefix(unit),
			};
		case "percent":
			return { style: "percent" };
		case "count":
		case "units":
			return { style: "count", unit };
		default:
			return { style: "number", unit };
	}
}

function points(m: MetricDefinition, s: MetricSeries) {
	const scale = m.unit === "percent" ? 0.01 : 1;
	return s.points.map((p) => ({
		t: p.period,
		value: p.value === null ? null : p.value * scale,
	}));
}

function label(m: MetricDefinition): string {
	return m.label.charAt(0).toUpperCase() + m.label.slice(1);
}

/** A metric over time, or (given a breakdown) its top members as separate lines. */
export function metricChart(
	m: MetricDefinition,
	data: MetricSeries | Breakdown,
	subtitle?: string,
): TimeSeriesInput {
	if ("members" in data) {
		return {
			kind: "timeseries",
			title: `${label(m)} by ${data.dimension}`,
			...(subtitle ? { subtitle } : {}),
			grain: data.total.grain,
			format: metricFormat(m, data.total.unit),
			series: data.members.map((x) => ({
				name: x.member,
				points: points(m, x.series),
			})),
		};
	}
	return {
		kind: "timeseries",
		title: label(m),
		...(subtitle ? { subtitle } : {}),
		grain: data.grain,
		format: metricFormat(m, data.unit),
		series: [{ name: label(m), points: points(m, data) }],
	};
}
