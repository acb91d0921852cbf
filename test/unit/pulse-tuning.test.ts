import { describe, expect, it } from "vitest";
import type { Verdict } from "../../src/pulse/alert.ts";
import { evaluateCondition } from "../../src/pulse/evaluate.ts";
import type { SeriesPoint } from "../../src/pulse/input.ts";
import { type Condition, parseCondition } from "../../src/pulse/model.ts";
import {
	type LoggedRun,
	niceBetween,
	precision,
	proposeTuning,
	type TuningProposal,
} from "../../src/pulse/tuning.ts";

const now = new Date("2025-03-10T09:00:00Z");

function cond(raw: unknown): Condition {
	const r = parseCondition(raw);
	if (!r.ok) throw new Error(r.problems.join("\n"));
	return r.value;
}

function daily(values: number[]): SeriesPoint[] {
	const last = Date.parse("2025-03-09T00:00:00Z");
	return values.map((value, i) => ({
		period: new Date(last - (values.length - 1 - i) * 86_400_000)
			.toISOString()
			.slice(0, 10),
		value,
	}));
}

/** A logged run for each series, evaluated with `c`, marked with the verdict given. */
function logRuns(
	c: Condition,
	runs: [number[], Verdict | null][],
): LoggedRun[] {
	return runs.map(([values, verdict]) => {
		const ev = evaluateCondition(c, { now, series: daily(values) });
		return {
			observed: ev.observed,
			score: ev.score ?? null,
			breached: ev.breached,
			feedback: ev.breached ? verdict : null,
		};
	});
}

function proposal(c: Condition, history: LoggedRun[]): TuningProposal {
	const r = proposeTuning(c, history);
	if (!r.proposal) throw new Error(`expected a proposal: ${r.reason}`);
	return r.proposal;
}

/** Re-evaluates each logged series with a condition: which runs would breach. */
function rerun(
	c: Condition,
	runs: [number[], Verdict | null][],
): { verdict: Verdict | null; breached: boolean }[] {
	return runs.map(([values, verdict]) => ({
		verdict,
		breached: evaluateCondition(c, { now, series: daily(values) }).breached,
	}));
}

