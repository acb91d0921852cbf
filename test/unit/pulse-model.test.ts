import { describe, expect, it } from "vitest";
import {
	parseCondition,
	parseMonitor,
	SENSITIVITY_Z,
} from "../../src/pulse/model.ts";

const metricMonitor = {
	name: "Gross margin floor",
	target: { metric: "gross_margin_pct", grain: "month" },
	condition: { kind: "threshold", operator: "<", value: 28 },
};

function problems(input: unknown): string[] {
	const r = parseMonitor(input);
	if (r.ok) throw new Error("expected the monitor to be rejected");
	return r.problems;
}

describe("pulse monitor model", () => {
	it("fills the documented defaults for a minimal metric monitor", () => {
		const r = parseMonitor(metricMonitor);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.value).toMatchObject({
			severity: "medium",
			frequency: "daily",
			channels: [],
			pendingRuns: 1,
			recovery: { mode: "auto", runs: 1 },
			cooldownMinutes: 60,
			renotifyMinutes: null,
			snoozedUntil: null,
			enabled: true,
		});
	});

	it("accepts a query monitor with a cron frequency in a named time zone", () => {
		const r = parseMonitor({
			name: "New big orders",
			target: {
				sql: "select order_no from orders",
				keyColumn: "order_no",
				source: "erp",
			},
			condition: { kind: "new_rows" },
			frequency: { cron: "0 7 * * 1-5", timeZone: "Europe/London" },
			severity: "high",
			recovery: { mode: "manual" },
		});
		expect(r.ok).toBe(true);
	});

	it("defaults an anomaly condition to medium sensitivity in either direction", () => {
		const r = parseCondition({ kind: "anomaly" });
		expect(r).toEqual({
			ok: true,
			value: {
				kind: "anomaly",
				sensitivity: "medium",
				direction: "either",
				seasonal: true,
			},
		});
		expect(SENSITIVITY_Z).toEqual({ low: 4, medium: 3, high: 2.5 });
	});

	it("names the field path and what was expected for a bad threshold value", () => {
		expect(
			problems({
				...metricMonitor,
				condition: { kind: "threshold", operator: "<", value: "28%" },
			}),
		).toEqual([
			'condition.value: expected a number (the threshold); got "28%" (string)',
		]);
	});

	it("lists the allowed kinds when the condition kind is unknown", () => {
		const [p] = problems({ ...metricMonitor, condition: { kind: "spike" } });
		expect(p).toContain("condition.kind:");
		expect(p).toContain(
			"'threshold' | 'change' | 'anomaly' | 'row_count' | 'new_rows' | 'stale'",
		);
		expect(p).toContain('got "spike" (string)');
	});

	it("reports the closest target shape instead of a bare union failure", () => {
		expect(
			problems({
				...metricMonitor,
				target: { metric: "revenue", grain: "weekly" },
			}),
		).toEqual([
			'target.grain: expected one of "day"|"week"|"month"; got "weekly" (string)',
		]);
		const [p] = problems({ ...metricMonitor, target: {} });
		expect(p).toContain(
			"target: expected a catalog metric { metric, filter?, grain? } or a read-only query",
		);
	});

	it("names an unknown field so a typo is easy to find", () => {
		expect(problems({ ...metricMonitor, pendingRun: 3 })).toEqual([
			"pendingRun: unknown field; remove it or check the spelling",
		]);
	});

	it("rejects a cron frequency with a bad time zone, naming the field", () => {
		const [p] = problems({
			...metricMonitor,
			frequency: { cron: "0 7 * * *", timeZone: "Mars/Olympus" },
		});
		expect(p).toBe(
			'frequency.timeZone: expected an IANA time zone such as "Europe/London" or "UTC"; got "Mars/Olympus" (string)',
		);
	});

	it("rejects zero pending runs and a negative cooldown", () => {
		const ps = problems({
			...metricMonitor,
			pendingRuns: 0,
			cooldownMinutes: -5,
		});
		expect(ps).toContain(
			"pendingRuns: expected at least 1 (breaching runs before firing); got 0 (number)",
		);
		expect(ps).toContain(
			"cooldownMinutes: expected at least 0 (minutes); got -5 (number)",
		);
	});

	it("refuses a row condition on a catalog metric", () => {
		expect(
			problems({
				...metricMonitor,
				condition: { kind: "row_count", operator: ">", value: 0 },
			}),
		).toEqual([
			'condition.kind: expected a query target for "row_count"; a catalog metric has no rows; got "row_count" (string)',
		]);
	});

	it("requires a key column for new rows on a query", () => {
		expect(
			problems({
				...metricMonitor,
				target: { sql: "select 1" },
				condition: { kind: "new_rows" },
			}),
		).toEqual([
			'target.keyColumn: expected a column name: "new_rows" needs the column that identifies a row; got nothing',
		]);
	});

	it("requires the timestamp column for a stale check on a query", () => {
		const [p] = problems({
			...metricMonitor,
			target: { sql: "select 1" },
			condition: { kind: "stale", amount: 2, unit: "days" },
		});
		expect(p).toMatch(/^condition\.column: expected the timestamp column/);
	});

	it("rejects a snooze that is not an ISO date-time", () => {
		const [p] = problems({ ...metricMonitor, snoozedUntil: "tomorrow" });
		expect(p).toBe(
			'snoozedUntil: expected an ISO-8601 date-time such as "2025-03-01T09:00:00Z"; got "tomorrow" (string)',
		);
	});
});
