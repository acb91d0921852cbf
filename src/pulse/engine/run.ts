/**
 * One run of one monitor, end to end: lock the monitor row, fetch and evaluate, advance the
 * lifecycle with the core's `step`, store the alert change, the deliveries, the execution log
 * row and the state for the next run — all in one transaction. A run for a scheduler tick that
 * already ran is skipped (the handler is idempotent); a monitor that fails
 * `maxConsecutiveErrors` runs in a row is paused and its channels are told why.
 */
import type { PoolClient } from "../../db/pool.ts";
import { fingerprint } from "../fingerprint.ts";
import type { Evaluation } from "../input.ts";
import {
	type Action,
	initialState,
	type LifecycleState,
	step,
} from "../lifecycle.ts";
import type { Monitor } from "../model.ts";
import { applyActions, updateAlert } from "./apply.ts";
import { enqueueDelivery } from "./deliveries.ts";
import { notFound, type PulseDeps } from "./deps.ts";
import { type Observation, observe } from "./observe.ts";
import {
	type AlertRow,
	alertFromRow,
	type MonitorRow,
	type MonitorState,
	monitorFromRow,
	stateFromRow,
} from "./records.ts";

export interface RunOptions {
	/** The evaluation instant ("as of"); default: the wall clock. */
	now?: Date;
	/** The scheduler tick this run stands for; a second run for the same tick is skipped. */
	scheduledFor?: Date | null;
}

export interface RunResult {
	monitorId: string;
	/** Why nothing ran (already ran this tick, paused, disabled); absent when it ran. */
	skipped?: string;
	evaluation: Evaluation | null;
	error: string | null;
	actions: Action[];
	alertId: string | null;
	/** Set when this run paused the monitor. */
	paused: string | null;
	deliveries: number;
	durationMs: number;
	rows: number | null;
}

/** Runs one monitor now (or as of `opts.now`) and stores everything the run changed. */
export async function runMonitor(
	deps: PulseDeps,
	monitorId: string,
	opts: RunOptions = {},
): Promise<RunResult> {
	const now = opts.now ?? new Date();
	const scheduledFor = opts.scheduledFor ?? null;
	const client = await deps.pool.connect();
	try {
		await client.query("begin");
		const { rows } = await client.query<MonitorRow>(
			deps.sql.get("pulse/monitor-lock"),
			[monitorId],
		);
		const row = rows[0];
		if (!row) throw notFound("monitor", monitorId);
		const skip = await skipReason(client, deps, row, scheduledFor);
		const result = skip
			? skipped(monitorId, skip)
			: await runLocked(client, deps, row, now, scheduledFor);
		await client.query("commit");
		return result;
	} catch (err) {
		await client.query("rollback").catch(() => {});
		throw err;
	} finally {
		client.release();
	}
}

async function skipReason(
	client: PoolClient,
	deps: PulseDeps,
	row: MonitorRow,
	scheduledFor: Date | null,
): Promise<string | null> {
	if (!scheduledFor) return null;
	if (!row.enabled) return "the monitor is disabled";
	if (row.paused_reason) return `the monitor is paused: ${row.paused_reason}`;
	const { rows } = await client.query<{ ran: boolean }>(
		deps.sql.get("pulse/run-log-exists"),
		[row.id, scheduledFor],
	);
	return rows[0]?.ran ? "this tick already ran" : null;
}

function skipped(monitorId: string, reason: string): RunResult {
	return {
		monitorId,
		skipped: reason,
		evaluation: null,
		error: null,
		actions: [],
		alertId: null,
		paused: null,
		deliveries: 0,
		durationMs: 0,
		rows: null,
	};
}

/** The channels a monitor's deliveries go to. */
export function channelsOf(deps: PulseDeps, monitor: Monitor | null): string[] {
	return monitor?.channels.length
		? monitor.channels
		: [deps.config.defaultChannel];
}

async function runLocked(
	client: PoolClient,
	deps: PulseDeps,
	row: MonitorRow,
	now: Date,
	scheduledFor: Date | null,
): Promise<RunResult> {
	const parsed = monitorFromRow(row);
	const state = stateFromRow(row);
	const obs: Observation = parsed.ok
		? await observe(deps, parsed.value, state.condition, now)
		: failed(`the stored monitor is invalid: ${parsed.problems.join("; ")}`);
	if (!parsed.ok || obs.error !== null)
		return recordFailure(
			client,
			deps,
			row,
			parsed.ok ? parsed.value : null,
			obs,
			now,
			scheduledFor,
		);
	const monitor = parsed.value;
	const fp = fingerprint(row.id, monitor.condition);
	const current = await currentLifecycle(client, deps, row, state, fp, now);
	const { state: lifecycle, actions } = step(
		current.lifecycle,
		obs.evaluation,
		now,
		monitor,
	);
	const applied = await applyActions(
		client,
		deps,
		{
			monitorId: row.id,
			monitorName: monitor.name,
			queryVersion: row.query_version,
			channels: channelsOf(deps, monitor),
			evaluation: obs.evaluation,
			rows: obs.rows,
			capped: obs.capped,
			asOf: now,
		},
		actions,
		current.alertId,
	);
	const alertOpen =
		lifecycle.alert !== null && lifecycle.alert.resolvedAt === null;
	const runAlert =
		obs.evaluation.breached && alertOpen ? applied.alertId : null;
	await logRun(client, deps, row, obs, now, scheduledFor, runAlert);
	const next: MonitorState = {
		lifecycle,
		alertId: lifecycle.alert ? applied.alertId : null,
		condition: obs.evaluation.state ?? state.condition,
	};
	await afterRun(client, deps, row.id, scheduledFor, next, 0, null);
	return {
		monitorId: row.id,
		evaluation: obs.evaluation,
		error: null,
		actions,
		alertId: applied.alertId,
		paused: null,
		deliveries: applied.deliveries + current.deliveries,
		durationMs: obs.durationMs,
		rows: obs.rows?.length ?? null,
	};
}