describe("feedback-driven tuning", () => {
	it("computes precision as TP / (TP + FP), null before any feedback", () => {
		expect(precision(1, 3)).toBe(0.25);
		expect(precision(0, 0)).toBeNull();
	});

	describe("on a threshold", () => {
		const below28 = cond({ kind: "threshold", operator: "<", value: 28 });
		const runs: [number[], Verdict | null][] = [
			[[12], "real"],
			[[15], "real"],
			[[18], "real"],
			[[27.5], "false_alarm"],
			[[26], "false_alarm"],
			[[25.1], "false_alarm"],
			[[24], "false_alarm"],
			[[30], null],
			[[31], null],
		];

		it("proposes a lower limit that keeps every real alert and drops every false one, proved by re-evaluation", () => {
			const p = proposal(below28, logRuns(below28, runs));
			expect(p).toMatchObject({
				from: 28,
				to: 20,
				keptReal: 3,
				droppedFalse: 4,
				remainingFalse: 0,
				droppedUnmarked: 0,
			});
			expect(p.condition).toEqual({
				kind: "threshold",
				operator: "<",
				value: 20,
			});
			expect(p.explanation).toBe(
				"Lowering the threshold from 28 to 20 would have kept all 3 real alerts and dropped 4 of 4 false alarms, taking precision from 43% to 100% on this history.",
			);
			for (const r of rerun(p.condition, runs))
				expect(r.breached).toBe(r.verdict === "real");
		});

		it("leaves a false alarm that was as extreme as a real alert, and says so", () => {
			const withBad: [number[], Verdict | null][] = [
				...runs,
				[[14], "false_alarm"],
			];
			const p = proposal(below28, logRuns(below28, withBad));
			expect(p).toMatchObject({
				to: 20,
				keptReal: 3,
				droppedFalse: 4,
				remainingFalse: 1,
			});
			expect(p.explanation).toContain(
				"1 false alarm was as extreme as a real alert and would remain.",
			);
			const again = rerun(p.condition, withBad);
			expect(
				again.filter((r) => r.verdict === "real").every((r) => r.breached),
			).toBe(true);
			expect(
				again.filter((r) => r.verdict === "false_alarm" && r.breached),
			).toHaveLength(1);
		});

		it("keeps the strictness of the operator at the boundary", () => {
			const atLeast = cond({ kind: "threshold", operator: ">=", value: 100 });
			const history: LoggedRun[] = [
				{ observed: 150, breached: true, feedback: "real" },
				{ observed: 100, breached: true, feedback: "false_alarm" },
				{ observed: 120, breached: true, feedback: "false_alarm" },
				{ observed: 149, breached: true, feedback: "false_alarm" },
			];
			const p = proposal(atLeast, history);
			expect(p.to).toBe(150);
			expect(p).toMatchObject({ keptReal: 1, droppedFalse: 3 });
		});

		it("counts alerts nobody marked that the new limit would drop", () => {
			const history = [
				...logRuns(below28, runs),
				{ observed: 27, breached: true, feedback: null },
			];
			expect(proposal(below28, history)).toMatchObject({ droppedUnmarked: 1 });
		});
	});

	it("proposes a larger change limit, proved by re-evaluating week-over-week series", () => {
		const down10 = cond({
			kind: "change",
			period: "week_over_week",
			direction: "down",
			percent: 10,
		});
		const week = (latest: number): number[] => [
			100,
			100,
			100,
			100,
			100,
			100,
			100,
			latest,
		];
		const runs: [number[], Verdict | null][] = [
			[week(65), "real"],
			[week(72), "real"],
			[week(60), "real"],
			[week(89), "false_alarm"],
			[week(87.5), "false_alarm"],
			[week(85), "false_alarm"],
			[week(87), "false_alarm"],
			[week(95), null],
		];
		const p = proposal(down10, logRuns(down10, runs));
		expect(p).toMatchObject({
			from: 10,
			to: 20,
			keptReal: 3,
			droppedFalse: 4,
			remainingFalse: 0,
		});
		expect(p.explanation).toMatch(
			/^Raising the change limit \(%\) from 10 to 20 /,
		);
		for (const r of rerun(p.condition, runs))
			expect(r.breached).toBe(r.verdict === "real");
	});

	it("proposes a less sensitive anomaly setting, proved by re-evaluating each run's series", () => {
		const high = cond({
			kind: "anomaly",
			sensitivity: "high",
			seasonal: false,
		});
		const base = [100, 102, 98, 101, 99, 103, 97, 100, 101, 99, 102, 98];
		const runs: [number[], Verdict | null][] = [
			[[...base, 70], "real"],
			[[...base, 75], "real"],
			[[...base, 130], "real"],
			[[...base, 106], "false_alarm"],
			[[...base, 94], "false_alarm"],
			[[...base, 107], "false_alarm"],
			[[...base, 93], "false_alarm"],
			[[...base, 101], null],
		];
		const history = logRuns(high, runs);
		expect(history.filter((r) => r.breached)).toHaveLength(7);
		const p = proposal(high, history);
		expect(p).toMatchObject({
			from: 2.5,
			to: 4,
			keptReal: 3,
			droppedFalse: 4,
			remainingFalse: 0,
		});
		expect(p.condition).toEqual({
			kind: "anomaly",
			sensitivity: "low",
			direction: "either",
			seasonal: false,
		});
		for (const r of rerun(p.condition, runs))
			expect(r.breached).toBe(r.verdict === "real");
	});

	it("proposes a custom z cut-off when no named sensitivity fits between the false and the real alerts", () => {
		const medium = cond({ kind: "anomaly", seasonal: false });
		const history: LoggedRun[] = [
			{ observed: 1, score: 5.2, breached: true, feedback: "real" },
			{ observed: 1, score: 4.3, breached: true, feedback: "false_alarm" },
			{ observed: 1, score: -4.1, breached: true, feedback: "false_alarm" },
			{ observed: 1, score: 3.5, breached: true, feedback: "false_alarm" },
		];
		const p = proposal(medium, history);
		expect(p.to).toBeGreaterThan(4.3);
		expect(p.to).toBeLessThanOrEqual(5.2);
		expect(p.condition).toMatchObject({ kind: "anomaly", zThreshold: p.to });
	});

	it("waits for enough false alarms before proposing anything", () => {
		const c = cond({ kind: "threshold", operator: ">", value: 10 });
		const history: LoggedRun[] = [
			{ observed: 11, breached: true, feedback: "false_alarm" },
			{ observed: 12, breached: true, feedback: "false_alarm" },
		];
		expect(proposeTuning(c, history)).toEqual({
			proposal: null,
			reason: "2 false alarms so far; tuning waits for 3",
		});
		expect(
			proposeTuning(c, history, { minFalseAlarms: 2 }).proposal,
		).not.toBeNull();
	});

	it("does not tune a monitor whose precision is at least 50%", () => {
		const c = cond({ kind: "threshold", operator: ">", value: 10 });
		const history: LoggedRun[] = [11, 12, 13].flatMap((v) => [
			{ observed: v, breached: true, feedback: "false_alarm" as const },
			{ observed: v + 10, breached: true, feedback: "real" as const },
		]);
		expect(proposeTuning(c, history)).toEqual({
			proposal: null,
			reason: "precision is 50%, not below 50%; no tuning needed",
		});
	});

	it("returns null with a reason when every false alarm is as extreme as a real one", () => {
		const c = cond({ kind: "threshold", operator: ">", value: 10 });
		const history: LoggedRun[] = [
			{ observed: 11, breached: true, feedback: "real" },
			{ observed: 12, breached: true, feedback: "false_alarm" },
			{ observed: 20, breached: true, feedback: "false_alarm" },
			{ observed: 11, breached: true, feedback: "false_alarm" },
		];
		expect(proposeTuning(c, history)).toEqual({
			proposal: null,
			reason:
				"every false alarm was at least as extreme as the mildest real alert (11), so no threshold keeps all real alerts and drops a false one",
		});
	});

	it("says which conditions cannot be tuned", () => {
		const falses: LoggedRun[] = Array.from({ length: 3 }, () => ({
			observed: 1,
			breached: true,
			feedback: "false_alarm",
		}));
		expect(
			proposeTuning(
				cond({ kind: "threshold", operator: "=", value: 1 }),
				falses,
			),
		).toEqual({
			proposal: null,
			reason: "a threshold with = has no direction to loosen",
		});
		expect(
			proposeTuning(cond({ kind: "stale", amount: 1, unit: "days" }), falses),
		).toEqual({
			proposal: null,
			reason: '"stale" conditions have no threshold to tune',
		});
	});

	it("raises the limit past every false alarm when none was real", () => {
		const c = cond({ kind: "threshold", operator: ">", value: 1000 });
		const history: LoggedRun[] = [1100, 1234, 1180].map((observed) => ({
			observed,
			breached: true,
			feedback: "false_alarm" as const,
		}));
		const p = proposal(c, history);
		expect(p.to).toBeGreaterThanOrEqual(1234);
		expect(p).toMatchObject({ keptReal: 0, droppedFalse: 3 });
	});

	it("picks the roundest number inside the interval", () => {
		expect(niceBetween(23.7, 26.2, (x) => x > 23.7 && x <= 26.2)).toBe(25);
		expect(niceBetween(0.131, 0.138, (x) => x >= 0.131 && x < 0.138)).toBe(
			0.135,
		);
		expect(niceBetween(-24, -18, (x) => x >= -24 && x < -18)).toBe(-20);
	});
});
