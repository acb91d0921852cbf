/**
 * What people do to alerts — acknowledge, snooze, resolve, say real or false alarm — stored
 * with the core's idempotent actions (a double-clicked button changes the alert once), each
 * announced with an alert_update delivery. Feedback moves the monitor's counters; after enough
 * false alarms the core's `proposeTuning` is run on the monitor's logged runs and its proposal
 * is posted in the alert's thread. `acceptTuning` saves a proposal as a new version.
 */
import { inTransaction, type PoolClient } from "../../db/pool.ts";
import { AppError } from "../../errors.ts";
import {
	type AlertActionResult,
	acknowledge,
	feedback,
	resolve,
	snooze,
	type Verdict,
} from "../alert.ts";
import {
	type LoggedRun,
	precision,
	proposeTuning,
	type TuningResult,
} from "../tuning.ts";
import { alertPayload, updateAlert } from "./apply.ts";
import { enqueueDelivery, type PulseEvent } from "./deliveries.ts";
import { notFound, type PulseDeps } from "./deps.ts";
import {
	type AlertRow,
	alertFromRow,
	type MonitorRow,
	monitorFromRow,
} from "./records.ts";
import { channelsOf } from "./run.ts";
import { findMonitor, type StoredMonitor, updateMonitor } from "./store.ts";

/** A user action on an alert. */
export type AlertAction =
	| { type: "acknowledge" }
	| { type: "snooze"; minutes: number }
	| { type: "resolve" }
	| { type: "feedback"; verdict: Verdict };

export interface AlertActionOutcome extends AlertActionResult {
	alertId: string;
	monitorId: string;
	/** Set when this feedback made tuning propose a new limit (posted in the thread). */
	tuning: TuningResult | null;
}

const EVENT: Record<AlertAction["type"], PulseEvent> = {
	acknowledge: "alert_acknowledged",
	snooze: "alert_snoozed",
	resolve: "alert_resolved",
	feedback: "alert_feedback",
};

/** Applies a user action to an alert; repeating one changes nothing and posts nothing. */
export async function actOnAlert(
	deps: PulseDeps,
	alertId: string,
	user: string,
	action: AlertAction,
	now = new Date(),
): Promise<AlertActionOutcome> {
	return inTransaction(deps.pool, (client) =>
		actLocked(client, deps, alertId, user, action, now),
	);
}

function applyCore(
	row: AlertRow,
	user: string,
	action: AlertAction,
	now: Date,
): AlertActionResult {
	const alert = alertFromRow(row);
	switch (action.type) {
		case "acknowledge":
			return acknowledge(alert, user, now);
		case "snooze":
			return snooze(alert, user, action.minutes, now);
		case "resolve":
			return resolve(alert, user, now);
		case "feedback":
			return feedback(alert, user, action.verdict, now);
	}
}

async function actLocked(
	client: PoolClient,
	deps: PulseDeps,
	alertId: string,
	user: string,
	action: AlertAction,
	now: Date,
): Promise<AlertActionOutcome> {
	if (!/^[0-9a-f-]{36}$/i.test(alertId)) throw notFound("alert", alertId);
	const { rows } = await client.query<AlertRow>(
		deps.sql.get("pulse/alert-lock"),
		[alertId],
	);
	const row = rows[0];
	if (!row) throw notFound("alert", alertId);
	const result = applyCore(row, user, action, now);
	const base = { ...result, alertId, monitorId: row.monitor_id, tuning: null };
	if (!result.changed) return base;
	await updateAlert(client, deps, alertId, result.alert);
	const { rows: monitors } = await client.query<MonitorRow>(
		deps.sql.get("pulse/monitor-lock"),
		[row.monitor_id],
	);
	const monitorRow = monitors[0] as MonitorRow;
	const parsed = monitorFromRow(monitorRow);
	const channels = channelsOf(deps, parsed.ok ? parsed.value : null);
	const monitor = {
		id: monitorRow.id,
		name: monitorRow.name,
		queryVersion: monitorRow.query_version,
	};
	const a = result.alert;
	await enqueueDelivery(client, deps.sql, channels, {
		key: `pulse:alert:${alertId}:${action.type}:${a.feedback ?? ""}:${now.toISOString()}`,
		kind: "alert_update",
		alertId,
		payload: {
			...alertPayload(monitor, EVENT[action.type], alertId, a, false),
			text: result.message,
		},
	});
	if (result.deltas.truePositives === 0 && result.deltas.falsePositives === 0)
		return base;
	await client.query(deps.sql.get("pulse/monitor-counters"), [
		row.monitor_id,
		result.deltas.truePositives,
		result.deltas.falsePositives,
	]);
	if (action.type !== "feedback" || action.verdict !== "false_alarm")
		return base;
	const tuning = await tuningFor(client, deps, monitorRow);
	if (tuning.proposal)
		await enqueueDelivery(client, deps.sql, channels, {
			key: `pulse:monitor:${monitorRow.id}:tuning:v${monitorRow.query_version}:${tuning.proposal.to}`,
			kind: "thread_reply",
			alertId,
			payload: {
				source: "pulse",
				event: "tuning_proposal",
				notify: false,
				monitor,
				text: `Tuning proposal — ${monitorRow.name}: ${tuning.proposal.explanation} Accept with: erp-pulse pulse tune ${monitorRow.id} --accept`,
				extra: { proposal: tuning.proposal },
			},
		});
	return { ...base, tuning };
}

