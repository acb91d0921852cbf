import { describe, expect, it } from "vitest";
import {
	changeText,
	composeDigest,
	type DigestData,
	dayLabel,
} from "../../src/digest/compose.ts";

const base: DigestData = {
	week: { start: "2026-10-19", end: "2026-10-25" },
	dataThrough: "2026-10-31",
	stale: [],
	kpis: [
		{
			metric: "revenue",
			label: "Revenue",
			current: "$260,704",
			changePct: 14.06,
			yoyPct: -2,
			changeUnit: "%",
			missing: null,
		},
		{
			metric: "margin_pct",
			label: "Margin %",
			current: "28.9%",
			changePct: -1.25,
			yoyPct: 0,
			changeUnit: "pp",
			missing: null,
		},
		{
			metric: "gross_margin",
			label: "Gross margin",
			current: "n/a",
			changePct: null,
			yoyPct: null,
			changeUnit: "%",
			missing: "no cost data",
		},
	],
	movers: [
		{
			dimension: "region",
			member: "East",
			change: "+$25,043",
			changePct: 208.3,
			up: true,
		},
	],
	alerts: [
		{
			monitor: "Gross margin West",
			severity: "high",
			message: "margin 13.8% is below 28%",
			detectedAt: "2026-10-24T09:00:00Z",
			feedback: "real",
			acknowledgedBy: "ana",
		},
		{
			monitor: "Revenue WoW",
			severity: "medium",
			message: "revenue fell 16%",
			detectedAt: "2026-10-22T09:00:00Z",
			feedback: null,
			acknowledgedBy: "ben",
		},
	],
	atRisk: [
		{
			material: "ITM-10481",
			description: "Nitrile gloves",
			onHand: "0",
			onOrder: "600",
			position: "600",
			reorderPoint: "620",
			daysOfCover: 0,
		},
	],
	notes: ["segment: segments not computed yet — run erp-pulse compute"],
};

describe("the weekly digest message", () => {
	it("shows KPIs against last week and last year, movers, the week's alerts with feedback, and items at risk", () => {
		const m = composeDigest(base);
		expect(m.title).toBe("Weekly digest · week of 19 Oct 2026");
		// A report, not an alert: no "Info" badge, no severity colour.
		expect(m.severity).toBeUndefined();
		expect(m.text?.split("\n")).toEqual([
			"*Revenue*: $260,704   ▲ 14.1% vs last week · ▼ 2.0% vs last year",
			"*Margin %*: 28.9%   ▼ 1.3 pp vs last week · ● 0.0 pp vs last year",
			"*Gross margin*: — (no cost data)",
			"",
			"*Top movers* (revenue vs last week)",
			"▲ East (region): +$25,043 (+208%)",
			"",
			"*Alerts this week*: 2 (1 real, 0 false alarms, 1 without feedback)",
			"• [high] Gross margin West: margin 13.8% is below 28% — real issue",
			"• [medium] Revenue WoW: revenue fell 16% — acknowledged by ben",
			"",
			"*Inventory at risk* (at or below reorder point)",
			// Cover counts what is on hand; the position adds what is on order: each figure named.
			"• ITM-10481 Nitrile gloves: 0 on hand (0 days of demand) + 600 on order = position 600, at or below its reorder point 620",
		]);
		expect(m.context).toEqual([
			"19 Oct 2026 – 25 Oct 2026 · data through 31 Oct 2026",
			"segment: segments not computed yet — run erp-pulse compute",
		]);
	});

	it("is skipped with a note, and no figures, when the data is stale", () => {
		const m = composeDigest({
			...base,
			stale: ["demo/order_lines: last data 2026-10-01, allowed 2 days"],
		});
		expect(m.title).toBe("Weekly digest skipped: the data is not fresh");
		expect(m.text).toContain(
			"• demo/order_lines: last data 2026-10-01, allowed 2 days",
		);
		expect(m.text).not.toContain("$260,704");
	});

	it("says so when there is no complete week of data yet", () => {
		const m = composeDigest({
			...base,
			week: null,
			dataThrough: null,
			kpis: [],
		});
		expect(m.text).toContain(
			"There is no complete week of order lines in the warehouse yet.",
		);
		expect(m.context).toEqual(["No data yet"]);
	});

	it("writes changes with arrows, and days as people read them", () => {
		expect(changeText(4.06)).toBe("▲ 4.1%");
		expect(changeText(-0.04)).toBe("● 0.0%");
		expect(changeText(null)).toBe("n/a");
		expect(changeText(Number.POSITIVE_INFINITY)).toBe("n/a");
		expect(changeText(-2.5, "pp")).toBe("▼ 2.5 pp");
		expect(dayLabel("2026-01-05")).toBe("5 Jan 2026");
	});
});
