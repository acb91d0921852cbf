/**
 * The platform-neutral Pulse service: what `erp-pulse pulse …` and the chat commands call.
 * Each function takes the engine's dependencies and plain arguments and returns plain data;
 * rendering is the caller's business.
 */
import { AppError } from "../../errors.ts";
import type { Verdict } from "../alert.ts";
import { formatNumber } from "../format.ts";
import type { Condition, Monitor } from "../model.ts";
import { precision } from "../tuning.ts";
import type { PulseDeps } from "./deps.ts";
import { localDate } from "./deps.ts";
import { type AlertActionOutcome, actOnAlert } from "./feedback.ts";
import { type Observation, observe } from "./observe.ts";
import { type AlertRow, stateFromRow } from "./records.ts";
import { type RunResult, runMonitor } from "./run.ts";
import {
	findMonitor,
	listMonitors,
	listVersions,
	type MonitorVersion,
	type StoredMonitor,
} from "./store.ts";

/** One line of `pulse list`. */
export interface MonitorSummary {
	id: string;
	name: string;
	watches: string;
	condition: string;
	frequency: string;
	severity: string;
	status: "running" | "paused" | "disabled" | "invalid";
	/** Why a paused monitor is paused ("paused by hand", "3 errors in a row: …"); null otherwise. */
	pausedReason: string | null;
	/** TP / (TP + FP); null before any feedback. */
	precision: number | null;
	truePositives: number;
	falsePositives: number;
	openAlerts: number;
	lastRun: Date | null;
	nextRun: Date | null;
}

/** A condition in words ("value > 100", "down 15% week over week"). */
export function describeCondition(c: Condition): string {
	switch (c.kind) {
		case "threshold":
			return `value ${c.operator} ${formatNumber(c.value)}`;
		case "change":
			return `${c.direction === "either" ? "moves" : c.direction} ${formatNumber(c.percent)}% ${c.period.replaceAll("_", " ")}`;
		case "anomaly":
			return `anomaly (${c.zThreshold ? `|z| ≥ ${c.zThreshold}` : `${c.sensitivity} sensitivity`}, ${c.direction})`;
		case "row_count":
			return `rows ${c.operator} ${formatNumber(c.value)}`;
		case "new_rows":
			return `at least ${c.minNew} new row${c.minNew === 1 ? "" : "s"}`;
		case "stale":
			return `no data for ${formatNumber(c.amount)} ${c.unit}`;
	}
}

function watches(m: Monitor): string {
	if (!("sql" in m.target)) return `metric ${m.target.metric}`;
	return m.target.source && m.target.source !== "warehouse"
		? `SQL on ${m.target.source}`
		: "SQL";
}

export function summarise(s: StoredMonitor, openAlerts = 0): MonitorSummary {
	const r = s.row;
	return {
		id: r.id,
		name: r.name,
		watches: s.monitor ? watches(s.monitor) : "?",
		condition: s.monitor
			? describeCondition(s.monitor.condition)
			: s.problems.join("; "),
		frequency: r.time_zone ? `${r.frequency} (${r.time_zone})` : r.frequency,
		severity: r.severity,
		status: !s.monitor
			? "invalid"
			: r.paused_reason
				? "paused"
				: r.enabled
					? "running"
					: "disabled",
		pausedReason: r.paused_reason ?? null,
		precision: precision(r.true_positives, r.false_positives),
		truePositives: r.true_positives,
		falsePositives: r.false_positives,
		openAlerts,
		lastRun: r.last_run,
		nextRun: r.next_run,
	};
}

/** The status column of `pulse list`: a paused monitor says why ("paused: 3 errors in a row: …"). */
export function statusText(s: MonitorSummary): string {
	if (s.status !== "paused" || !s.pausedReason) return s.status;
	const why =
		s.pausedReason.length > 80
			? `${s.pausedReason.slice(0, 79)}…`
			: s.pausedReason;
	return `paused: ${why}`;
}

/** Every monitor, summarised. */
export async function monitorSummaries(
	deps: PulseDeps,
): Promise<MonitorSummary[]> {
	return (await listMonitors(deps)).map((m) => summarise(m, m.openAlerts));
}

