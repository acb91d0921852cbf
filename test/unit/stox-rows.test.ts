import { describe, expect, it } from "vitest";
import { parseStoxConfig } from "../../src/inventory/config.ts";
import type { GatheredMaterial } from "../../src/inventory/gather.ts";
import {
	analyseMaterial,
	type MaterialInput,
} from "../../src/inventory/material.ts";
import {
	ACCURACY_REASON,
	daysOfCover,
	materialRows,
} from "../../src/inventory/rows.ts";

const config = parseStoxConfig({});

function gathered(over: Partial<MaterialInput> = {}): GatheredMaterial {
	const daily = Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? 4 : 1));
	return {
		source: "erp",
		onOrderSince: null,
		notes: [],
		input: {
			materialNumber: "M-1",
			daily,
			firstDay: "2026-01-01",
			onHandDaily: daily.map(() => 40),
			currentOnHand: 40,
			onOrder: 0,
			unitCost: 3.335,
			leadTimeDays: 7,
			leadTimeStdDays: null,
			storageCostPct: null,
			orderingCost: null,
			abcClass: "B",
			...over,
		},
	};
}

function rowsOf(m: GatheredMaterial) {
	return materialRows(m, analyseMaterial(m.input, config));
}

const numbers = (row: readonly unknown[]) =>
	row.filter((v): v is number => typeof v === "number");

describe("turning one analysed material into stox_* rows", () => {
	it("keys every row on source and material number", () => {
		const rows = rowsOf(gathered());
		for (const row of [rows.lotSize, rows.safetyStock, rows.workingCapital])
			expect(row.slice(0, 2)).toEqual(["erp", "M-1"]);
		expect(rows.projection.length).toBe(config.projection.horizon);
	});

	it("rounds the values the enterprise sums to cents, the same in the row and the summary", () => {
		const rows = rowsOf(gathered());
		const current = rows.workingCapital[8];
		expect(current).toBe(133.4);
		expect(rows.summary.currentInventoryValue).toBe(current);
		expect(rows.summary.workingCapital).toBe(rows.workingCapital[4]);
	});

	it("says inventory accuracy is not measured on every performance row", () => {
		expect(rowsOf(gathered()).performance.at(-1)).toContain(ACCURACY_REASON);
	});

	it("writes no NaN or infinity for a material that never sold, costs nothing and has no lead time", () => {
		const rows = rowsOf(
			gathered({
				daily: [0],
				firstDay: "2026-04-30",
				onHandDaily: [null],
				currentOnHand: null,
				onOrder: null,
				unitCost: 0,
				leadTimeDays: null,
				abcClass: null,
			}),
		);
		for (const row of [
			rows.lotSize,
			rows.safetyStock,
			rows.reorderPoint,
			rows.annualCost,
			rows.workingCapital,
			rows.performance,
			...rows.projection,
		])
			for (const v of numbers(row)) expect(Number.isFinite(v)).toBe(true);
		expect(rows.lotSize.at(-1)).toMatch(/no demand in the window/);
		expect(rows.safetyStock.at(-1)).toMatch(/no ABC class/);
		expect(rows.reorderPoint.at(-1)).toMatch(/lead time missing/);
	});

	it("gives no days of cover without demand or without a stock figure", () => {
		expect(daysOfCover(10, 0)).toBeNull();
		expect(daysOfCover(null, 2)).toBeNull();
		expect(daysOfCover(10, 2)).toBe(5);
		expect(daysOfCover(-4, 2)).toBe(0);
	});
});
