import { describe, expect, it } from "vitest";
import {
	type Alert,
	acknowledge,
	FEEDBACK_COLUMN,
	feedback,
	resolve,
	snooze,
} from "../../src/pulse/alert.ts";
import { fingerprint } from "../../src/pulse/fingerprint.ts";
import type { Evaluation } from "../../src/pulse/input.ts";
import {
	type Action,
	initialState,
	type LifecycleSettings,
	type LifecycleState,
	step,
} from "../../src/pulse/lifecycle.ts";

const FP = "mon-1:abc:-";
const t0 = Date.parse("2025-03-10T09:00:00Z");
const at = (minutes: number) => new Date(t0 + minutes * 60_000);

const breach: Evaluation = {
	breached: true,
	observed: 13.8,
	expected: 28,
	detail: "gross margin 13.8% is below 28%",
};
const ok: Evaluation = {
	breached: false,
	observed: 31,
	expected: 28,
	detail: "gross margin 31% is not below 28%",
};

function settings(more: Partial<LifecycleSettings> = {}): LifecycleSettings {
	return {
		severity: "high",
		pendingRuns: 1,
		recovery: { mode: "auto", runs: 1 },
		cooldownMinutes: 60,
		renotifyMinutes: null,
		snoozedUntil: null,
		enabled: true,
		...more,
	};
}

/** Runs a sequence of [minute, evaluation] through step and returns every action and the last state. */
function run(
	runs: [number, Evaluation][],
	s: LifecycleSettings = settings(),
	from: LifecycleState = initialState(FP),
): { state: LifecycleState; actions: Action[] } {
	let state = from;
	const actions: Action[] = [];
	for (const [minute, ev] of runs) {
		const r = step(state, ev, at(minute), s);
		state = r.state;
		actions.push(...r.actions);
	}
	return { state, actions };
}

const types = (actions: Action[]) =>
	actions.map((a) =>
		a.type === "refire" || a.type === "open_alert"
			? `${a.type}${a.notify ? "!" : ""}`
			: a.type,
	);

