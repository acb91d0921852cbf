/**
 * The living alert message: one message per alert, edited in place as people act on it.
 * alertMessage is a pure function of the alert and its state, so "re-render after a click" is
 * just calling it again with the new state and handing the result to chat.update / PATCH.
 *
 * Controls by state:
 * - open: Acknowledge, Real issue, False alarm, Snooze ▾ (1 hour / 4 hours / 1 day / 1 week);
 * - acknowledged: Acknowledge goes; the status line says who and when;
 * - feedback given: the two feedback buttons are replaced by the recorded verdict (first line of
 *   the small print, right under where the buttons were);
 * - snoozed: the status line says until when; the menu stays, to snooze longer;
 * - resolved: severity `ok`, status "Resolved"; Acknowledge and Snooze go. The feedback buttons
 *   stay until someone answers, because most false alarms recover on their own before anyone
 *   looks, and the threshold tuning needs those answers.
 * - Explain, in every state, on an alert whose metric the engine explained: it posts the full
 *   breakdown and its chart in the alert's thread (once; a second click says it is there).
 */
import type { Alert, Verdict } from "../pulse/alert.ts";
import type { Severity } from "../pulse/model.ts";
import {
	encodeActionId,
	SNOOZE_DURATIONS,
	type SnoozeDuration,
} from "./action-id.ts";
import { escapeMarkup } from "./markup.ts";
import type {
	Action,
	ChatChart,
	ChatFact,
	ChatMessage,
	ChatStatus,
} from "./message.ts";
import { formatStatus } from "./message.ts";

/** Button and menu wording, in one place for the copy editor. */
export const ALERT_LABELS = {
	ack: "Acknowledge",
	real: "Real issue",
	false: "False alarm",
	snooze: "Snooze",
	explain: "Explain",
	observed: "Observed",
	rule: "Rule",
} as const;

/** How each snooze choice reads in the menu. */
export const SNOOZE_LABELS: Record<SnoozeDuration, string> = {
	"1h": "1 hour",
	"4h": "4 hours",
	"1d": "1 day",
	"1w": "1 week",
};

/** What people have done to the alert so far; every part is optional. */
export interface AlertState {
	acknowledged?: { by?: string; at: Date };
	feedback?: { verdict: Verdict; by?: string; at: Date };
	/** Only while the snooze lasts; see alertStateOf. */
	snoozed?: { by?: string; until: Date };
	resolved?: { by?: string; at: Date };
}

/** Everything the alert message shows. Strings are plain text, already formatted. */
export interface AlertMessageInput {
	/** pulse_alerts.id (a UUID); it goes into every button's action id. */
	alertId: string;
	title: string;
	severity: Severity;
	/** The observed value, formatted ("13.8%"). */
	observed: string;
	/** The rule it broke ("below 28%"). */
	rule: string;
	/** One plain sentence of explanation ("Gross margin fell from 31.2% last week."). */
	detail?: string;
	/** More facts, after Observed and Rule ("Last week" / "31.2%"). */
	facts?: ChatFact[];
	chart?: ChatChart;
	/** Small print ("Monitor: Gross margin West", "query v3", "09:14 UTC"). */
	context?: string[];
	state?: AlertState;
	/** The engine explained the alert's metric: offer the Explain button. */
	explainable?: boolean;
}

const VERDICT_WORDS: Record<Verdict, string> = {
	real: "Marked as a real issue",
	false_alarm: "Marked as a false alarm",
};

/** Builds the alert message for its current state. */
export function alertMessage(input: AlertMessageInput): ChatMessage {
	const state = input.state ?? {};
	const message: ChatMessage = {
		title: input.title,
		severity: state.resolved ? "ok" : input.severity,
		facts: [
			{ label: ALERT_LABELS.observed, value: input.observed },
			{ label: ALERT_LABELS.rule, value: input.rule },
			...(input.facts ?? []),
		],
	};
	// The detail quotes monitor names and values people typed; keep them literal.
	if (input.detail) message.text = escapeMarkup(input.detail);
	if (input.chart) message.chart = input.chart;
	const actions = controls(input.alertId, state, input.explainable === true);
	if (actions.length > 0) message.actions = actions;
	const context = [
		...(state.feedback
			? [
					formatStatus({
						label: VERDICT_WORDS[state.feedback.verdict],
						...by(state.feedback.by),
						at: state.feedback.at,
					}),
				]
			: []),
		...(input.context ?? []),
	];
	if (context.length > 0) message.context = context;
	const status = statusOf(state);
	if (status) message.status = status;
	return message;
}

function controls(
	alertId: string,
	state: AlertState,
	explainable: boolean,
): Action[] {
	const actions: Action[] = [];
	if (!state.acknowledged && !state.resolved)
		actions.push({
			kind: "button",
			id: encodeActionId("ack", alertId),
			label: ALERT_LABELS.ack,
			style: "primary",
		});
	if (!state.feedback)
		actions.push(
			{
				kind: "button",
				id: encodeActionId("real", alertId),
				label: ALERT_LABELS.real,
			},
			{
				kind: "button",
				id: encodeActionId("false", alertId),
				label: ALERT_LABELS.false,
			},
		);
	if (!state.resolved)
		actions.push({
			kind: "select",
			id: encodeActionId("snooze", alertId),
			placeholder: ALERT_LABELS.snooze,
			options: SNOOZE_DURATIONS.map((d) => ({
				label: SNOOZE_LABELS[d],
				value: d,
			})),
		});
	if (explainable)
		actions.push({
			kind: "button",
			id: encodeActionId("explain", alertId),
			label: ALERT_LABELS.explain,
		});
	return actions;
}

/** The one status line: resolved beats snoozed beats acknowledged. */
function statusOf(state: AlertState): ChatStatus | null {
	if (state.resolved)
		return {
			label: "Resolved",
			...by(state.resolved.by),
			at: state.resolved.at,
		};
	if (state.snoozed)
		return {
			label: "Snoozed",
			...by(state.snoozed.by),
			until: state.snoozed.until,
		};
	if (state.acknowledged)
		return {
			label: "Acknowledged",
			...by(state.acknowledged.by),
			at: state.acknowledged.at,
		};
	return null;
}

function by(who: string | null | undefined): { by?: string } {
	return who ? { by: who } : {};
}

/**
 * Reads the state off a Pulse alert (pulse/alert.ts). A snooze that ended before `now` is left
 * out, so the message stops saying "Snoozed" once it re-renders after the snooze.
 */
export function alertStateOf(
	alert: Pick<
		Alert,
		| "acknowledgedAt"
		| "acknowledgedBy"
		| "feedback"
		| "feedbackBy"
		| "feedbackAt"
		| "snoozedUntil"
		| "snoozedBy"
		| "resolvedAt"
		| "resolvedBy"
	>,
	now: Date,
): AlertState {
	const state: AlertState = {};
	if (alert.acknowledgedAt)
		state.acknowledged = {
			...by(alert.acknowledgedBy),
			at: new Date(alert.acknowledgedAt),
		};
	if (alert.feedback)
		state.feedback = {
			verdict: alert.feedback,
			...by(alert.feedbackBy),
			at: new Date(alert.feedbackAt ?? now),
		};
	if (alert.snoozedUntil && Date.parse(alert.snoozedUntil) > now.getTime())
		state.snoozed = {
			...by(alert.snoozedBy),
			until: new Date(alert.snoozedUntil),
		};
	if (alert.resolvedAt)
		state.resolved = {
			...by(alert.resolvedBy),
			at: new Date(alert.resolvedAt),
		};
	return state;
}
