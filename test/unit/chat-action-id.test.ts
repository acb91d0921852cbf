import { describe, expect, it } from "vitest";
import {
	ACTION_ID_MAX,
	ACTION_VERBS,
	actionIdSchema,
	decodeActionId,
	encodeActionId,
	SNOOZE_DURATIONS,
	SNOOZE_MINUTES,
} from "../../src/chat/action-id.ts";
import { ALERT_ID } from "./chat-fixtures.ts";

describe("action ids", () => {
	it("encodes each verb as pulse:v1:<verb>:<alert id>", () => {
		expect(ACTION_VERBS.map((v) => encodeActionId(v, ALERT_ID))).toEqual([
			`pulse:v1:ack:${ALERT_ID}`,
			`pulse:v1:real:${ALERT_ID}`,
			`pulse:v1:false:${ALERT_ID}`,
			`pulse:v1:snooze:${ALERT_ID}`,
			`pulse:v1:explain:${ALERT_ID}`,
		]);
	});

	it.each(["ack", "real", "false", "explain"] as const)(
		"round-trips the %s verb",
		(verb) => {
			expect(decodeActionId(encodeActionId(verb, ALERT_ID))).toEqual({
				ok: true,
				action: { verb, alertId: ALERT_ID },
			});
		},
	);

	it.each(SNOOZE_DURATIONS)("round-trips a snooze for %s", (duration) => {
		expect(
			decodeActionId(encodeActionId("snooze", ALERT_ID), duration),
		).toEqual({
			ok: true,
			action: { verb: "snooze", alertId: ALERT_ID, duration },
		});
	});

	it("maps the snooze choices to 1 hour, 4 hours, 1 day and 1 week in minutes", () => {
		expect(SNOOZE_MINUTES).toEqual({
			"1h": 60,
			"4h": 240,
			"1d": 1440,
			"1w": 10080,
		});
	});

	it("stays within Discord's 100-character custom_id for every verb and any UUID", () => {
		const longest = Math.max(
			...ACTION_VERBS.map(
				(v) => encodeActionId(v, "ffffffff-ffff-ffff-ffff-ffffffffffff").length,
			),
		);
		// "pulse:v1:explain:" (17) + a UUID (36).
		expect(longest).toBe(53);
		expect(longest).toBeLessThanOrEqual(ACTION_ID_MAX);
	});

	it("writes upper-case UUIDs in lower case, so one alert has one id", () => {
		expect(encodeActionId("ack", ALERT_ID.toUpperCase())).toBe(
			`pulse:v1:ack:${ALERT_ID}`,
		);
		expect(decodeActionId(`pulse:v1:ack:${ALERT_ID.toUpperCase()}`)).toEqual({
			ok: true,
			action: { verb: "ack", alertId: ALERT_ID },
		});
	});

	it("refuses to encode an alert id that is not a UUID", () => {
		expect(() => encodeActionId("ack", "42")).toThrow(
			"the alert id must be a UUID",
		);
	});

	it("exposes the validator as a zod schema for boundary schemas", () => {
		expect(actionIdSchema.parse(`pulse:v1:real:${ALERT_ID}`)).toEqual([
			"pulse",
			"v1",
			"real",
			ALERT_ID,
		]);
	});
});

describe("decoding a bad action id", () => {
	it.each([
		[
			"another version",
			`pulse:v2:ack:${ALERT_ID}`,
			`Action id "pulse:v2:ack:${ALERT_ID}" is invalid: version "v2" is not supported (expected v1).`,
		],
		[
			"an unknown verb",
			`pulse:v1:delete:${ALERT_ID}`,
			`Action id "pulse:v1:delete:${ALERT_ID}" is invalid: unknown verb "delete" (expected ack, real, false, snooze, explain).`,
		],
		[
			"a non-UUID alert id",
			"pulse:v1:ack:12345",
			'Action id "pulse:v1:ack:12345" is invalid: the alert id must be a UUID.',
		],
		[
			"a UUID with a character too many",
			`pulse:v1:ack:${ALERT_ID}0`,
			`Action id "pulse:v1:ack:${ALERT_ID}0" is invalid: the alert id must be a UUID.`,
		],
		[
			"a foreign prefix",
			`other:v1:ack:${ALERT_ID}`,
			`Action id "other:v1:ack:${ALERT_ID}" is invalid: it must start with "pulse:".`,
		],
		[
			"a missing part",
			"pulse:v1:ack",
			'Action id "pulse:v1:ack" is invalid: it must have four parts, pulse:v1:<verb>:<alert id>.',
		],
		[
			"an extra part",
			`pulse:v1:ack:${ALERT_ID}:x`,
			`Action id "pulse:v1:ack:${ALERT_ID}:x" is invalid: it must have four parts, pulse:v1:<verb>:<alert id>.`,
		],
		[
			"an empty string",
			"",
			'Action id "" is invalid: it must have four parts, pulse:v1:<verb>:<alert id>.',
		],
	])("rejects %s with a clear message", (_, raw, error) => {
		expect(decodeActionId(raw)).toEqual({ ok: false, error });
	});

	it("rejects an over-long id before parsing it, and quotes only its start", () => {
		const raw = `pulse:v1:ack:${ALERT_ID}:${"x".repeat(60)}`;
		expect(raw.length).toBe(110);
		expect(decodeActionId(raw)).toEqual({
			ok: false,
			error: `Action id "${raw.slice(0, 57)}..." is invalid: it is longer than 100 characters.`,
		});
	});

	it("rejects a snooze without a duration or with an unknown one", () => {
		const id = encodeActionId("snooze", ALERT_ID);
		expect(decodeActionId(id)).toEqual({
			ok: false,
			error: `Snooze of alert ${ALERT_ID} is invalid: snooze needs a duration.`,
		});
		expect(decodeActionId(id, "2h")).toEqual({
			ok: false,
			error: `Snooze of alert ${ALERT_ID} is invalid: unknown snooze duration "2h" (expected 1h, 4h, 1d, 1w).`,
		});
	});
});
