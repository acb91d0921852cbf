import { describe, expect, it } from "vitest";
import { reorderMessage, summaryMessage } from "../../commands/stox.ts";
import type { ReorderRow } from "../../src/inventory/report.ts";
import {
	money,
	qty,
	reorderWhy,
	textTable,
} from "../../src/inventory/report-format.ts";

const row = (over: Partial<ReorderRow> = {}): ReorderRow => ({
	source: "erp",
	material_number: "M-1",
	description: "Widget",
	on_hand: 12,
	on_order: 0,
	position: 12,
	reorder_point: 30.4,
	days_of_cover: 2.5,
	lead_time_days: 7,
	on_order_since: null,
	projected_stockout_date: null,
	order_quantity: 120,
	at_reorder_point: true,
	stockout_in_lead_time: false,
	inbound_overdue: false,
	calculation_date: "2026-08-04",
	...over,
});

describe("Stox report text", () => {
	it("right-aligns number columns and left-aligns text", () => {
		expect(
			textTable([
				["name", "n"],
				["a", { n: "1,000" }],
				["bbb", { n: "7" }],
			]),
		).toEqual(["name      n", "a     1,000", "bbb       7"]);
	});

	it("shows missing figures as a dash, never NaN", () => {
		expect(qty(Number.NaN)).toBe("–");
		expect(qty(null)).toBe("–");
		expect(money(null)).toBe("–");
		expect(money("1234.5")).toBe("1,234.50");
	});

	it("says in words why a material is on the reorder list", () => {
		expect(reorderWhy(row())).toBe("at/below ROP");
		expect(
			reorderWhy(
				row({
					at_reorder_point: false,
					inbound_overdue: true,
					on_order_since: "2026-07-19",
					stockout_in_lead_time: true,
					projected_stockout_date: "2026-08-10",
				}),
			),
		).toBe("projected out 2026-08-10; order open since 2026-07-19, late");
	});

	it("prefixes material numbers with their source only when several sources are listed", () => {
		const materials = (rows: ReorderRow[]) =>
			reorderMessage(rows).table?.rows.map((r) => r[0]);
		expect(materials([row()])).toEqual(["M-1"]);
		const two = (materials([row(), row({ source: "erp2" })]) ?? []).join("\n");
		expect(two).toContain("erp:M-1");
		expect(two).toContain("erp2:M-1");
	});

	it("tells the user to compute first when there is no summary yet", () => {
		expect(summaryMessage(null).text).toContain("erp-pulse stox compute");
	});

	it("prints money in the configured currency and says why ABC classes do not cover every material", () => {
		const message = summaryMessage(
			{
				calculation_date: "2026-10-31",
				window_days: 365,
				total_sku_count: 219,
				total_inventory_value: "426533.5",
				total_working_capital: "426680.7",
				avg_turnover_ratio: 2.3,
				service_level_achievement: 98.9,
				reason: null,
				item_rows: 219,
				item_inventory_value: "426533.5",
				item_working_capital: "426680.7",
				excess_value: "164361.26",
				obsolete_value: "76770.16",
				stockout_incidents: 12,
				items_with_stockouts: 11,
				items_at_reorder_point: 6,
				class_a: 86,
				class_b: 58,
				class_c: 47,
			},
			"EUR",
		);
		const fact = (label: string) =>
			message.facts?.find((f) => f.label.startsWith(label))?.value;
		expect(fact("Inventory value")).toBe("€426,533.50");
		expect(fact("Excess stock value")).toBe("€164,361.26");
		expect(message.context).toContain(
			"Note: 28 of the 219 materials have no ABC class: no revenue in the 365-day demand window.",
		);
	});
});
