/**
 * Why an alert's metric moved: when a run breaches, the metric the alert is about (subject.ts —
 * a metric monitor's target, or a template's chart metric narrowed to the member the alert names)
 * is explained for the period the alert's chart ends on. The alert keeps the driver sentence (its
 * Why line) and the request behind it, which the Explain button answers in full in the thread.
 * An alert never waits on its explanation: any failure leaves it without one.
 */
import { AppError, errorMessage } from "../../errors.ts";
import { explainMetric } from "../../metrics/explain.ts";
import { explanationSentence } from "../../metrics/explain-text.ts";
import { periodStart } from "../../metrics/periods.ts";
import type { ExplainRequest, Row } from "../input.ts";
import type { PulseDeps } from "./deps.ts";
import { formatter, resolveTarget } from "./metric-input.ts";
import type { MonitorRow } from "./records.ts";
import { alertSubject, subjectUntil } from "./subject.ts";

/** The members named per dimension in the sentence's explanation. */
const TOP = 5;

/** The alert's drivers as of `now`, or null (nothing to explain, or it could not be explained). */
export async function explainAlert(
	deps: PulseDeps,
	row: Pick<MonitorRow, "id" | "target" | "alert_condition" | "template_name">,
	rows: readonly Row[] | null,
	now: Date,
): Promise<{ drivers: string; explain: ExplainRequest } | null> {
	const catalog = deps.catalog;
	if (!catalog) return null;
	try {
		const subject = alertSubject({
			target: row.target,
			condition: row.alert_condition,
			templateChart: await templateChart(deps, row),
			data: { asOf: now.toISOString(), rows: rows ? [...rows] : null },
			detectedAt: now,
		});
		if (!subject) return null;
		const r = resolveTarget(catalog, {
			metric: subject.spec.metric,
			...(subject.spec.grain ? { grain: subject.spec.grain } : {}),
			...(subject.filter ? { filter: subject.filter } : {}),
		});
		if ("error" in r) return null;
		const period = periodStart(
			// The last day the alert's chart covers; its period is the one explained.
			subjectUntil(subject, r.metric, r.grain),
			r.grain,
		);
		const e = await explainMetric(deps.pool, catalog, r.metric, {
			grain: r.grain,
			period,
			top: TOP,
			...(r.filter ? { within: r.filter } : { drill: true }),
		});
		const drivers = explanationSentence(e, formatter(r.metric, e.unit));
		if (!drivers) return null;
		return {
			drivers,
			explain: {
				metric: r.metric.id,
				grain: r.grain,
				period,
				...(r.filter ? { within: r.filter } : {}),
			},
		};
	} catch (err) {
		// A metric explain cannot split (days on hand) says so in a sentence: no warning for that.
		const level =
			err instanceof AppError &&
			(err.code === "usage" || err.code === "data_unavailable")
				? "info"
				: "warn";
		deps.log[level](
			{ monitor: row.id, err: errorMessage(err) },
			"could not explain the alert's metric; the alert goes without drivers",
		);
		return null;
	}
}

async function templateChart(
	deps: PulseDeps,
	row: Pick<MonitorRow, "target" | "template_name">,
): Promise<unknown> {
	if (!row.template_name || typeof row.target.metric === "string") return null;
	const { rows } = await deps.pool.query<{ chart: unknown }>(
		deps.sql.get("pulse/template-chart"),
		[row.template_name],
	);
	return rows[0]?.chart ?? null;
}
