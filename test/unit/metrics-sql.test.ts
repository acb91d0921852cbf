import { describe, expect, it } from "vitest";
import {
	createMetricCatalog,
	DIMENSIONS,
	GRAIN_SQL,
	type Grain,
	membersStatement,
	seriesStatement,
	windowStatement,
} from "../../src/metrics/index.ts";

const catalog = createMetricCatalog();
const HOSTILE = "x'); drop table transaction_data; --";

/** Every SQL fragment a statement may take from the allow-lists. */
const ALLOWED_DIMENSION_SQL = DIMENSIONS.flatMap((d) =>
	Object.values(d.on).map((c) => c?.expr ?? ""),
);

describe("the SQL behind each metric", () => {
	for (const metric of catalog.metrics) {
		for (const grain of metric.grains) {
			it(`${metric.id} by ${grain}: same text whatever the values, every value bound`, () => {
				const a = seriesStatement(metric, {
					grain,
					from: "2024-01-01",
					to: "2025-01-01",
					source: "erp",
				});
				const b = seriesStatement(metric, {
					grain,
					from: "1999-05-01",
					to: "2000-02-01",
					source: HOSTILE,
				});
				expect(b.text).toBe(a.text);
				expect(b.values).toContain(HOSTILE);
				expect(b.text).not.toContain("drop table");
				expect(a.text).toContain(`date_trunc(${GRAIN_SQL[grain].field}`);
				expect(a.text).toMatch(/as period/);
				expect(a.text).toMatch(/as value/);
				expect(a.values.slice(0, 2)).toEqual(["2024-01-01", "2025-01-01"]);
			});
		}

		it(`${metric.id}: a dimension value is bound, never spliced, for each allowed dimension`, () => {
			for (const dimension of metric.dimensions) {
				const spec = {
					grain: metric.defaultGrain,
					from: "2024-01-01",
					to: "2025-01-01",
				};
				const plain = seriesStatement(metric, {
					...spec,
					filter: { dimension, value: "North" },
				});
				const hostile = seriesStatement(metric, {
					...spec,
					filter: { dimension, value: HOSTILE },
				});
				expect(hostile.text).toBe(plain.text);
				expect(hostile.values).toContain(HOSTILE);
				expect(hostile.text).not.toContain(HOSTILE);
				const used = ALLOWED_DIMENSION_SQL.filter((e) =>
					plain.text.includes(`${e} = $`),
				);
				expect(used.length).toBeGreaterThan(0);
			}
		});
	}

	it("refuses a grain that is not in the allow-list", () => {
		const revenue = catalog.get("revenue");
		if (!revenue) throw new Error("no revenue");
		expect(() =>
			seriesStatement(revenue, {
				grain: "year'); drop table x; --" as Grain,
				from: "2024-01-01",
				to: "2025-01-01",
			}),
		).toThrow(/not in the allow-list/);
	});

	it("refuses a dimension the metric's fact does not carry", () => {
		const inventory = catalog.get("inventory_value");
		if (!inventory) throw new Error("no inventory_value");
		expect(() =>
			seriesStatement(inventory, {
				grain: "month",
				from: "2024-01-01",
				to: "2025-01-01",
				filter: { dimension: "salesperson", value: "Ann" },
			}),
		).toThrow(/not available on stock/);
	});

	it("binds the source of the window and members statements too", () => {
		const w = windowStatement("lines", HOSTILE);
		expect(w.text).not.toContain(HOSTILE);
		expect(w.values).toEqual([HOSTILE]);
		const m = membersStatement("lines", "region", {
			from: "2024-01-01",
			to: "2025-01-01",
			source: HOSTILE,
			limit: 5,
		});
		expect(m.text).not.toContain(HOSTILE);
		expect(m.values).toEqual(["2024-01-01", "2025-01-01", 5, HOSTILE]);
	});
});

describe("the catalog", () => {
	it("has every metric the design names, each with a unit and builtFrom of catalog metrics", () => {
		const ids = catalog.metrics.map((m) => m.id);
		for (const id of [
			"revenue",
			"gross_margin",
			"margin_pct",
			"cogs",
			"orders",
			"order_lines",
			"units",
			"active_customers",
			"new_customers",
			"churned_customers",
			"average_order_value",
			"revenue_per_customer",
			"quotes",
			"win_rate",
			"inventory_value",
			"stock_outs",
			"days_on_hand",
			"turnover",
		])
			expect(ids).toContain(id);
		for (const m of catalog.metrics)
			for (const b of m.builtFrom) expect(ids).toContain(b);
	});

	it("tells the correlation engine that revenue is built from customers and orders, and ratios from their parts", () => {
		const meta = catalog.meta();
		expect(meta.revenue?.builtFrom).toEqual(
			expect.arrayContaining(["active_customers", "orders"]),
		);
		expect(meta.average_order_value?.builtFrom).toEqual(["revenue", "orders"]);
		expect(meta.margin_pct?.builtFrom).toEqual(["gross_margin", "revenue"]);
		expect(meta.active_customers).toMatchObject({
			label: "active customers",
			unitNoun: "active customer",
			flow: true,
		});
	});

	it("gives series their units: a currency code, %, or a plural noun", () => {
		const unit = (id: string) => {
			const m = catalog.get(id);
			return m ? catalog.unitOf(m) : "";
		};
		expect(unit("revenue")).toBe("USD");
		expect(unit("margin_pct")).toBe("%");
		expect(unit("orders")).toBe("orders");
		expect(unit("days_on_hand")).toBe("days");
		const eur = createMetricCatalog({ currency: "EUR" });
		const revenue = eur.get("revenue");
		expect(revenue && eur.unitOf(revenue)).toBe("EUR");
	});

	it("rejects a catalog whose builtFrom names a metric it does not hold", () => {
		const revenue = catalog.get("revenue");
		if (!revenue) throw new Error("no revenue");
		expect(() => createMetricCatalog({ metrics: [revenue] })).toThrow(
			/built from unknown active_customers/,
		);
	});
});
