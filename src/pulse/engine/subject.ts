/**
 * What an alert is about, as a catalog metric: a metric monitor's own target; a monitor made from
 * a template, the template's `chart` (alertChartSpecSchema) narrowed to the entity the alert's
 * first result row names. Its chart (alert-chart.ts) and its drivers (explain-alert.ts) both
 * read it, so the Why line explains the period the chart ends on. Pure.
 */
import { periodStart } from "../../metrics/periods.ts";
import type { Grain, MetricDefinition } from "../../metrics/types.ts";
import type { Row } from "../input.ts";
import { type AlertChartSpec, alertChartSpecSchema } from "./templates.ts";

/** Periods a metric monitor's chart shows. */
const METRIC_MONITOR_PERIODS = 13;

/** What the alert row and its monitor say about the metric the alert is about. */
export interface AlertSubjectInput {
	/** pulse_monitors.target */
	target: unknown;
	/** pulse_monitors.alert_condition */
	condition: unknown;
	/** The template's `chart`, when the monitor was made from a template that has one. */
	templateChart: unknown;
	/** pulse_alerts.data: the run's "as of" instant and first result rows. */
	data: { asOf?: string; rows?: Row[] | null } | null;
	detectedAt: Date;
}

/** The catalog metric an alert is about, narrowed to its member, as of the alert's day. */
export interface AlertSubject {
	spec: AlertChartSpec;
	/** A dimension as named in the monitor or template; the catalog resolves it. */
	filter?: { dimension: string; value: string };
	threshold?: number;
	/**
	 * A line the rule compares with, from the monitor's first result row (`chart_reference` and
	 * `chart_reference_label`), e.g. the 12-month average a margin drop is measured from.
	 */
	reference?: { value: number; label: string };
	asOf: string;
}

/** The metric, filter and window of the alert (its chart, its drivers), or null when it has none. */
export function alertSubject(input: AlertSubjectInput): AlertSubject | null {
	const asOf = (input.data?.asOf ?? input.detectedAt.toISOString()).slice(
		0,
		10,
	);
	const target = input.target as {
		metric?: string;
		grain?: AlertChartSpec["grain"];
		filter?: { dimension: string; value: string };
	} | null;
	if (target && typeof target.metric === "string") {
		const condition = input.condition as {
			kind?: string;
			value?: unknown;
		} | null;
		return {
			spec: {
				metric: target.metric,
				periods: METRIC_MONITOR_PERIODS,
				...(target.grain ? { grain: target.grain } : {}),
			},
			...(target.filter ? { filter: target.filter } : {}),
			...(condition?.kind === "threshold" && typeof condition.value === "number"
				? { threshold: condition.value }
				: {}),
			asOf,
		};
	}
	const parsed = alertChartSpecSchema.safeParse(input.templateChart);
	if (!parsed.success) return null;
	const spec = parsed.data;
	const req = resolveTemplateRequest(input, spec, asOf);
	const first = input.data?.rows?.[0];
	const value = first?.chart_reference;
	const label = first?.chart_reference_label;
	return req && typeof value === "number" && Number.isFinite(value)
		? {
				...req,
				reference: {
					value,
					label: typeof label === "string" ? label : "reference",
				},
			}
		: req;
}

function resolveTemplateRequest(
	input: AlertSubjectInput,
	spec: AlertChartSpec,
	asOf: string,
): AlertSubject | null {
	if (!spec.filter) return { spec, asOf };
	if ("value" in spec.filter)
		return {
			spec,
			filter: { dimension: spec.filter.dimension, value: spec.filter.value },
			asOf,
		};
	const value = input.data?.rows?.[0]?.[spec.filter.column];
	if (value === null || value === undefined || value === "") return null;
	return {
		spec,
		filter: { dimension: spec.filter.dimension, value: String(value) },
		asOf,
	};
}

const dayAfter = (day: string) => {
	const t = new Date(`${day}T00:00:00Z`);
	t.setUTCDate(t.getUTCDate() + 1);
	return t.toISOString().slice(0, 10);
};

const dayBefore = (day: string) => {
	const t = new Date(`${day}T00:00:00Z`);
	t.setUTCDate(t.getUTCDate() - 1);
	return t.toISOString().slice(0, 10);
};

/**
 * The last day the alert's series covers: the as-of day when it completes its period (an alert
 * as of 31 October is about October, the month that proves a customer's silence), else the day
 * before its period began. A level (stock on hand) is read at its latest snapshot, so a period
 * that has only begun already shows it.
 */
export function subjectUntil(
	subject: Pick<AlertSubject, "asOf">,
	metric: Pick<MetricDefinition, "keepPartialEnd">,
	grain: Grain,
): string {
	const next = dayAfter(subject.asOf);
	return metric.keepPartialEnd || periodStart(next, grain) === next
		? subject.asOf
		: dayBefore(periodStart(subject.asOf, grain));
}
