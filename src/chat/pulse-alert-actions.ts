/**
 * AlertActions over the `pulse_alerts` table with the pure actions of src/pulse/alert.ts: read
 * the alert FOR UPDATE, apply acknowledge / feedback / snooze, write it back and move the
 * monitor's feedback counters, all in one transaction. Two clicks racing each other serialize
 * on the row lock; the second sees the first's result and reports `changed: false`.
 *
 * Columns: the lifecycle columns (snoozed_until, feedback_by, …) are the ones feat/pulsedb's
 * migration 008 adds. Once its service lands, `act` should call its `actOnAlert` instead (it
 * also queues the alert_update deliveries for the monitor's other channels).
 */
import type { Pool, PoolClient } from "../db/pool.ts";
import {
	type Alert,
	type AlertActionResult,
	acknowledge,
	FEEDBACK_COLUMN,
	feedback,
	snooze,
} from "../pulse/alert.ts";
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

const UPDATE = `
update pulse_alerts
   set acknowledged = $2::timestamptz is not null, acknowledged_at = $2, acknowledged_by = $3,
       feedback = $4, feedback_by = $5, feedback_at = $6, snoozed_until = $7, snoozed_by = $8
 where id = $1`;

const COUNTERS = `
update pulse_monitors
   set true_positives = true_positives + $2, false_positives = false_positives + $3
 where id = $1`;

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

function apply(
	alert: Alert,
	action: DecodedAction,
	user: string,
	now: Date,
): AlertActionResult {
	switch (action.verb) {
		case "ack":
			return acknowledge(alert, user, now);
		case "real":
			return feedback(alert, user, "real", now);
		case "false":
			return feedback(alert, user, "false_alarm", now);
		case "snooze":
			return snooze(alert, user, SNOOZE_MINUTES[action.duration], now);
	}
}

async function inTransaction<T>(
	pool: Pool,
	fn: (c: PoolClient) => Promise<T>,
): Promise<T> {
	const client = await pool.connect();
	try {
		await client.query("begin");
		const out = await fn(client);
		await client.query("commit");
		return out;
	} catch (err) {
		await client.query("rollback").catch(() => {});
		throw err;
	} finally {
		client.release();
	}
}

/** AlertActions on the bot's database. */
export function createPgAlertActions(pool: Pool): AlertActions {
	return {
		act: (action, actor, now) =>
			inTransaction(pool, async (c) => {
				const { rows } = await c.query<AlertRow>(`${SELECT} for update of a`, [
					action.alertId,
				]);
				const row = rows[0];
				if (!row) throw new AlertNotFoundError(action.alertId);
				const result = apply(alertOf(row), action, actor.name ?? actor.id, now);
				if (result.changed) {
					const a = result.alert;
					await c.query(UPDATE, [
						row.id,
						a.acknowledgedAt,
						a.acknowledgedBy,
						a.feedback ? FEEDBACK_COLUMN[a.feedback] : null,
						a.feedbackBy,
						a.feedbackAt,
						a.snoozedUntil,
						a.snoozedBy,
					]);
					const { truePositives, falsePositives } = result.deltas;
					if (truePositives !== 0 || falsePositives !== 0)
						await c.query(COUNTERS, [
							row.monitor_id,
							truePositives,
							falsePositives,
						]);
				}
				return {
					message: render(row, result.alert, now),
					changed: result.changed,
					note: result.message,
				};
			}),
		async render(alertId, now) {
			if (!/^[0-9a-f-]{36}$/i.test(alertId)) return null;
			const { rows } = await pool.query<AlertRow>(SELECT, [alertId]);
			const row = rows[0];
			return row ? render(row, alertOf(row), now) : null;
		},
	};
}
