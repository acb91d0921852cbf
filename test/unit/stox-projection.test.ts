import { describe, expect, it } from "vitest";
import type { DemandForecast } from "../../src/inventory/forecast/select.ts";
import {
	projectInventory,
	projectMaterial,
} from "../../src/inventory/projection.ts";

const weeks = [
	"2024-01-01",
	"2024-01-08",
	"2024-01-15",
	"2024-01-22",
	"2024-01-29",
	"2024-02-05",
];
const sevens = weeks.map(() => 7);

/** A flat forecast of 10 units a week with a 95 % interval of 4 … 16. */
const flat10: DemandForecast = {
	method: "sba",
	demandClass: "intermittent",
	points: weeks.map(() => ({ mean: 10, lower: 4, upper: 16 })),
	level: 0.95,
	ets: null,
	croston: null,
	reason: null,
};

describe("projected inventory", () => {
	it("orders an EOQ when the position reaches the reorder point and receives it after the lead time", () => {
		// Start 30 on hand + 5 on order = 35; lead time 10 days → ⌈10/7⌉ = 2 weeks.
		// w1: 35 − 10 = 25, position 25 ≤ ROP 25 → order 40, due w3
		// w2: 15 (position 55)   w3: 15 + 40 − 10 = 45   w4: 35
		// w5: 25 → position 25 ≤ 25 → order 40 (due after the horizon)   w6: 15
		const p = projectInventory(flat10, weeks, sevens, {
			onHand: 30,
			onOrder: 5,
			eoq: 40,
			reorderPoint: 25,
			leadTimeDays: 10,
		});
		expect(p.rows.map((r) => r.projectedInventoryLevel)).toEqual([
			25, 15, 45, 35, 25, 15,
		]);
		expect(p.rows.map((r) => r.projectedOrders)).toEqual([40, 0, 0, 0, 40, 0]);
		expect(p.stockoutDate).toBeNull();
		expect(p.rows[0]).toMatchObject({
			projectionDate: "2024-01-01",
			projectedDemand: 10,
			projectedDemandLower: 4,
			projectedDemandUpper: 16,
			confidenceInterval: 6,
			intervalLevelPct: 95,
			forecastMethod: "sba",
			projectedStockout: false,
		});
		expect(p.reason).toBeNull();
	});

	it("flags only the first period that runs out when no orders can be planned", () => {
		const p = projectInventory(flat10, weeks, sevens, {
			onHand: 15,
			onOrder: 0,
			eoq: 40,
			reorderPoint: null,
			leadTimeDays: null,
		});
		expect(p.rows.map((r) => r.projectedInventoryLevel)).toEqual([
			5, -5, -15, -25, -35, -45,
		]);
		expect(p.rows.map((r) => r.projectedStockout)).toEqual([
			false,
			true,
			false,
			false,
			false,
			false,
		]);
		// The second week starts with 5 units and sells 10 a week (10/7 a day): out on its day 3.
		expect(p.stockoutDate).toBe("2024-01-11");
		expect(p.reason).toBe("no reorder point: no orders planned");
	});

	it("orders enough to cover one period above the reorder point when there is no EOQ", () => {
		const p = projectInventory(flat10, weeks.slice(0, 1), [7], {
			onHand: 35,
			onOrder: 0,
			eoq: null,
			reorderPoint: 25,
			leadTimeDays: 14,
		});
		// 35 − 10 = 25 ≤ 25 → order 25 − 25 + 10 = 10
		expect(p.rows[0]?.projectedOrders).toBe(10);
		expect(p.reason).toMatch(/no EOQ/);
	});

	it("orders several EOQs when one would not lift the position above the reorder point", () => {
		const p = projectInventory(flat10, weeks.slice(0, 1), [7], {
			onHand: 0,
			onOrder: 0,
			eoq: 40,
			reorderPoint: 75,
			leadTimeDays: 7,
		});
		// position −10; 75 − (−10) = 85 → ⌊85/40⌋ + 1 = 3 EOQs = 120
		expect(p.rows[0]?.projectedOrders).toBe(120);
	});

	it("receives at once with a zero lead time and takes negative stock as zero", () => {
		const p = projectInventory(flat10, weeks.slice(0, 1), [7], {
			onHand: -3,
			onOrder: 0,
			eoq: 40,
			reorderPoint: 5,
			leadTimeDays: 0,
		});
		expect(p.rows[0]?.projectedInventoryLevel).toBe(30);
		expect(p.reason).toMatch(/on hand missing or negative/);
	});
});

describe("projecting a material from its daily demand", () => {
	it("buckets three years into months, forecasts the next 12 and projects the stock", () => {
		// 2021-01-01 … 2023-12-31 (1095 days): 3 a day in January, March, …, November; 5 a day in the other months.
		const first = Date.UTC(2021, 0, 1);
		const daily = Array.from({ length: 1095 }, (_, i) =>
			new Date(first + i * 86_400_000).getUTCMonth() % 2 === 0 ? 3 : 5,
		);
		const p = projectMaterial({
			daily,
			firstDay: "2021-01-01",
			granularity: "month",
			horizon: 12,
			intervalLevel: 0.95,
			onHand: 200,
			onOrder: 0,
			eoq: 300,
			reorderPoint: 150,
			leadTimeDays: 20,
		});
		expect(p.rows).toHaveLength(12);
		expect(p.rows[0]?.projectionDate).toBe("2024-01-01");
		expect(p.rows[11]?.projectionDate).toBe("2024-12-01");
		expect(p.forecast.method).toBe("holt_winters");
		for (const r of p.rows) {
			expect(Number.isFinite(r.projectedInventoryLevel)).toBe(true);
			expect(r.intervalLevelPct).toBe(95);
		}
		expect(p.rows.some((r) => r.projectedOrders > 0)).toBe(true);
	});

	it("projects zero demand, with reasons, for a material with no history", () => {
		const p = projectMaterial({
			daily: [],
			firstDay: "2024-01-01",
			granularity: "week",
			horizon: 3,
			intervalLevel: 0.8,
			onHand: 5,
			onOrder: 0,
			eoq: null,
			reorderPoint: null,
			leadTimeDays: null,
		});
		expect(p.rows.map((r) => r.projectedInventoryLevel)).toEqual([5, 5, 5]);
		expect(p.rows.map((r) => r.forecastMethod)).toEqual([
			"none",
			"none",
			"none",
		]);
		expect(p.reason).toMatch(/no demand history/);
		expect(p.stockoutDate).toBeNull();
	});
});
