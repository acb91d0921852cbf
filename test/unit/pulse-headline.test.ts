import { describe, expect, it } from "vitest";
import { evaluateCondition } from "../../src/pulse/evaluate.ts";
import { formatNumber, formatPercent } from "../../src/pulse/format.ts";
import { periodName, seriesHeadline } from "../../src/pulse/headline.ts";
import type { EvaluationInput } from "../../src/pulse/input.ts";
import type { Condition } from "../../src/pulse/model.ts";

const now = new Date("2026-11-15T12:00:00Z");

/** Twelve monthly points from November 2025 to October 2026. */
function months(values: number[]): { period: string; value: number }[] {
	return values.map((value, i) => {
		const m = 10 + i; // November 2025 is month index 10 of 2025
		const year = 2025 + Math.floor(m / 12);
		const month = String((m % 12) + 1).padStart(2, "0");
		return { period: `${year}-${month}-01`, value };
	});
}

function headline(condition: Condition, input: EvaluationInput) {
	return seriesHeadline(condition, input, evaluateCondition(condition, input));
}

const percent: Omit<EvaluationInput, "series"> = {
	now,
	grain: "month",
	label: "margin % (region West)",
	formatValue: formatPercent,
	unit: "percent",
};

describe("the manager's sentence for a metric monitor", () => {
	it("names each period by its name", () => {
		expect(periodName("2026-10-01", "month")).toBe("October 2026");
		expect(periodName("2026-10-26", "week")).toBe(
			"the week of 26 October 2026",
		);
		expect(periodName("2026-11-06", "day")).toBe("6 November 2026");
	});

	it("a threshold: the value, its period, the gap to the limit in points, and the median before", () => {
		// Eleven months before October: 27, 28, …, 37 → median 32 (the sixth of eleven).
		const series = months([27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 13.8]);
		const h = headline(
			{ kind: "threshold", operator: "<", value: 28 },
			{ ...percent, series },
		);
		expect(h).toEqual({
			headline:
				"Margin % (region West) stood at 13.8% in October 2026, 14.2 points below the 28% limit; its median over the 11 months before was 32%",
			observed: "13.8% in October 2026",
		});
	});

	it("a threshold in money: whole units, the gap in the currency", () => {
		const series = months([
			1000.4, 1200.6, 900, 1100, 1050, 980, 1010, 1020, 990, 1005, 1015,
			2500.75,
		]);
		const h = headline(
			{ kind: "threshold", operator: ">", value: 2000 },
			{
				now,
				grain: "month",
				label: "inventory value",
				formatValue: (v) => `${formatNumber(v)} USD`,
				unit: "currency",
				series,
			},
		);
		// 2,500.75 rounds to 2,501; 500.75 above the limit rounds to 501; sorted earlier values:
		// 900, 980, 990, 1000.4, 1005, 1010, 1015, 1020, 1050, 1100, 1200.6 → median 1010.
		expect(h?.headline).toBe(
			"Inventory value stood at 2,501 USD in October 2026, 501 USD above the 2,000 USD limit; its median over the 11 months before was 1,010 USD",
		);
	});

	it("a week-over-week fall: the percentage, both weeks by their Monday, and the rule", () => {
		const series = [
			{ period: "2026-10-12", value: 250_000 },
			{ period: "2026-10-19", value: 260_703.99 },
			{ period: "2026-10-26", value: 226_177.4 },
		];
		const h = headline(
			{
				kind: "change",
				period: "week_over_week",
				direction: "down",
				percent: 10,
			},
			{
				now,
				grain: "week",
				label: "revenue",
				formatValue: (v) => `${formatNumber(v)} USD`,
				unit: "currency",
				series,
			},
		);
		// (226,177.4 − 260,703.99) / 260,703.99 = −13.24%.
		expect(h).toEqual({
			headline:
				"Revenue fell 13.2% in the week of 26 October 2026, from 260,704 USD in the week of 19 October 2026 to 226,177 USD; the alert is for a 10% fall or more",
			observed: "−13.2% in the week of 26 October 2026",
		});
	});

	it("a year-over-year change compares with the same month a year earlier, not the month before", () => {
		const series = months([100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).concat([
			{ period: "2026-11-01", value: 150 },
		]);
		const h = headline(
			{
				kind: "change",
				period: "year_over_year",
				direction: "up",
				percent: 20,
			},
			{ now, grain: "month", label: "orders", unit: "count", series },
		);
		expect(h?.headline).toBe(
			"Orders rose 50% in November 2026, from 100 in November 2025 to 150; the alert is for a 20% rise or more",
		);
	});

	it("an anomaly: the value, what its history points to, and how far off, with the z-score", () => {
		// Twelve earlier months alternating 30 and 32: median 31, MAD 1 → scale 1.4826;
		// 12 is 19 below: z = −19 / 1.4826 = −12.8.
		const earlier = Array.from({ length: 12 }, (_, i) => ({
			period: `${i < 3 ? 2025 : 2026}-${String(((i + 9) % 12) + 1).padStart(2, "0")}-01`,
			value: i % 2 ? 32 : 30,
		}));
		const series = [...earlier, { period: "2026-10-01", value: 12 }];
		const h = headline(
			{
				kind: "anomaly",
				sensitivity: "medium",
				direction: "down",
				seasonal: false,
			},
			{ now, grain: "month", label: "new customers", unit: "count", series },
		);
		expect(h).toEqual({
			headline:
				"New customers stood at 12 in October 2026, 19 below the 31 its history points to: unusually low (robust z-score -12.8)",
			observed: "12 in October 2026 (about 31 expected)",
		});
	});

	it("says nothing it cannot stand behind: no series, no value, or an error", () => {
		const c: Condition = { kind: "threshold", operator: "<", value: 28 };
		expect(headline(c, { ...percent, series: [] })).toBeNull();
		expect(
			headline(c, {
				...percent,
				series: [{ period: "2026-10-01", value: null }],
			}),
		).toBeNull();
		expect(headline(c, { now, rows: [{ v: 1 }], valueColumn: "v" })).toBeNull();
	});
});
