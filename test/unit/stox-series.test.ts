import { describe, expect, it } from "vitest";
import {
	dailyDemand,
	dailyStock,
	onOrderSince,
} from "../../src/inventory/series.ts";

describe("laying out a material's sparse history day by day", () => {
	it("puts demand on its days and zeros everywhere else", () => {
		expect(dailyDemand(5, [0, 3], [2, 7])).toEqual([2, 0, 0, 7, 0]);
	});

	it("gives all zeros when the material sold nothing", () => {
		expect(dailyDemand(3, null, null)).toEqual([0, 0, 0]);
	});

	it("ignores demand outside the window", () => {
		expect(dailyDemand(2, [-1, 1, 2], [5, 3, 9])).toEqual([0, 3]);
	});

	it("holds a weekly snapshot until the day before the next one", () => {
		const stock = {
			offsets: [0, 7],
			warehouses: ["W", "W"],
			values: [50, 20],
		};
		expect(dailyStock(10, stock)).toEqual([
			50, 50, 50, 50, 50, 50, 50, 20, 20, 20,
		]);
	});

	it("carries a snapshot from before the window into it", () => {
		const stock = { offsets: [-3, 2], warehouses: ["W", "W"], values: [8, 0] };
		expect(dailyStock(4, stock)).toEqual([8, 8, 0, 0]);
	});

	it("leaves days before the first snapshot unknown", () => {
		const stock = { offsets: [2], warehouses: ["W"], values: [5] };
		expect(dailyStock(4, stock)).toEqual([null, null, 5, 5]);
	});

	it("sums warehouses, each carried forward on its own dates", () => {
		const stock = {
			offsets: [0, 2, 1],
			warehouses: ["A", "A", "B"],
			values: [10, 4, 100],
		};
		expect(dailyStock(3, stock)).toEqual([10, 110, 104]);
	});

	it("treats a snapshot without a figure as no data, not as zero", () => {
		const stock = {
			offsets: [0, 1],
			warehouses: ["W", "W"],
			values: [5, null],
		};
		expect(dailyStock(3, stock)).toEqual([5, null, null]);
	});

	it("dates an open order from the first day its quantity was on order", () => {
		expect(onOrderSince([0, 0, 30, 30, 30], "2026-07-01")).toBe("2026-07-03");
	});

	it("dates a changed on-order quantity from the change (a new or part-received order)", () => {
		expect(onOrderSince([20, 20, 30, 30], "2026-07-01")).toBe("2026-07-03");
	});

	it("says nothing is on order when the last day has none or no data", () => {
		expect(onOrderSince([5, 0], "2026-07-01")).toBeNull();
		expect(onOrderSince([5, null], "2026-07-01")).toBeNull();
		expect(onOrderSince([], "2026-07-01")).toBeNull();
	});
});
