/**
 * Carries out what the lifecycle's `step` decided, inside the run's transaction: insert or
 * update the pulse_alerts row (stamped with query version, observed value and fingerprint) and
 * write the matching deliveries, so an alert change and its announcement commit together.
 */
import type { PoolClient } from "../../db/pool.ts";
import type { Alert } from "../alert.ts";
import type { Evaluation, Row } from "../input.ts";
import type { Action } from "../lifecycle.ts";
import {
	type Delivery,
	enqueueDelivery,
	type PulseEvent,
	type PulsePayload,
} from "./deliveries.ts";
import type { PulseDeps } from "./deps.ts";
import { KEPT_ROWS } from "./observe.ts";
import { alertColumns } from "./records.ts";

/** The monitor and run an action belongs to. */
export interface ActionContext {
	monitorId: string;
	monitorName: string;
	queryVersion: number;
	channels: readonly string[];
	evaluation: Evaluation;
	rows: readonly Row[] | null;
	capped: boolean;
	asOf: Date;
}

/** Alert id after the actions, and how many deliveries were written. */
export interface Applied {
	alertId: string | null;
	deliveries: number;
}

/** Applies the actions in order; `alertId` is the id of the state's alert before the run. */
export async function applyActions(
	client: PoolClient,
	deps: PulseDeps,
	ctx: ActionContext,
	actions: readonly Action[],
	alertId: string | null,
): Promise<Applied> {
	let id = alertId;
	let deliveries = 0;
	for (const action of actions) {
		if (action.type === "none") continue;
		if (action.type === "open_alert") {
			id = await insertAlert(client, deps, ctx, action.alert);
		} else if (id) {
			// A run that no longer breaches (the one that resolves the alert) leaves the alert's
			// data alone: the card keeps saying what happened, not the all-clear's figures.
			await updateAlert(
				client,
				deps,
				id,
				action.alert,
				ctx.evaluation.breached ? alertData(ctx) : null,
			);
		} else {
			deps.log.warn(
				{ monitor: ctx.monitorId, action: action.type },
				"lifecycle acted on an alert the engine has no row for; skipped",
			);
			continue;
		}
		for (const d of deliveriesFor(ctx, action, id))
			deliveries += await enqueueDelivery(client, deps.sql, ctx.channels, d);
	}
	return { alertId: id, deliveries };
}

function alertData(ctx: ActionContext): Record<string, unknown> {
	const ev = ctx.evaluation;
	return {
		detail: ev.detail,
		...(ev.headline ? { headline: ev.headline } : {}),
		...(ev.observedText ? { observed: ev.observedText } : {}),
		...(ev.drivers ? { drivers: ev.drivers } : {}),
		...(ev.explain ? { explain: ev.explain } : {}),
		expected: ev.expected ?? null,
		score: ev.score ?? null,
		newKeys: ev.newKeys?.slice(0, KEPT_ROWS) ?? null,
		asOf: ctx.asOf.toISOString(),
		rows: ctx.rows?.slice(0, KEPT_ROWS) ?? null,
		capped: ctx.capped,
	};
}

async function insertAlert(
	client: PoolClient,
	deps: PulseDeps,
	ctx: ActionContext,
	a: Alert,
): Promise<string> {
	const { rows } = await client.query<{ id: string }>(
		deps.sql.get("pulse/alert-insert"),
		[
			ctx.monitorId,
			a.openedAt,
			a.severity,
			a.detail,
			JSON.stringify(alertData(ctx)),
			ctx.queryVersion,
			a.observed,
			ctx.evaluation.expected ?? null,
			a.fingerprint,
			a.count,
			a.lastSeenAt,
			a.lastNotifiedAt,
			a.snoozedUntil,
		],
	);
	return (rows[0] as { id: string }).id;
}

/** Writes an Alert back to its row (also used by user actions). */
export async function updateAlert(
	client: PoolClient,
	deps: PulseDeps,
	id: string,
	a: Alert,
	data: Record<string, unknown> | null = null,
): Promise<void> {
	await client.query(deps.sql.get("pulse/alert-update"), [
		id,
		...alertColumns(a),
		data ? JSON.stringify(data) : null,
	]);
}

const EVENT_TEXT: Record<PulseEvent, string> = {
	alert_opened: "Alert",
	alert_refired: "Still breaching",
	alert_reopened: "Breached again",
	alert_resolved: "Resolved",
	alert_acknowledged: "Acknowledged",
	alert_snoozed: "Snoozed",
	alert_feedback: "Feedback",
	monitor_paused: "Monitor paused",
	tuning_proposal: "Tuning proposal",
	alert_explained: "Explanation",
};

/** The payload describing an alert event. */
export function alertPayload(
	monitor: { id: string; name: string; queryVersion?: number },
	event: PulseEvent,
	alertId: string,
	a: Alert,
	notify: boolean,
	more: {
		reason?: string;
		expected?: number | null;
		extra?: Record<string, unknown>;
	} = {},
): PulsePayload {
	const { expected, ...rest } = more;
	return {
		source: "pulse",
		event,
		notify,
		monitor,
		alert: {
			id: alertId,
			severity: a.severity,
			detail: a.detail,
			observed: a.observed,
			count: a.count,
			openedAt: a.openedAt,
			lastSeenAt: a.lastSeenAt,
			...(expected !== undefined ? { expected } : {}),
		},
		text: `${EVENT_TEXT[event]} — ${monitor.name}: ${a.detail}`,
		...rest,
	};
}

function deliveriesFor(
	ctx: ActionContext,
	action: Exclude<Action, { type: "none" }>,
	alertId: string,
): Delivery[] {
	const monitor = {
		id: ctx.monitorId,
		name: ctx.monitorName,
		queryVersion: ctx.queryVersion,
	};
	const a = action.alert;
	const key = `pulse:alert:${alertId}`;
	const payload = (event: PulseEvent) =>
		alertPayload(monitor, event, alertId, a, action.notify, {
			reason: action.reason,
			expected: ctx.evaluation.expected ?? null,
		});
	if (action.type === "open_alert")
		return [
			{
				key: `${key}:open`,
				kind: "alert",
				alertId,
				payload: payload("alert_opened"),
			},
		];
	if (action.type === "refire")
		return [
			{
				key: `${key}:refire:${a.count}`,
				kind: "thread_reply",
				alertId,
				payload: payload(action.reopened ? "alert_reopened" : "alert_refired"),
			},
		];
	return [
		{
			key: `${key}:resolve:${a.count}`,
			kind: "thread_reply",
			alertId,
			payload: payload("alert_resolved"),
		},
		{
			key: `${key}:resolved-update:${a.count}`,
			kind: "alert_update",
			alertId,
			payload: payload("alert_resolved"),
		},
	];
}