describe("alert lifecycle", () => {
	it("opens an alert with a ping on the first breach", () => {
		const { state, actions } = run([[0, breach]]);
		expect(types(actions)).toEqual(["open_alert!"]);
		expect(state).toMatchObject({ status: "firing", breachRuns: 1 });
		expect(state.alert).toMatchObject({
			fingerprint: FP,
			severity: "high",
			count: 1,
			observed: 13.8,
			openedAt: at(0).toISOString(),
			lastNotifiedAt: at(0).toISOString(),
		});
	});

	it("waits for the pending period before firing", () => {
		const { state, actions } = run(
			[
				[0, breach],
				[60, breach],
				[120, breach],
			],
			settings({ pendingRuns: 3 }),
		);
		expect(types(actions)).toEqual(["none", "none", "open_alert!"]);
		expect(actions[1]).toEqual({
			type: "none",
			reason: "breaching run 2 of 3 needed to fire",
		});
		expect(state.status).toBe("firing");
	});

	it("clears a pending breach when a run comes back OK", () => {
		const { state, actions } = run(
			[
				[0, breach],
				[60, ok],
				[120, breach],
			],
			settings({ pendingRuns: 2 }),
		);
		expect(types(actions)).toEqual(["none", "none", "none"]);
		expect(actions[1]).toEqual({
			type: "none",
			reason: "condition OK; pending breach cleared",
		});
		expect(state).toMatchObject({ status: "pending", breachRuns: 1 });
	});

	it("folds further breaches into the open alert: count and last seen, no new alert", () => {
		const { state, actions } = run([
			[0, breach],
			[60, breach],
			[120, breach],
		]);
		expect(types(actions)).toEqual(["open_alert!", "refire", "refire"]);
		expect(state.alert).toMatchObject({
			count: 3,
			lastSeenAt: at(120).toISOString(),
			openedAt: at(0).toISOString(),
		});
	});

	it("resolves after the recovery runs, in the thread and without a ping", () => {
		const { state, actions } = run(
			[
				[0, breach],
				[60, ok],
				[120, ok],
			],
			settings({ recovery: { mode: "auto", runs: 2 } }),
		);
		expect(types(actions)).toEqual(["open_alert!", "none", "resolve"]);
		expect(actions[1]).toEqual({
			type: "none",
			reason: "OK run 1 of 2 needed to resolve",
		});
		expect(actions[2]).toMatchObject({
			type: "resolve",
			notify: false,
			reason: "condition OK for 2 runs",
		});
		expect(state.alert?.resolvedAt).toBe(at(120).toISOString());
		expect(state.status).toBe("ok");
	});

	it("restarts the recovery count when a breach interrupts it", () => {
		const { actions } = run(
			[
				[0, breach],
				[60, ok],
				[120, breach],
				[180, ok],
				[240, ok],
			],
			settings({ recovery: { mode: "auto", runs: 2 } }),
		);
		expect(types(actions)).toEqual([
			"open_alert!",
			"none",
			"refire",
			"none",
			"resolve",
		]);
	});

	it("keeps a manual-recovery alert open until someone resolves it", () => {
		const s = settings({ recovery: { mode: "manual" } });
		const first = run(
			[
				[0, breach],
				[60, ok],
				[120, ok],
			],
			s,
		);
		expect(types(first.actions)).toEqual(["open_alert!", "none", "none"]);
		expect(first.state.alert?.resolvedAt).toBeNull();
		const closed = resolve(first.state.alert as Alert, "U42", at(130));
		expect(closed).toMatchObject({
			changed: true,
			message: "Resolved by U42.",
		});
		expect(resolve(closed.alert, "U42", at(131)).changed).toBe(false);
		const after = run([[300, breach]], s, {
			...first.state,
			alert: closed.alert,
		});
		expect(types(after.actions)).toEqual(["open_alert!"]);
	});

	it("reopens a resolved alert that breaches again within its cooldown, without a ping", () => {
		const { state, actions } = run([
			[0, breach],
			[10, ok],
			[40, breach],
		]);
		expect(types(actions)).toEqual(["open_alert!", "resolve", "refire"]);
		expect(actions[2]).toMatchObject({ reopened: true });
		expect(state.alert).toMatchObject({
			count: 2,
			resolvedAt: null,
			openedAt: at(0).toISOString(),
		});
	});

	it("opens a new alert when the relapse comes after the cooldown", () => {
		const { state, actions } = run([
			[0, breach],
			[10, ok],
			[71, breach],
		]);
		expect(types(actions)).toEqual(["open_alert!", "resolve", "open_alert!"]);
		expect(state.alert).toMatchObject({
			count: 1,
			openedAt: at(71).toISOString(),
		});
	});

	it("re-pings a still-firing alert once per renotify interval", () => {
		const { actions } = run(
			[
				[0, breach],
				[60, breach],
				[120, breach],
				[180, breach],
				[240, breach],
			],
			settings({ renotifyMinutes: 120 }),
		);
		expect(types(actions)).toEqual([
			"open_alert!",
			"refire",
			"refire!",
			"refire",
			"refire!",
		]);
		expect(actions[2]).toMatchObject({
			reason: "still breaching after 120 minutes",
		});
	});

	it("never re-pings sooner than the cooldown, whatever the renotify setting", () => {
		const { actions } = run(
			[
				[0, breach],
				[30, breach],
				[60, breach],
			],
			settings({ renotifyMinutes: 15, cooldownMinutes: 60 }),
		);
		expect(types(actions)).toEqual(["open_alert!", "refire", "refire!"]);
	});

	it("does not re-alert an acknowledged breach within its cooldown", () => {
		const opened = run(
			[[0, breach]],
			settings({ renotifyMinutes: 60, cooldownMinutes: 180 }),
		);
		const acked = acknowledge(opened.state.alert as Alert, "U7", at(170));
		const state = { ...opened.state, alert: acked.alert };
		const later = run(
			[
				[200, breach],
				[340, breach],
				[350, breach],
			],
			settings({ renotifyMinutes: 60, cooldownMinutes: 180 }),
			state,
		);
		expect(types(later.actions)).toEqual(["refire", "refire", "refire!"]);
		expect(later.actions[0]).toMatchObject({
			reason: "acknowledged by U7; quiet for the 180-minute cooldown",
		});
	});

	it("does not notify a snoozed alert until the snooze ends, then pings once", () => {
		const s = settings({ renotifyMinutes: null });
		const opened = run([[0, breach]], s);
		const snoozed = snooze(opened.state.alert as Alert, "U7", 120, at(5));
		expect(snoozed.alert.snoozedUntil).toBe(at(125).toISOString());
		const later = run(
			[
				[60, breach],
				[120, breach],
				[125, breach],
				[180, breach],
			],
			s,
			{ ...opened.state, alert: snoozed.alert },
		);
		expect(types(later.actions)).toEqual([
			"refire",
			"refire",
			"refire!",
			"refire",
		]);
		expect(later.actions[0]).toMatchObject({
			reason: `snoozed until ${at(125).toISOString()}`,
		});
		expect(later.actions[2]).toMatchObject({
			reason: "snooze ended and the condition still holds",
		});
		expect(later.state.alert?.snoozedUntil).toBeNull();
	});

	it("opens silently while the monitor is snoozed and pings when that snooze expires", () => {
		const s = settings({ snoozedUntil: at(90).toISOString() });
		const { actions } = run(
			[
				[0, breach],
				[60, breach],
				[120, breach],
			],
			s,
		);
		expect(types(actions)).toEqual(["open_alert", "refire", "refire!"]);
	});

	it("changes nothing on a run that could not be judged", () => {
		const opened = run([[0, breach]]);
		const noData: Evaluation = {
			breached: false,
			observed: null,
			detail: "gross margin has no value",
			noData: true,
		};
		const failed: Evaluation = {
			breached: false,
			observed: null,
			detail: "x",
			error: "column missing",
		};
		const { state, actions } = run(
			[
				[60, noData],
				[120, failed],
			],
			settings(),
			opened.state,
		);
		expect(state).toEqual(opened.state);
		expect(actions).toEqual([
			{ type: "none", reason: "run not judged: gross margin has no value" },
			{ type: "none", reason: "run not judged: column missing" },
		]);
	});

	it("keeps its state JSON-safe, so it survives a round trip through jsonb", () => {
		const { state } = run(
			[
				[0, breach],
				[10, ok],
				[40, breach],
			],
			settings({ snoozedUntil: at(5).toISOString() }),
		);
		expect(JSON.parse(JSON.stringify(state))).toEqual(state);
	});

	it("does nothing for a disabled monitor", () => {
		expect(run([[0, breach]], settings({ enabled: false })).actions).toEqual([
			{ type: "none", reason: "monitor is disabled" },
		]);
	});
});

