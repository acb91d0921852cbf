import { describe, expect, it } from "vitest";
import { columnsRead, columnUsage } from "../../src/metrics/usage.ts";

describe("which warehouse columns the catalog reads", () => {
	const usage = columnUsage();

	it("finds each metric's columns in the SQL it builds, generated columns read as what they are computed from", () => {
		expect(usage.get("transaction_data.net_sales")).toContain("revenue");
		expect(usage.get("transaction_data.total_cogs")).toEqual(["cogs"]);
		// orders count lines where is_order, which is computed from is_cancellation and net_sales.
		expect(usage.get("transaction_data.is_cancellation")).toContain("orders");
		expect(usage.get("stox_material_master.unit_cost")).toEqual([
			"inventory_value",
		]);
		expect(usage.get("transaction_data.unit_price")).toBeUndefined();
	});

	it("names the breakdowns that select a column", () => {
		expect(usage.get("transaction_data.region")).toEqual(["by region"]);
		expect(usage.get("customer_master.region")).toEqual(["by region"]);
	});

	it("resolves aliases from the statement's own from and join clauses only", () => {
		expect([
			...columnsRead(
				"select t.net_sales, x.y from transaction_data t join customer_master c on c.customer = t.customer",
			),
		]).toEqual([
			"transaction_data.net_sales",
			"customer_master.customer",
			"transaction_data.customer",
		]);
	});
});
