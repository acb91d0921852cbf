/**
 * The alert lifecycle as a pure state machine: `step` takes the state for one fingerprint, one
 * run's evaluation, the time and the monitor's settings, and returns the next state and what
 * to do. The caller stores the state and carries out the actions (insert the pulse_alerts row,
 * post into its thread, ping the channel).
 *
 * - pendingRuns: an alert opens only after that many consecutive breaching runs.
 * - recovery: `auto` resolves after `runs` consecutive OK runs (posted in the thread, no ping);
 *   `manual` leaves the alert open until someone resolves it.
 * - cooldownMinutes: a breach within the cooldown after an alert resolved reopens that alert
 *   (refire, folded: count + last seen) instead of opening a new one, without a ping; an
 *   acknowledged alert is not re-pinged within the cooldown after the acknowledgement.
 * - renotifyMinutes: while an alert keeps firing, ping again at most this often (never sooner
 *   than the cooldown); null never re-pings.
 * - snooze (alert or monitor): no ping until snoozedUntil; the first breaching run after the
 *   snooze ends pings again.
 * Runs that could not be judged (error, no data) change nothing.
 */
import type { Alert } from "./alert.ts";
import type { Evaluation } from "./input.ts";
import type { MonitorSettings } from "./model.ts";

/** Lifecycle state of one fingerprint, kept between runs. */
export interface LifecycleState {
	fingerprint: string;
	status: "ok" | "pending" | "firing" | "recovering";
	/** Consecutive breaching runs. */
	breachRuns: number;
	/** Consecutive OK runs. */
	okRuns: number;
	/** The open alert, or the last resolved one (kept so a quick relapse folds into it). */
	alert: Alert | null;
}

/** What the caller should do after a run. `notify` means ping the channel, not just post. */
export type Action =
	| { type: "open_alert"; alert: Alert; notify: boolean; reason: string }
	| {
			type: "refire";
			alert: Alert;
			notify: boolean;
			/** True when a resolved alert was reopened within its cooldown. */
			reopened: boolean;
			reason: string;
	  }
	| { type: "resolve"; alert: Alert; notify: false; reason: string }
	| { type: "none"; reason: string };

/** The settings `step` reads. */
export type LifecycleSettings = Pick<
	MonitorSettings,
	| "severity"
	| "pendingRuns"
	| "recovery"
	| "cooldownMinutes"
	| "renotifyMinutes"
	| "snoozedUntil"
	| "enabled"
>;

/** The state of a fingerprint that has never run. */
export function initialState(fingerprint: string): LifecycleState {
	return { fingerprint, status: "ok", breachRuns: 0, okRuns: 0, alert: null };
}

export interface StepResult {
	state: LifecycleState;
	actions: Action[];
}

const MINUTE_MS = 60_000;

function minutesSince(iso: string, now: Date): number {
	return (now.getTime() - Date.parse(iso)) / MINUTE_MS;
}

function openAlert(state: LifecycleState): Alert | null {
	return state.alert && state.alert.resolvedAt === null ? state.alert : null;
}

/** Advances the lifecycle of one fingerprint by one run. */
export function step(
	state: LifecycleState,
	evaluation: Evaluation,
	now: Date,
	settings: LifecycleSettings,
): StepResult {
	if (!settings.enabled)
		return {
			state,
			actions: [{ type: "none", reason: "monitor is disabled" }],
		};
	if (evaluation.error !== undefined || evaluation.noData)
		return {
			state,
			actions: [
				{
					type: "none",
					reason: `run not judged: ${evaluation.error ?? evaluation.detail}`,
				},
			],
		};
	return evaluation.breached
		? onBreach(state, evaluation, now, settings)
		: onOk(state, now, settings);
}

function onBreach(
	state: LifecycleState,
	ev: Evaluation,
	now: Date,
	s: LifecycleSettings,
): StepResult {
	const breachRuns = state.breachRuns + 1;
	const base = { ...state, breachRuns, okRuns: 0 };
	const seen = {
		lastSeenAt: now.toISOString(),
		observed: ev.observed,
		detail: ev.detail,
	};
	const open = openAlert(state);
	const firing = (action: Action & { alert: Alert }): StepResult => ({
		state: { ...base, status: "firing", alert: action.alert },
		actions: [action],
	});
	if (open)
		return firing(refire({ ...open, ...seen, count: open.count + 1 }, now, s));
	if (breachRuns < s.pendingRuns)
		return {
			state: { ...base, status: "pending" },
			actions: [
				{
					type: "none",
					reason: `breaching run ${breachRuns} of ${s.pendingRuns} needed to fire`,
				},
			],
		};
	const last = state.alert;
	if (
		last?.resolvedAt &&
		minutesSince(last.resolvedAt, now) < s.cooldownMinutes
	)
		return firing({
			type: "refire",
			alert: {
				...last,
				...seen,
				count: last.count + 1,
				resolvedAt: null,
				resolvedBy: null,
			},
			notify: false,
			reopened: true,
			reason: `breached again within the ${s.cooldownMinutes}-minute cooldown after resolving; folded into the same alert`,
		});
	const snoozedUntil = activeSnooze(s.snoozedUntil, now);
	return firing({
		type: "open_alert",
		alert: newAlert(state.fingerprint, s.severity, seen, snoozedUntil),
		notify: !snoozedUntil,
		reason: snoozedUntil
			? `monitor snoozed until ${snoozedUntil}`
			: "condition breached",
	});
}

