import { describe, expect, it } from "vitest";
import { parseStoxConfig } from "../../src/inventory/config.ts";
import { enterpriseSummary } from "../../src/inventory/enterprise.ts";
import {
	analyseMaterial,
	type MaterialInput,
} from "../../src/inventory/material.ts";

const config = parseStoxConfig({
	shortageCostPerUnit: 5,
	projection: { granularity: "week", horizon: 8 },
});

/** 10 weeks of a steady seller: 4 units a day, 6 on Mondays; stock drawn down from 300. */
function steady(over: Partial<MaterialInput> = {}): MaterialInput {
	const daily = Array.from({ length: 70 }, (_, i) => (i % 7 === 0 ? 6 : 4));
	let stock = 300;
	const onHandDaily = daily.map((d) => {
		const start = stock;
		stock = stock - d <= 0 ? 300 : stock - d;
		return start;
	});
	return {
		materialNumber: "M-1",
		daily,
		firstDay: "2024-01-01",
		onHandDaily,
		currentOnHand: stock,
		onOrder: 0,
		unitCost: 12,
		leadTimeDays: 7,
		leadTimeStdDays: 1,
		storageCostPct: null,
		orderingCost: null,
		abcClass: "A",
		...over,
	};
}

/** No number anywhere in the result is NaN (AICc may be +Infinity for a fit too short to score). */
function expectNoNaN(value: unknown, path = "result"): void {
	if (typeof value === "number") expect(Number.isNaN(value), path).toBe(false);
	else if (Array.isArray(value))
		for (const [i, v] of value.entries()) expectNoNaN(v, `${path}[${i}]`);
	else if (value && typeof value === "object")
		for (const [k, v] of Object.entries(value)) expectNoNaN(v, `${path}.${k}`);
}

describe("analysing one material", () => {
	it("fills the master's gaps from the config and ties the parts together", () => {
		const a = analyseMaterial(steady(), config);
		expect(a.policy.serviceLevel).toBe(0.98);
		expect(a.policy.lotSize.holdingCostPerUnit).toBe(3); // 25 % of 12
		expect(a.policy.lotSize.orderingCostPerOrder).toBe(50);
		expect(a.cost.shortageCost).not.toBeNull();
		expect(a.capital.basis).toBe("observed");
		expect(a.health.observedFillRate).toBe(1);
		expect(a.projection.rows).toHaveLength(8);
		expect(a.projection.rows[0]?.projectionDate).toBe("2024-03-11");
		expect(a.summary.workingCapital).toBe(a.capital.inventoryValue);
		expectNoNaN(a);
	});

	it("rolls materials up so the item values sum to the enterprise totals", () => {
		const items = [
			analyseMaterial(steady(), config),
			analyseMaterial(
				steady({ materialNumber: "M-2", unitCost: 3.5, currentOnHand: 41 }),
				config,
			),
			analyseMaterial(
				steady({ materialNumber: "M-3", unitCost: null }),
				config,
			),
		].map((a) => a.summary);
		const total = enterpriseSummary(items);
		const sum = (f: (i: (typeof items)[number]) => number | null) =>
			items.reduce((s, i) => s + (f(i) ?? 0), 0);
		expect(total.totalSkuCount).toBe(3);
		expect(total.totalInventoryValue).toBe(sum((i) => i.currentInventoryValue));
		expect(total.totalWorkingCapital).toBe(sum((i) => i.workingCapital));
	});

	const bad: [string, Partial<MaterialInput>, RegExp][] = [
		["no demand", { daily: Array(70).fill(0) }, /no demand in the window/],
		[
			"a zero unit cost",
			{ unitCost: 0 },
			/holding cost per unit is not positive/,
		],
		["a missing lead time", { leadTimeDays: null }, /lead time missing/],
		[
			"a single data point",
			{ daily: [5], onHandDaily: [10] },
			/under two full weeks/,
		],
		[
			"negative values",
			{
				daily: [-5, 3, -1, 4, 4, 4, 4, 4],
				onHandDaily: Array(8).fill(-2),
				currentOnHand: -7,
			},
			/negative or non-numeric/,
		],
		[
			"no stock figures",
			{ onHandDaily: [], currentOnHand: null, onOrder: null },
			/current on hand missing/,
		],
	];
	for (const [name, over, reason] of bad)
		it(`gives fallbacks and a reason, never NaN, for a material with ${name}`, () => {
			const a = analyseMaterial(steady(over), config);
			expect(a.reason).toMatch(reason);
			expectNoNaN(a);
		});
});
