/**
 * Alerts and what people do to them: acknowledge, snooze, resolve (for manual recovery) and
 * feedback. Every action is idempotent: the same action twice changes the alert once and
 * reports `changed: false` the second time (a double-clicked chat button is harmless).
 * Feedback returns the deltas for pulse_monitors.true_positives / false_positives. Store the
 * returned alert back into LifecycleState.alert (and its pulse_alerts row) so the next `step`
 * sees the acknowledgement or snooze.
 */
import type { Severity } from "./model.ts";

/** Real issue or false alarm, as a user marked it. */
export type Verdict = "real" | "false_alarm";

/**
 * One alert as the lifecycle and the user actions see it (a pulse_alerts row plus the folding
 * fields). Times are ISO-8601 strings so the state round-trips through jsonb unchanged.
 */
export interface Alert {
	fingerprint: string;
	severity: Severity;
	openedAt: string;
	lastSeenAt: string;
	/** Last time a run pinged the channel for this alert; null when it opened silently. */
	lastNotifiedAt: string | null;
	/** Breaching runs folded into this alert. */
	count: number;
	observed: number | null;
	detail: string;
	resolvedAt: string | null;
	/** Who resolved it; null when it resolved by itself. */
	resolvedBy: string | null;
	acknowledgedAt: string | null;
	acknowledgedBy: string | null;
	snoozedUntil: string | null;
	snoozedBy: string | null;
	feedback: Verdict | null;
	feedbackBy: string | null;
	feedbackAt: string | null;
}

/** The pulse_alerts.feedback value for each verdict. */
export const FEEDBACK_COLUMN = {
	real: "true_positive",
	false_alarm: "false_positive",
} as const;

/** Changes to the monitor's feedback counters. */
export interface CounterDeltas {
	truePositives: number;
	falsePositives: number;
}

/** The outcome of a user action on an alert. */
export interface AlertActionResult {
	alert: Alert;
	/** False when the action repeated one already applied; nothing needs storing or posting. */
	changed: boolean;
	deltas: CounterDeltas;
	/** A sentence for the thread ("Acknowledged by U123."). */
	message: string;
}

const NO_DELTAS: CounterDeltas = { truePositives: 0, falsePositives: 0 };

/** A repeated snooze that would move the end by less than this is a repeat, not a change. */
export const SNOOZE_REPEAT_MS = 60_000;

function same(alert: Alert, message: string): AlertActionResult {
	return { alert, changed: false, deltas: NO_DELTAS, message };
}

/** Marks the alert acknowledged; the first acknowledgement stands. */
export function acknowledge(
	alert: Alert,
	user: string,
	now: Date,
): AlertActionResult {
	if (alert.acknowledgedAt)
		return same(alert, `Already acknowledged by ${alert.acknowledgedBy}.`);
	return {
		alert: {
			...alert,
			acknowledgedAt: now.toISOString(),
			acknowledgedBy: user,
		},
		changed: true,
		deltas: NO_DELTAS,
		message: `Acknowledged by ${user}.`,
	};
}

/**
 * Silences the alert for `durationMinutes` from now. A snooze never shortens an existing one,
 * and one that would extend it by less than a minute is a repeat.
 */
export function snooze(
	alert: Alert,
	user: string,
	durationMinutes: number,
	now: Date,
): AlertActionResult {
	if (!(durationMinutes > 0) || !Number.isFinite(durationMinutes))
		throw new RangeError(
			`snooze needs a positive number of minutes, got ${durationMinutes}`,
		);
	const until = now.getTime() + durationMinutes * 60_000;
	const current = alert.snoozedUntil ? Date.parse(alert.snoozedUntil) : null;
	if (current !== null && until - current < SNOOZE_REPEAT_MS)
		return same(alert, `Already snoozed until ${alert.snoozedUntil}.`);
	const iso = new Date(until).toISOString();
	return {
		alert: { ...alert, snoozedUntil: iso, snoozedBy: user },
		changed: true,
		deltas: NO_DELTAS,
		message: `Snoozed by ${user} until ${iso}.`,
	};
}

/** Closes an open alert by hand (the way out of manual recovery). */
export function resolve(
	alert: Alert,
	user: string,
	now: Date,
): AlertActionResult {
	if (alert.resolvedAt) return same(alert, "Already resolved.");
	return {
		alert: { ...alert, resolvedAt: now.toISOString(), resolvedBy: user },
		changed: true,
		deltas: NO_DELTAS,
		message: `Resolved by ${user}.`,
	};
}

/**
 * Records whether the alert was a real issue. Changing one's mind moves the count from one
 * counter to the other; repeating the same verdict changes nothing.
 */
export function feedback(
	alert: Alert,
	user: string,
	verdict: Verdict,
	now: Date,
): AlertActionResult {
	const words = verdict === "real" ? "a real issue" : "a false alarm";
	if (alert.feedback === verdict)
		return same(alert, `Already marked as ${words} by ${alert.feedbackBy}.`);
	const deltas = { ...NO_DELTAS };
	const bump = (v: Verdict, by: number) => {
		if (v === "real") deltas.truePositives += by;
		else deltas.falsePositives += by;
	};
	if (alert.feedback) bump(alert.feedback, -1);
	bump(verdict, 1);
	return {
		alert: {
			...alert,
			feedback: verdict,
			feedbackBy: user,
			feedbackAt: now.toISOString(),
		},
		changed: true,
		deltas,
		message: `Marked as ${words} by ${user}.`,
	};
}