/** One logged run as `pulse show` lists it. */
export interface RunLine {
	executed_at: Date;
	as_of: Date | null;
	execution_duration_ms: number | null;
	rows_returned: number | null;
	alert_triggered: boolean;
	error_message: string | null;
	observed_value: number | null;
	query_version: number | null;
	detail: string | null;
	scheduled_for: Date | null;
	outcome: "ran" | "skipped";
	skip_reason: string | null;
	missed_ticks: number;
}

/** One line of a monitor's run history as people read it: its result, and the detail behind it. */
export function describeRun(run: RunLine): { result: string; detail: string } {
	if (run.outcome === "skipped")
		return { result: "skipped", detail: run.skip_reason ?? "" };
	const missed =
		run.missed_ticks > 0
			? ` (${run.missed_ticks} earlier tick${run.missed_ticks === 1 ? "" : "s"} fell while no bot process ran; folded into this run)`
			: "";
	if (run.error_message)
		return { result: "error", detail: `${run.error_message}${missed}` };
	return {
		result: run.alert_triggered ? "breach" : "ok",
		detail: `${run.detail ?? ""}${missed}`,
	};
}

/** Everything `pulse show` prints. */
export interface MonitorDetails {
	stored: StoredMonitor;
	summary: MonitorSummary;
	versions: MonitorVersion[];
	runs: RunLine[];
	alerts: AlertRow[];
	/** Lifecycle status of the current fingerprint ("ok", "pending", "firing", "recovering"). */
	lifecycle: string;
}

export async function monitorDetails(
	deps: PulseDeps,
	ref: string,
	recent = 10,
): Promise<MonitorDetails> {
	const stored = await findMonitor(deps, ref);
	const id = stored.row.id;
	const [versions, runs, alerts] = await Promise.all([
		listVersions(deps, id),
		deps.pool.query<RunLine>(deps.sql.get("pulse/runs-recent"), [id, recent]),
		deps.pool.query<AlertRow>(deps.sql.get("pulse/alerts-recent"), [
			id,
			recent,
		]),
	]);
	const open = alerts.rows.filter((a) => a.resolved_at === null).length;
	return {
		stored,
		summary: summarise(stored, open),
		versions,
		runs: runs.rows,
		alerts: alerts.rows,
		lifecycle: stateFromRow(stored.row).lifecycle?.status ?? "never judged",
	};
}

/** `pulse test`: runs the query and evaluates the condition, storing nothing. */
export async function testMonitor(
	deps: PulseDeps,
	ref: string,
	now = new Date(),
): Promise<Observation & { monitor: StoredMonitor }> {
	const stored = await findMonitor(deps, ref);
	if (!stored.monitor)
		throw new AppError(
			"pulse_invalid",
			`The stored monitor is invalid: ${stored.problems.join("; ")}`,
		);
	const obs = await observe(
		deps,
		stored.monitor,
		stateFromRow(stored.row).condition,
		now,
	);
	return { ...obs, monitor: stored };
}

/** `pulse run`: one run now (or as of `now`), stored like a scheduled one. */
export async function runMonitorNow(
	deps: PulseDeps,
	ref: string,
	now?: Date,
): Promise<RunResult> {
	const stored = await findMonitor(deps, ref);
	return runMonitor(deps, stored.row.id, now ? { now } : {});
}

/** Pauses (with a reason) or resumes (null) a monitor; a resumed monitor runs at the next tick. */
export async function pauseMonitor(
	deps: PulseDeps,
	ref: string,
	reason: string | null,
): Promise<StoredMonitor> {
	const stored = await findMonitor(deps, ref);
	await deps.pool.query(deps.sql.get("pulse/monitor-pause"), [
		stored.row.id,
		reason,
	]);
	return findMonitor(deps, stored.row.id);
}

/** `pulse feedback <alert> real|false_alarm`, and the chat buttons. */
export function giveFeedback(
	deps: PulseDeps,
	alertId: string,
	user: string,
	verdict: Verdict,
	now = new Date(),
): Promise<AlertActionOutcome> {
	return actOnAlert(deps, alertId, user, { type: "feedback", verdict }, now);
}

/** The evaluation date a run "as of" `now` uses in SQL (pulse_as_of()). */
export function asOfDate(deps: PulseDeps, now: Date): string {
	return localDate(now, deps.timeZone);
}
