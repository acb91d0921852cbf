/**
 * AlertActions for chat buttons, through the Pulse engine's `actOnAlert`: the alert is locked,
 * the core's idempotent action applied, the monitor's counters moved, an alert_update queued for
 * the monitor's other channels and — after enough false alarms — a tuning proposal posted in
 * the thread, all in one transaction. Two clicks racing each other serialize on the row lock;
 * the second sees the first's result and reports `changed: false`. The message is then
 * re-rendered from the stored row.
 */
import type { Alert } from "../pulse/alert.ts";
import type { PulseDeps } from "../pulse/engine/deps.ts";
import { type AlertAction, actOnAlert } from "../pulse/engine/feedback.ts";
import { formatNumber } from "../pulse/format.ts";
import type { Severity } from "../pulse/model.ts";
import { type DecodedAction, SNOOZE_MINUTES } from "./action-id.ts";
import { alertMessage, alertStateOf } from "./alert.ts";
import { type AlertActions, AlertNotFoundError } from "./alert-actions.ts";
import type { ChatMessage } from "./message.ts";

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
}

const SELECT = `
select a.id::text, a.monitor_id::text, m.name as monitor_name, a.severity, a.message, a.detected_at,
       a.observed_value, a.acknowledged_at, a.acknowledged_by, a.feedback, a.feedback_by, a.feedback_at,
       a.snoozed_until, a.snoozed_by, a.resolved_at, a.resolved_by
  from pulse_alerts a join pulse_monitors m on m.id = a.monitor_id
 where a.id = $1`;

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

/** The living alert message for a row and an alert state. */
function render(r: AlertRow, alert: Alert, now: Date): ChatMessage {
	return alertMessage({
		alertId: r.id,
		title: r.monitor_name,
		severity: r.severity,
		observed: alert.observed === null ? "—" : formatNumber(alert.observed),
		rule: alert.detail,
		context: [`Monitor: ${r.monitor_name}`],
		state: alertStateOf(alert, now),
	});
}

/** A chat button as an engine action. */
function engineAction(action: DecodedAction): AlertAction {
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

/** AlertActions on the bot's database, through the Pulse engine. */
export function createPgAlertActions(pulse: PulseDeps): AlertActions {
	const read = async (alertId: string) => {
		const { rows } = await pulse.pool.query<AlertRow>(SELECT, [alertId]);
		return rows[0];
	};
	return {
		async act(action, actor, now) {
			if (!(await read(action.alertId)))
				throw new AlertNotFoundError(action.alertId);
			const outcome = await actOnAlert(
				pulse,
				action.alertId,
				actor.name ?? actor.id,
				engineAction(action),
				now,
			);
			const row = await read(action.alertId);
			if (!row) throw new AlertNotFoundError(action.alertId);
			return {
				message: render(row, alertOf(row), now),
				changed: outcome.changed,
				note: outcome.message,
			};
		},
		async render(alertId, now) {
			if (!/^[0-9a-f-]{36}$/i.test(alertId)) return null;
			const row = await read(alertId);
			return row ? render(row, alertOf(row), now) : null;
		},
	};
}
