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
import { explainAlert } from "./explain-alert.ts";
import type { SeriesReader } from "./metric-input.ts";
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
	/** Earlier ticks folded into this one because no bot process ran at their time. */
	missedTicks?: number;
	/** The monitor's row as a batch read it (unlocked); default: read here. */
	row?: MonitorRow;
	/** Series reader shared by a batch, so monitors asking for one series read it once. */
	read?: SeriesReader;
}

export interface RunResult {
	monitorId: string;
	/** Why nothing ran (already ran this tick, paused, disabled, coalesced); absent when it ran. */
	skipped?: string;
	/** Whether a skip was written to the execution log (false when the tick was already accounted for). */
	skipLogged?: boolean;
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

/** The skip reason of a tick whose monitor another run still holds. */
const COALESCED =
	"coalesced: the previous run of this monitor was still running";

/**
 * Runs one monitor now (or as of `opts.now`) and stores everything the run changed.
 *
 * The observation (the monitor's query, or its metric series) is taken before any connection of
 * the bot's pool is held, so a run never waits on its own pool for a second connection. The
 * results are then stored in one transaction under the monitor's row lock. A scheduled run that
 * finds the row locked by another run of the same monitor does not queue behind it: its tick is
 * logged as skipped (coalesced), so every tick is accounted for.
 */
export async function runMonitor(
	deps: PulseDeps,
	monitorId: string,
	opts: RunOptions = {},
): Promise<RunResult> {
	const now = opts.now ?? new Date();
	const scheduledFor = opts.scheduledFor ?? null;
	const seen = opts.row ?? (await readRow(deps, monitorId));
	if (!seen) throw notFound("monitor", monitorId);
	const inactive = scheduledFor ? inactiveReason(seen) : null;
	if (inactive && scheduledFor)
		return logSkip(deps, seen, scheduledFor, now, inactive);
	let obs = await observeRow(deps, seen, now, opts.read);
	const client = await deps.pool.connect();
	try {
		await client.query("begin");
		const { rows } = await client.query<MonitorRow>(
			deps.sql.get(
				scheduledFor ? "pulse/monitor-try-lock" : "pulse/monitor-lock",
			),
			[monitorId],
		);
		const row = rows[0];
		if (!row) {
			await client.query("rollback");
			if (!scheduledFor) throw notFound("monitor", monitorId);
			return logSkip(deps, seen, scheduledFor, now, COALESCED);
		}
		if (scheduledFor && (await ranAlready(client, deps, row, scheduledFor))) {
			await client.query("commit");
			return skipped(monitorId, "this tick already ran", false);
		}
		const stillInactive = scheduledFor ? inactiveReason(row) : null;
		if (stillInactive && scheduledFor) {
			await client.query("rollback");
			return logSkip(deps, row, scheduledFor, now, stillInactive);
		}
		// Edited (or run) since it was observed: observe again from the locked row. Rare.
		if (!sameVersion(seen, row))
			obs = await observeRow(deps, row, now, opts.read);
		const result = await runLocked(
			client,
			deps,
			row,
			obs,
			now,
			scheduledFor,
			opts.missedTicks ?? 0,
		);
		await client.query("commit");
		return result;
	} catch (err) {
		await client.query("rollback").catch(() => {});
		throw err;
	} finally {
		client.release();
	}
}

async function readRow(
	deps: PulseDeps,
	id: string,
): Promise<MonitorRow | undefined> {
	const { rows } = await deps.pool.query<MonitorRow>(
		deps.sql.get("pulse/monitors-by-id"),
		[[id]],
	);
	return rows[0];
}

function inactiveReason(row: MonitorRow): string | null {
	if (!row.enabled) return "the monitor is disabled";
	if (row.paused_reason) return `the monitor is paused: ${row.paused_reason}`;
	return null;
}

function sameVersion(a: MonitorRow, b: MonitorRow): boolean {
	return new Date(a.updated_at).getTime() === new Date(b.updated_at).getTime();
}

async function observeRow(
	deps: PulseDeps,
	row: MonitorRow,
	now: Date,
	read: SeriesReader | undefined,
): Promise<Observation> {
	const parsed = monitorFromRow(row);
	if (!parsed.ok)
		return failed(
			`the stored monitor is invalid: ${parsed.problems.join("; ")}`,
		);
	const obs = await observe(
		deps,
		parsed.value,
		stateFromRow(row).condition,
		now,
		read,
	);
	if (!obs.evaluation.breached || obs.error !== null) return obs;
	// Why it moved, before the transaction that opens or folds the alert.
	const why = await explainAlert(deps, row, obs.rows, now);
	return why ? { ...obs, evaluation: { ...obs.evaluation, ...why } } : obs;
}

async function ranAlready(
	client: PoolClient,
	deps: PulseDeps,
	row: MonitorRow,
	scheduledFor: Date,
): Promise<boolean> {
	const { rows } = await client.query<{ ran: boolean }>(
		deps.sql.get("pulse/run-log-exists"),
		[row.id, scheduledFor],
	);
	return rows[0]?.ran === true;
}

/** Accounts for a claimed tick that did not run. */
export async function logSkip(
	deps: PulseDeps,
	row: { id: string; query_version: number | null },
	scheduledFor: Date,
	now: Date,
	reason: string,
): Promise<RunResult> {
	const { rowCount } = await deps.pool.query(
		deps.sql.get("pulse/run-log-skip"),
		[row.id, new Date(), scheduledFor, now, reason, row.query_version],
	);
	deps.log.info(
		{ monitor: row.id, scheduledFor, reason },
		"monitor tick skipped",
	);
	return skipped(row.id, reason, (rowCount ?? 0) > 0);
}

function skipped(
	monitorId: string,
	reason: string,
	logged: boolean,
): RunResult {
	return {
		monitorId,
		skipped: reason,
		skipLogged: logged,
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
	obs: Observation,
	now: Date,
	scheduledFor: Date | null,
	missedTicks: number,
): Promise<RunResult> {
	const parsed = monitorFromRow(row);
	const state = stateFromRow(row);
	if (!parsed.ok || obs.error !== null)
		return recordFailure(
			client,
			deps,
			row,
			parsed.ok ? parsed.value : null,
			obs,
			now,
			scheduledFor,
			missedTicks,
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
	await logRun(
		client,
		deps,
		row,
		obs,
		now,
		scheduledFor,
		runAlert,
		missedTicks,
	);
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
	missedTicks: number,
): Promise<RunResult> {
	const errors = row.consecutive_errors + 1;
	const limit = deps.config.maxConsecutiveErrors;
	const pause =
		errors >= limit && !row.paused_reason
			? `${errors} runs in a row failed; the last error: ${obs.error}`
			: null;
	await logRun(client, deps, row, obs, now, scheduledFor, null, missedTicks);
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
	missedTicks: number,
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
		missedTicks,
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
