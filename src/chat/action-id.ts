/**
 * Versioned ids for the buttons and menus on alert messages: `pulse:v1:<verb>:<alertId>`.
 * They travel as Slack action_id and Discord custom_id and come back on every click, so they are
 * compact (Discord allows 100 characters), self-describing (a message posted by an older build
 * still decodes, or fails with a message that says why) and validated before anything trusts them.
 * The snooze menu's duration travels separately as the chosen option value (`1h|4h|1d|1w`).
 */
import { z } from "zod";

/** The namespace and version written into every id; a v2 decoder would live beside v1. */
export const ACTION_ID_PREFIX = "pulse";
export const ACTION_ID_VERSION = "v1";

/** Discord's custom_id limit, the tighter of the two platforms (Slack action_id allows 255). */
export const ACTION_ID_MAX = 100;

/** What a click asks for: acknowledge, mark real, mark false alarm, snooze, explain in the thread. */
export const ACTION_VERBS = [
	"ack",
	"real",
	"false",
	"snooze",
	"explain",
] as const;
export type ActionVerb = (typeof ACTION_VERBS)[number];

/** Snooze menu values and how long each silences the alert, in minutes. */
export const SNOOZE_MINUTES = {
	"1h": 60,
	"4h": 240,
	"1d": 1440,
	"1w": 10080,
} as const;
export type SnoozeDuration = keyof typeof SNOOZE_MINUTES;
export const SNOOZE_DURATIONS = Object.keys(SNOOZE_MINUTES) as SnoozeDuration[];

/** An id produced by encodeActionId: known to be well-formed and at most ACTION_ID_MAX long. */
export type ActionId = string & { readonly __brand: "ActionId" };

/** A decoded click. Snooze carries the chosen duration; the other verbs need nothing else. */
export type DecodedAction =
	| { verb: "ack" | "real" | "false"; alertId: string }
	| { verb: "explain"; alertId: string }
	| { verb: "snooze"; alertId: string; duration: SnoozeDuration };

/** The decoder's answer: the action, or a sentence saying what was wrong with the id. */
export type DecodeResult =
	| { ok: true; action: DecodedAction }
	| { ok: false; error: string };

const alertIdSchema = z
	.guid({ error: "the alert id must be a UUID" })
	.transform((s) => s.toLowerCase());

const partsSchema = z.tuple(
	[
		z.literal(ACTION_ID_PREFIX, {
			error: `it must start with "${ACTION_ID_PREFIX}:"`,
		}),
		z.literal(ACTION_ID_VERSION, {
			error: (iss) =>
				`version "${String(iss.input)}" is not supported (expected ${ACTION_ID_VERSION})`,
		}),
		z.enum(ACTION_VERBS, {
			error: (iss) =>
				`unknown verb "${String(iss.input)}" (expected ${ACTION_VERBS.join(", ")})`,
		}),
		alertIdSchema,
	],
	{
		error: `it must have four parts, ${ACTION_ID_PREFIX}:${ACTION_ID_VERSION}:<verb>:<alert id>`,
	},
);

/** Validates a raw action id string into [prefix, version, verb, alertId]; zod at the boundary. */
export const actionIdSchema = z
	.string()
	.max(ACTION_ID_MAX, {
		error: `it is longer than ${ACTION_ID_MAX} characters`,
	})
	.transform((s) => s.split(":"))
	.pipe(partsSchema);

const durationSchema = z.enum(SNOOZE_DURATIONS, {
	error: (iss) =>
		iss.input === undefined
			? "snooze needs a duration"
			: `unknown snooze duration "${String(iss.input)}" (expected ${SNOOZE_DURATIONS.join(", ")})`,
});

/**
 * Builds the id for one verb on one alert. Throws on a non-UUID alert id: that is a bug in the
 * caller, not user input.
 */
export function encodeActionId(verb: ActionVerb, alertId: string): ActionId {
	const id = alertIdSchema.parse(alertId);
	return `${ACTION_ID_PREFIX}:${ACTION_ID_VERSION}:${verb}:${id}` as ActionId;
}

/**
 * Decodes a clicked id (and, for the snooze menu, the chosen option value). Never throws: the id
 * came from the network, and the listener answers a bad one with `error` in an ephemeral reply.
 */
export function decodeActionId(raw: string, value?: string): DecodeResult {
	const parsed = actionIdSchema.safeParse(raw);
	if (!parsed.success) return fail(`Action id "${clip(raw)}"`, parsed.error);
	const [, , verb, alertId] = parsed.data;
	if (verb !== "snooze") return { ok: true, action: { verb, alertId } };
	const duration = durationSchema.safeParse(value);
	if (!duration.success)
		return fail(`Snooze of alert ${alertId}`, duration.error);
	return { ok: true, action: { verb, alertId, duration: duration.data } };
}

function fail(subject: string, error: z.ZodError): DecodeResult {
	const why = error.issues[0]?.message ?? "it is malformed";
	return { ok: false, error: `${subject} is invalid: ${why}.` };
}

/** Keeps error messages short when someone sends a megabyte of junk. */
function clip(raw: string): string {
	return raw.length > 60 ? `${raw.slice(0, 57).toWellFormed()}...` : raw;
}
