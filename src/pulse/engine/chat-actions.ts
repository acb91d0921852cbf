/**
 * AlertActions for chat buttons, through the Pulse engine's `actOnAlert`: the alert is locked,
 * the core's idempotent action applied, the monitor's counters moved, an alert_update queued for
 * the monitor's other channels and — after enough false alarms — a tuning proposal posted in
 * the thread, all in one transaction. Two clicks racing each other serialize on the row lock;
 * the second sees the first's result and reports `changed: false`. The message is then
 * re-rendered from the stored row, with the alert's chart (alert-chart.ts): drawn at the first
 * render and kept in pulse_alert_charts, so later renders reuse the same picture.
 */
import type { ChartRenderer } from "../../charts/index.ts";
import { type DecodedAction, SNOOZE_MINUTES } from "../../chat/action-id.ts";
import { alertMessage, alertStateOf } from "../../chat/alert.ts";
import {
	type AlertActions,
	AlertNotFoundError,
	type ExplainMessage,
} from "../../chat/alert-actions.ts";
import { escapeMarkup } from "../../chat/markup.ts";
import type { ChatChart, ChatMessage } from "../../chat/message.ts";
import type { Alert } from "../alert.ts";
import { formatNumber } from "../format.ts";
import type { ExplainRequest } from "../input.ts";
import type { Severity } from "../model.ts";
import { type AlertChartInput, drawAlertChart } from "./alert-chart.ts";
import type { PulseDeps } from "./deps.ts";
import {
	type AlertAction,
	actOnAlert,
	requestExplanation,
} from "./feedback.ts";

