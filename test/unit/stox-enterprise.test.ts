import { describe, expect, it } from "vitest";
import {
	enterpriseSummary,
	type ItemSummaryInput,
} from "../../src/inventory/enterprise.ts";

const item = (
	n: string,
	over: Partial<ItemSummaryInput> = {},
): ItemSummaryInput => ({
	materialNumber: n,
	currentInventoryValue: 100,
	workingCapital: 50,
	annualCogs: 500,
	unitsDemanded: 10,
	unitsServed: 9,
	...over,
});

describe("enterprise summary", () => {
	it("totals equal the sum of the item values", () => {
		const items = [
			item("A", { currentInventoryValue: 1234.56, workingCapital: 1000.01 }),
			item("B", { currentInventoryValue: 0.44, workingCapital: 0.99 }),
			item("C", {
				currentInventoryValue: 5000,
				workingCapital: null,
				annualCogs: null,
			}),
		];
		const s = enterpriseSummary(items);
		expect(s.totalSkuCount).toBe(3);
		expect(s.totalInventoryValue).toBeCloseTo(1234.56 + 0.44 + 5000, 9);
		expect(s.totalWorkingCapital).toBeCloseTo(1000.01 + 0.99, 9);
	});

	it("takes turnover and service level as ratios of sums, not means of ratios", () => {
		const s = enterpriseSummary([
			item("A", {
				workingCapital: 100,
				annualCogs: 1000,
				unitsDemanded: 90,
				unitsServed: 90,
			}),
			item("B", {
				workingCapital: 900,
				annualCogs: 1000,
				unitsDemanded: 10,
				unitsServed: 0,
			}),
		]);
		// (1000 + 1000) / (100 + 900) = 2; (90 + 0) / (90 + 10) = 0.9
		expect(s.avgTurnoverRatio).toBe(2);
		expect(s.serviceLevelAchievement).toBe(0.9);
		expect(s.reason).toBeNull();
	});

	it("gives zero totals and null ratios, with a reason, for no materials", () => {
		expect(enterpriseSummary([])).toMatchObject({
			totalSkuCount: 0,
			totalInventoryValue: 0,
			avgTurnoverRatio: null,
			serviceLevelAchievement: null,
		});
		expect(enterpriseSummary([]).reason).toMatch(/^no materials/);
	});
});
