/**
 * How monitors and alerts are stored: pulse_monitors / pulse_alerts rows to the core's types and
 * back. A row is validated with the core's schema every time it is read, so a hand-edited row
 * that no longer parses is reported (by field) instead of being run.
 */
import type { Alert, Verdict } from "../alert.ts";
import type { ConditionState } from "../input.ts";
import type { LifecycleState } from "../lifecycle.ts";
import {
	type Frequency,
	type Monitor,
	type ParseResult,
	parseMonitor,
	type Target,
} from "../model.ts";

/** pulse_monitors as selected with `select *`. */
export interface MonitorRow {
	id: string;
	user_id: string | null;
	name: string;
	description: string | null;
	natural_language_query: string | null;
	sql_query: string | null;
	data_source: string;
	alert_condition: unknown;
	severity: string;
	frequency: string;
	enabled: boolean;
	next_run: Date | null;
	last_run: Date | null;
	query_version: number;
	true_positives: number;
	false_positives: number;
	target: Record<string, unknown>;
	time_zone: string | null;
	channels: string[];
	pending_runs: number;
	recovery: unknown;
	cooldown_minutes: number;
	renotify_minutes: number | null;
	snoozed_until: Date | null;
	paused_reason: string | null;
	paused_at: Date | null;
	lifecycle_state: Partial<MonitorState>;
	consecutive_errors: number;
	last_tick: Date | null;
	template_name: string | null;
	template_params: Record<string, unknown> | null;
	created_at: Date;
	updated_at: Date;
}

/** What a monitor carries between runs (pulse_monitors.lifecycle_state). */
export interface MonitorState {
	/** Lifecycle of the current fingerprint; null before the first judged run. */
	lifecycle: LifecycleState | null;
	/** pulse_alerts.id of lifecycle.alert. */
	alertId: string | null;
	/** new_rows: keys seen so far. */
	condition: ConditionState | null;
}

/** A stored monitor: its validated definition plus what the engine keeps about it. */
export interface MonitorRecord {
	id: string;
	monitor: Monitor;
	row: MonitorRow;
	state: MonitorState;
}

/** The monitor a row describes, validated with the core's schema. */
export function monitorFromRow(row: MonitorRow): ParseResult<Monitor> {
	const target: Target = row.sql_query
		? ({ ...row.target, sql: row.sql_query } as Target)
		: (row.target as Target);
	return parseMonitor({
		name: row.name,
		target,
		condition: row.alert_condition,
		severity: row.severity,
		frequency: frequencyFromColumns(row.frequency, row.time_zone),
		channels: row.channels,
		pendingRuns: row.pending_runs,
		recovery: row.recovery,
		cooldownMinutes: row.cooldown_minutes,
		renotifyMinutes: row.renotify_minutes,
		snoozedUntil: row.snoozed_until?.toISOString() ?? null,
		enabled: row.enabled,
	});
}

export function stateFromRow(row: MonitorRow): MonitorState {
	const s = row.lifecycle_state ?? {};
	return {
		lifecycle: s.lifecycle ?? null,
		alertId: s.alertId ?? null,
		condition: s.condition ?? null,
	};
}

const NAMED = new Set(["hourly", "daily", "weekly", "monthly"]);

function frequencyFromColumns(
	frequency: string,
	timeZone: string | null,
): unknown {
	if (NAMED.has(frequency)) return frequency;
	return { cron: frequency, timeZone: timeZone ?? "UTC" };
}

/** The pulse_monitors columns a monitor definition sets, in the order of sql/pulse/monitor-insert.sql. */
export function monitorColumns(m: Monitor): unknown[] {
	const { sql, ...targetRest } =
		"sql" in m.target ? m.target : { sql: null, ...m.target };
	const freq: Frequency = m.frequency;
	return [
		m.name,
		sql,
		JSON.stringify(targetRest),
		JSON.stringify(m.condition),
		m.severity,
		typeof freq === "string" ? freq : freq.cron,
		typeof freq === "string" ? null : freq.timeZone,
		m.channels,
		m.pendingRuns,
		JSON.stringify(m.recovery),
		m.cooldownMinutes,
		m.renotifyMinutes,
		m.snoozedUntil,
		m.enabled,
	];
}

/** pulse_alerts as selected with `select *`. */
export interface AlertRow {
	id: string;
	monitor_id: string;
	detected_at: Date;
	severity: Alert["severity"];
	message: string;
	data: Record<string, unknown> | null;
	acknowledged: boolean;
	acknowledged_at: Date | null;
	acknowledged_by: string | null;
	feedback: "true_positive" | "false_positive" | null;
	query_version: number | null;
	observed_value: number | null;
	fingerprint: string | null;
	count: number;
	last_seen_at: Date | null;
	last_notified_at: Date | null;
	expected_value: number | null;
	resolved_at: Date | null;
	resolved_by: string | null;
	snoozed_until: Date | null;
	snoozed_by: string | null;
	feedback_by: string | null;
	feedback_at: Date | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

const VERDICT: Record<string, Verdict> = {
	true_positive: "real",
	false_positive: "false_alarm",
};

/** The core's view of a stored alert (the row is the source of truth for user actions). */
export function alertFromRow(row: AlertRow): Alert {
	return {
		fingerprint: row.fingerprint ?? "",
		severity: row.severity,
		openedAt: row.detected_at.toISOString(),
		lastSeenAt: (row.last_seen_at ?? row.detected_at).toISOString(),
		lastNotifiedAt: iso(row.last_notified_at),
		count: row.count,
		observed: row.observed_value,
		detail: row.message,
		resolvedAt: iso(row.resolved_at),
		resolvedBy: row.resolved_by,
		acknowledgedAt: iso(row.acknowledged_at),
		acknowledgedBy: row.acknowledged_by,
		snoozedUntil: iso(row.snoozed_until),
		snoozedBy: row.snoozed_by,
		feedback: row.feedback ? (VERDICT[row.feedback] ?? null) : null,
		feedbackBy: row.feedback_by,
		feedbackAt: iso(row.feedback_at),
	};
}

/**
 * The pulse_alerts columns an Alert sets, in the order of sql/pulse/alert-update.sql ($2 on;
 * $1 is the id). The message is the sentence of the latest breach.
 */
export function alertColumns(a: Alert): unknown[] {
	return [
		a.count,
		a.lastSeenAt,
		a.lastNotifiedAt,
		a.observed,
		a.detail,
		a.resolvedAt,
		a.resolvedBy,
		a.acknowledgedAt,
		a.acknowledgedBy,
		a.snoozedUntil,
		a.snoozedBy,
		a.feedback === "real"
			? "true_positive"
			: a.feedback === "false_alarm"
				? "false_positive"
				: null,
		a.feedbackBy,
		a.feedbackAt,
	];
}