describe("user actions on alerts", () => {
	const opened = () => run([[0, breach]]).state.alert as Alert;

	it("acknowledges once; a second acknowledgement changes nothing", () => {
		const first = acknowledge(opened(), "U1", at(5));
		expect(first).toMatchObject({
			changed: true,
			message: "Acknowledged by U1.",
		});
		expect(first.alert).toMatchObject({
			acknowledgedBy: "U1",
			acknowledgedAt: at(5).toISOString(),
		});
		const again = acknowledge(first.alert, "U2", at(6));
		expect(again).toMatchObject({
			changed: false,
			message: "Already acknowledged by U1.",
		});
		expect(again.alert).toBe(first.alert);
	});

	it("counts feedback once, and moves the count when someone changes their mind", () => {
		const real = feedback(opened(), "U1", "real", at(5));
		expect(real).toMatchObject({
			changed: true,
			deltas: { truePositives: 1, falsePositives: 0 },
			message: "Marked as a real issue by U1.",
		});
		expect(feedback(real.alert, "U1", "real", at(6))).toMatchObject({
			changed: false,
			deltas: { truePositives: 0, falsePositives: 0 },
		});
		const flipped = feedback(real.alert, "U2", "false_alarm", at(7));
		expect(flipped).toMatchObject({
			changed: true,
			deltas: { truePositives: -1, falsePositives: 1 },
		});
		expect(FEEDBACK_COLUMN[flipped.alert.feedback ?? "real"]).toBe(
			"false_positive",
		);
	});

	it("treats a double-clicked snooze as one, and never shortens a snooze", () => {
		const first = snooze(opened(), "U1", 60, at(5));
		expect(first.changed).toBe(true);
		expect(snooze(first.alert, "U1", 60, at(5.5)).changed).toBe(false);
		expect(snooze(first.alert, "U1", 10, at(6)).changed).toBe(false);
		expect(snooze(first.alert, "U1", 240, at(6))).toMatchObject({
			changed: true,
			alert: { snoozedUntil: at(246).toISOString() },
		});
		expect(() => snooze(first.alert, "U1", 0, at(6))).toThrow(RangeError);
	});
});

describe("fingerprint", () => {
	it("is stable across key order and changes with the condition or the dimension", () => {
		const a = fingerprint("m1", {
			kind: "threshold",
			operator: "<",
			value: 28,
		});
		expect(a).toMatch(/^m1:[0-9a-f]{12}:-$/);
		expect(
			fingerprint("m1", { value: 28, operator: "<", kind: "threshold" }),
		).toBe(a);
		expect(
			fingerprint("m1", { kind: "threshold", operator: "<", value: 25 }),
		).not.toBe(a);
		expect(
			fingerprint(
				"m1",
				{ kind: "threshold", operator: "<", value: 28 },
				"region:North",
			),
		).toMatch(/:region%3ANorth$/);
	});
});