interface AlertRow {
	id: string;
	monitor_name: string;
	severity: Severity;
	message: string;
	detected_at: Date;
	observed_value: number | null;
	acknowledged_at: Date | null;
	acknowledged_by: string | null;
	feedback: "true_positive" | "false_positive" | null;
	feedback_by: string | null;
	feedback_at: Date | null;
	snoozed_until: Date | null;
	snoozed_by: string | null;
	resolved_at: Date | null;
	resolved_by: string | null;
	monitor_id: string;
	/** Null only for rows written before the engine stamped it. */
	query_version: number | null;
	target: unknown;
	alert_condition: unknown;
	data: AlertChartInput["data"];
	template_chart: unknown;
	chart_known: boolean;
	chart_filename: string | null;
	chart_alt: string | null;
	chart_png: Buffer | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const VERDICT = {
	true_positive: "real",
	false_positive: "false_alarm",
} as const;

function alertOf(r: AlertRow): Alert {
	return {
		fingerprint: r.id,
		severity: r.severity,
		openedAt: r.detected_at.toISOString(),
		lastSeenAt: r.detected_at.toISOString(),
		lastNotifiedAt: null,
		count: 1,
		observed: r.observed_value,
		detail: r.message,
		resolvedAt: iso(r.resolved_at),
		resolvedBy: r.resolved_by,
		acknowledgedAt: iso(r.acknowledged_at),
		acknowledgedBy: r.acknowledged_by,
		snoozedUntil: iso(r.snoozed_until),
		snoozedBy: r.snoozed_by,
		feedback: r.feedback ? VERDICT[r.feedback] : null,
		feedbackBy: r.feedback_by,
		feedbackAt: iso(r.feedback_at),
	};
}

/**
 * The sentence a manager would say about the alert ("West gross margin fell to 13.8% in October
 * 2026, …"), when the monitor's query gives one in a `headline` column of its first row.
 */
export function headlineOf(
	data: Record<string, unknown> | null,
): string | null {
	return textColumnOf(data, "headline");
}

/**
 * A sentence the alert carries: the engine's own for a metric monitor (data.headline,
 * data.observed), else that column of the query's first row ("observed": "14.5 points below
 * average").
 */
function textColumnOf(
	data: Record<string, unknown> | null,
	column: string,
): string | null {
	const own = data?.[column];
	if (typeof own === "string" && own.trim()) return own.trim();
	const rows = data?.rows;
	const first = Array.isArray(rows)
		? (rows[0] as Record<string, unknown> | undefined)
		: undefined;
	const v = first?.[column];
	return typeof v === "string" && v.trim() ? v.trim() : null;
}

/** The living alert message for a row and an alert state. */
function render(
	r: AlertRow,
	alert: Alert,
	now: Date,
	chart: ChatChart | null,
): ChatMessage {
	const headline = headlineOf(r.data);
	const observed = textColumnOf(r.data, "observed");
	// Why the metric moved (explain's driver sentence), for metric monitors; a query may give one too.
	const drivers = textColumnOf(r.data, "drivers");
	return alertMessage({
		alertId: r.id,
		title: r.monitor_name,
		severity: r.severity,
		observed:
			observed ??
			(alert.observed === null ? "—" : formatNumber(alert.observed)),
		rule: alert.detail,
		...(headline ? { detail: headline } : {}),
		...(drivers ? { facts: [{ label: "Why", value: drivers }] } : {}),
		explainable: explainRequestOf(r.data) !== null,
		context: [
			`Monitor: ${r.monitor_name}`,
			...(r.query_version === null ? [] : [`query v${r.query_version}`]),
		],
		state: alertStateOf(alert, now),
		...(chart ? { chart } : {}),
	});
}

/** The engine's explain request kept on the alert (data.explain), when it has one. */
function explainRequestOf(
	data: Record<string, unknown> | null,
): ExplainRequest | null {
	const e = data?.explain as Partial<ExplainRequest> | undefined;
	return e &&
		typeof e.metric === "string" &&
		typeof e.period === "string" &&
		(e.grain === "day" || e.grain === "week" || e.grain === "month")
		? (e as ExplainRequest)
		: null;
}

/** A chat button as an engine action. */
function engineAction(
	action: Exclude<DecodedAction, { verb: "explain" }>,
): AlertAction {
	switch (action.verb) {
		case "ack":
			return { type: "acknowledge" };
		case "real":
			return { type: "feedback", verdict: "real" };
		case "false":
			return { type: "feedback", verdict: "false_alarm" };
		case "snooze":
			return { type: "snooze", minutes: SNOOZE_MINUTES[action.duration] };
	}
}

/**
 * AlertActions on the bot's database, through the Pulse engine. `explain` answers the Explain
 * button's thread reply (the composition root passes the explain command's); without it the reply
 * is the driver sentence the alert already carries.
 */
export function createPgAlertActions(
	pulse: PulseDeps,
	charts?: ChartRenderer,
	explain?: ExplainMessage,
): AlertActions {
	const read = async (alertId: string) => {
		const { rows } = await pulse.pool.query<AlertRow>(
			pulse.sql.get("pulse/alert-with-chart"),
			[alertId],
		);
		return rows[0];
	};
	/** The kept chart, or (first render) the chart drawn now and kept; null: nothing to chart. */
	const chartOf = async (r: AlertRow): Promise<ChatChart | null> => {
		if (r.chart_known)
			return r.chart_png
				? {
						filename: r.chart_filename ?? "alert.png",
						alt: r.chart_alt ?? "",
						png: new Uint8Array(r.chart_png),
					}
				: null;
		const chart = pulse.catalog
			? await drawAlertChart(
					pulse.pool,
					pulse.catalog,
					{
						target: r.target,
						condition: r.alert_condition,
						templateChart: r.template_chart,
						data: r.data,
						detectedAt: r.detected_at,
						severity: r.severity,
					},
					pulse.log.child({ alert: r.id }),
					charts,
				)
			: null;
		await pulse.pool.query(pulse.sql.get("pulse/alert-chart-save"), [
			r.id,
			chart?.filename ?? "none",
			chart?.alt ?? "",
			chart?.png ? Buffer.from(chart.png) : null,
		]);
		return chart;
	};
	return {
		async act(action, actor, now) {
			if (!(await read(action.alertId)))
				throw new AlertNotFoundError(action.alertId);
			const outcome =
				action.verb === "explain"
					? await requestExplanation(
							pulse,
							action.alertId,
							actor.name ?? actor.id,
						)
					: await actOnAlert(
							pulse,
							action.alertId,
							actor.name ?? actor.id,
							engineAction(action),
							now,
						);
			const row = await read(action.alertId);
			if (!row) throw new AlertNotFoundError(action.alertId);
			return {
				message: render(row, alertOf(row), now, await chartOf(row)),
				changed: outcome.changed,
				note: outcome.message,
			};
		},
		async render(alertId, now) {
			if (!/^[0-9a-f-]{36}$/i.test(alertId)) return null;
			const row = await read(alertId);
			return row ? render(row, alertOf(row), now, await chartOf(row)) : null;
		},
		async explain(alertId) {
			if (!/^[0-9a-f-]{36}$/i.test(alertId)) return null;
			const row = await read(alertId);
			const request = row ? explainRequestOf(row.data) : null;
			if (!row || !request) return null;
			if (explain) return explain(request);
			const drivers = textColumnOf(row.data, "drivers");
			return {
				title: `Why: ${row.monitor_name}`,
				text: escapeMarkup(
					drivers ?? "No explanation was kept for this alert.",
				),
			};
		},
	};
}