function failed(error: string): Observation {
	return {
		evaluation: { breached: false, observed: null, detail: error, error },
		rows: null,
		capped: false,
		durationMs: 0,
		error,
	};
}

/**
 * The lifecycle to step from. The alert row is the source of truth for what people did to the
 * alert (acknowledge, snooze, feedback), so it is re-read. A changed condition starts a new
 * fingerprint; an alert still open under the old one is resolved (it described another rule).
 */
async function currentLifecycle(
	client: PoolClient,
	deps: PulseDeps,
	row: MonitorRow,
	state: MonitorState,
	fp: string,
	now: Date,
): Promise<{
	lifecycle: LifecycleState;
	alertId: string | null;
	deliveries: number;
}> {
	const alertRow = state.alertId
		? (
				await client.query<AlertRow>(deps.sql.get("pulse/alert-lock"), [
					state.alertId,
				])
			).rows[0]
		: undefined;
	const alert = alertRow ? alertFromRow(alertRow) : null;
	if (state.lifecycle && state.lifecycle.fingerprint === fp)
		return {
			lifecycle: { ...state.lifecycle, alert },
			alertId: alertRow?.id ?? null,
			deliveries: 0,
		};
	let deliveries = 0;
	if (alertRow && alert && alert.resolvedAt === null) {
		const closed = {
			...alert,
			resolvedAt: now.toISOString(),
			resolvedBy: "condition changed",
		};
		await updateAlert(client, deps, alertRow.id, closed);
		const parsed = monitorFromRow(row);
		deliveries = await enqueueDelivery(
			client,
			deps.sql,
			channelsOf(deps, parsed.ok ? parsed.value : null),
			{
				key: `pulse:alert:${alertRow.id}:resolve:${alert.count}`,
				kind: "thread_reply",
				alertId: alertRow.id,
				payload: {
					source: "pulse",
					event: "alert_resolved",
					notify: false,
					monitor: {
						id: row.id,
						name: row.name,
						queryVersion: row.query_version,
					},
					text: `Resolved — ${row.name}: the monitor's condition changed, so this alert no longer applies.`,
					reason: "condition changed",
				},
			},
		);
	}
	return { lifecycle: initialState(fp), alertId: null, deliveries };
}

async function recordFailure(
	client: PoolClient,
	deps: PulseDeps,
	row: MonitorRow,
	monitor: Monitor | null,
	obs: Observation,
	now: Date,
	scheduledFor: Date | null,
): Promise<RunResult> {
	const errors = row.consecutive_errors + 1;
	const limit = deps.config.maxConsecutiveErrors;
	const pause =
		errors >= limit && !row.paused_reason
			? `${errors} runs in a row failed; the last error: ${obs.error}`
			: null;
	await logRun(client, deps, row, obs, now, scheduledFor, null);
	await afterRun(
		client,
		deps,
		row.id,
		scheduledFor,
		stateFromRow(row),
		errors,
		pause,
	);
	let deliveries = 0;
	if (pause)
		deliveries = await enqueueDelivery(
			client,
			deps.sql,
			channelsOf(deps, monitor),
			{
				key: `pulse:monitor:${row.id}:paused:${row.consecutive_errors}:${now.toISOString()}`,
				kind: "thread_reply",
				alertId: null,
				payload: {
					source: "pulse",
					event: "monitor_paused",
					notify: true,
					monitor: {
						id: row.id,
						name: row.name,
						queryVersion: row.query_version,
					},
					text: `Monitor paused — ${row.name}: ${pause}. Fix the monitor, then resume it (erp-pulse pulse resume ${row.id}).`,
					extra: { error: obs.error, consecutiveErrors: errors },
				},
			},
		);
	deps.log.warn(
		{ monitor: row.id, error: obs.error, errors, paused: pause !== null },
		"monitor run failed",
	);
	return {
		monitorId: row.id,
		evaluation: obs.evaluation,
		error: obs.error,
		actions: [],
		alertId: null,
		paused: pause,
		deliveries,
		durationMs: obs.durationMs,
		rows: null,
	};
}

async function logRun(
	client: PoolClient,
	deps: PulseDeps,
	row: MonitorRow,
	obs: Observation,
	now: Date,
	scheduledFor: Date | null,
	alertId: string | null,
): Promise<void> {
	const ev = obs.evaluation;
	await client.query(deps.sql.get("pulse/run-log-insert"), [
		row.id,
		new Date(),
		obs.durationMs,
		obs.rows?.length ?? null,
		ev.breached,
		obs.error,
		ev.observed,
		ev.score ?? null,
		row.query_version,
		scheduledFor,
		now,
		ev.detail,
		alertId,
	]);
}

async function afterRun(
	client: PoolClient,
	deps: PulseDeps,
	id: string,
	scheduledFor: Date | null,
	state: MonitorState,
	errors: number,
	pause: string | null,
): Promise<void> {
	await client.query(deps.sql.get("pulse/monitor-after-run"), [
		id,
		new Date(),
		scheduledFor,
		JSON.stringify(state),
		errors,
		pause,
	]);
}