interface HistoryRow {
	observed: number | null;
	score: number | null;
	breached: boolean;
	feedback: "true_positive" | "false_positive" | null;
	alert_id: string | null;
}

/**
 * Tuning on the current version's runs. The gate counts alerts, not runs (an alert folds several
 * breaching runs): at least `minFalseAlarms` false alarms and precision below `precisionBelow`.
 * Every run of an alert carries that alert's verdict, so a new limit drops an alert only when it
 * drops all of its runs.
 */
async function tuningFor(
	client: PoolClient,
	deps: PulseDeps,
	row: MonitorRow,
): Promise<TuningResult> {
	const parsed = monitorFromRow(row);
	if (!parsed.ok)
		return { proposal: null, reason: "the stored monitor is invalid" };
	const { rows } = await client.query<HistoryRow>(
		deps.sql.get("pulse/tuning-history"),
		[row.id, row.query_version],
	);
	const verdicts = new Map<string, string>();
	for (const r of rows)
		if (r.alert_id && r.feedback) verdicts.set(r.alert_id, r.feedback);
	const fp = [...verdicts.values()].filter(
		(v) => v === "false_positive",
	).length;
	const tp = verdicts.size - fp;
	const { minFalseAlarms, precisionBelow } = deps.config.tuning;
	if (fp < minFalseAlarms)
		return {
			proposal: null,
			reason: `${fp} false alarm(s) on this version so far; tuning waits for ${minFalseAlarms}`,
		};
	const p = precision(tp, fp) ?? 0;
	if (p >= precisionBelow)
		return {
			proposal: null,
			reason: `precision is ${Math.round(p * 100)}%, not below ${Math.round(precisionBelow * 100)}%; no tuning needed`,
		};
	const history: LoggedRun[] = rows.map((r) => ({
		observed: r.observed,
		score: r.score,
		breached: r.breached,
		feedback:
			r.feedback === "true_positive"
				? "real"
				: r.feedback === "false_positive"
					? "false_alarm"
					: null,
	}));
	return proposeTuning(parsed.value.condition, history, {
		minFalseAlarms: 1,
		precisionBelow: 1.01,
	});
}

/** What asking for an alert's explanation did. */
export interface ExplainOutcome {
	/** False when the explanation was already asked for (it is in the thread, or on its way). */
	changed: boolean;
	/** One sentence for the clicker. */
	message: string;
}

/**
 * Queues the alert's full explanation as a reply in its thread, in each of the monitor's
 * channels. The key has no time in it, so a second click (or a platform retry) queues nothing.
 */
export async function requestExplanation(
	deps: PulseDeps,
	alertId: string,
	user: string,
): Promise<ExplainOutcome> {
	if (!/^[0-9a-f-]{36}$/i.test(alertId)) throw notFound("alert", alertId);
	const { rows } = await deps.pool.query<
		AlertRow & { explain: unknown; monitor_name: string; channels: string[] }
	>(deps.sql.get("pulse/alert-explain"), [alertId]);
	const row = rows[0];
	if (!row) throw notFound("alert", alertId);
	if (!row.explain)
		return {
			changed: false,
			message:
				"This alert has no metric to explain: it comes from a query, not from a catalog metric.",
		};
	const client = await deps.pool.connect();
	try {
		const added = await enqueueDelivery(
			client,
			deps.sql,
			row.channels.length ? row.channels : [deps.config.defaultChannel],
			{
				key: `pulse:alert:${alertId}:explain`,
				kind: "thread_reply",
				alertId,
				payload: {
					source: "pulse",
					event: "alert_explained",
					notify: false,
					monitor: {
						id: row.monitor_id,
						name: row.monitor_name,
						...(row.query_version === null
							? {}
							: { queryVersion: row.query_version }),
					},
					text: `Explanation of ${row.monitor_name}, asked for by ${user}.`,
					extra: { explain: row.explain, by: user },
				},
			},
		);
		return added > 0
			? { changed: true, message: "The breakdown is on its way to the thread." }
			: { changed: false, message: "The breakdown is already in the thread." };
	} finally {
		client.release();
	}
}

/** The tuning proposal for a monitor now (what `pulse tune` shows). */
export async function tuningProposal(
	deps: PulseDeps,
	ref: string,
): Promise<TuningResult> {
	const found = await findMonitor(deps, ref);
	const client = await deps.pool.connect();
	try {
		return await tuningFor(client, deps, found.row);
	} finally {
		client.release();
	}
}

/** Saves the current proposal as a new version of the monitor's condition. */
export async function acceptTuning(
	deps: PulseDeps,
	ref: string,
): Promise<{ monitor: StoredMonitor; explanation: string }> {
	const result = await tuningProposal(deps, ref);
	if (!result.proposal)
		throw new AppError("usage", `Nothing to accept: ${result.reason}.`);
	const monitor = await updateMonitor(
		deps,
		ref,
		{ condition: result.proposal.condition },
		`tuning accepted: ${result.proposal.explanation}`,
	);
	return { monitor, explanation: result.proposal.explanation };
}