function newAlert(
	fingerprint: string,
	severity: Alert["severity"],
	seen: Pick<Alert, "lastSeenAt" | "observed" | "detail">,
	snoozedUntil: string | null,
): Alert {
	return {
		fingerprint,
		severity,
		openedAt: seen.lastSeenAt,
		...seen,
		lastNotifiedAt: snoozedUntil ? null : seen.lastSeenAt,
		count: 1,
		resolvedAt: null,
		resolvedBy: null,
		acknowledgedAt: null,
		acknowledgedBy: null,
		snoozedUntil,
		snoozedBy: null,
		feedback: null,
		feedbackBy: null,
		feedbackAt: null,
	};
}

/** A breach folded into the open alert: posted in its thread, pinging only when due. */
function refire(
	alert: Alert,
	now: Date,
	s: LifecycleSettings,
): Action & { alert: Alert } {
	const ping = pingDecision(alert, now, s);
	const next = ping.notify
		? {
				...alert,
				lastNotifiedAt: now.toISOString(),
				snoozedUntil: ping.clearSnooze ? null : alert.snoozedUntil,
			}
		: alert;
	return {
		type: "refire",
		alert: next,
		notify: ping.notify,
		reopened: false,
		reason: ping.reason,
	};
}

function activeSnooze(until: string | null, now: Date): string | null {
	return until && Date.parse(until) > now.getTime() ? until : null;
}

/** Whether a breaching run on an open alert pings the channel, and why. */
function pingDecision(
	alert: Alert,
	now: Date,
	s: LifecycleSettings,
): { notify: boolean; reason: string; clearSnooze?: boolean } {
	const snooze =
		activeSnooze(alert.snoozedUntil, now) ?? activeSnooze(s.snoozedUntil, now);
	if (snooze) return { notify: false, reason: `snoozed until ${snooze}` };
	if (
		alert.acknowledgedAt &&
		minutesSince(alert.acknowledgedAt, now) < s.cooldownMinutes
	)
		return {
			notify: false,
			reason: `acknowledged by ${alert.acknowledgedBy}; quiet for the ${s.cooldownMinutes}-minute cooldown`,
		};
	if (alert.snoozedUntil)
		return {
			notify: true,
			reason: "snooze ended and the condition still holds",
			clearSnooze: true,
		};
	if (s.renotifyMinutes === null)
		return { notify: false, reason: "still breaching; re-notify is off" };
	const every = Math.max(s.renotifyMinutes, s.cooldownMinutes);
	const since = [alert.lastNotifiedAt, alert.acknowledgedAt, alert.openedAt]
		.filter((x): x is string => x !== null)
		.map((x) => minutesSince(x, now));
	const quiet = Math.min(...since);
	return quiet >= every
		? {
				notify: true,
				reason: `still breaching after ${Math.floor(quiet)} minutes`,
			}
		: {
				notify: false,
				reason: `still breaching; next reminder after ${every} minutes`,
			};
}

function onOk(
	state: LifecycleState,
	now: Date,
	s: LifecycleSettings,
): StepResult {
	const okRuns = state.okRuns + 1;
	const base = { ...state, breachRuns: 0, okRuns };
	const open = openAlert(state);
	if (!open) {
		const reason =
			state.status === "pending"
				? "condition OK; pending breach cleared"
				: "condition OK";
		return {
			state: { ...base, status: "ok" },
			actions: [{ type: "none", reason }],
		};
	}
	if (s.recovery.mode === "manual")
		return {
			state: { ...base, status: "recovering" },
			actions: [
				{
					type: "none",
					reason:
						"condition OK; the alert stays open until someone resolves it (manual recovery)",
				},
			],
		};
	if (okRuns < s.recovery.runs)
		return {
			state: { ...base, status: "recovering" },
			actions: [
				{
					type: "none",
					reason: `OK run ${okRuns} of ${s.recovery.runs} needed to resolve`,
				},
			],
		};
	const alert = {
		...open,
		resolvedAt: now.toISOString(),
		resolvedBy: null,
	};
	return {
		state: { ...base, status: "ok", alert },
		actions: [
			{
				type: "resolve",
				alert,
				notify: false,
				reason: `condition OK for ${okRuns} run${okRuns === 1 ? "" : "s"}`,
			},
		],
	};
}
