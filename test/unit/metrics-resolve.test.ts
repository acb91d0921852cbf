import { describe, expect, it } from "vitest";
import {
	createMetricCatalog,
	nameKey,
	resolveDimension,
	resolveGrain,
	resolveMetric,
} from "../../src/metrics/index.ts";

const catalog = createMetricCatalog();

function resolved(text: string): string {
	const r = resolveMetric(catalog, text);
	if (!r.ok) throw new Error(r.message);
	return r.value.id;
}

function failure(r: { ok: boolean; message?: string }): string {
	if (r.ok) throw new Error("expected resolution to fail");
	return r.message ?? "";
}

describe("resolving metric names", () => {
	it("finds a metric by id, label or synonym regardless of case, spaces, underscores and plurals", () => {
		expect(resolved("revenue")).toBe("revenue");
		expect(resolved("Revenue")).toBe("revenue");
		expect(resolved("sales")).toBe("revenue");
		expect(resolved("Net Sales")).toBe("revenue");
		expect(resolved("customers")).toBe("active_customers");
		expect(resolved("customer")).toBe("active_customers");
		expect(resolved("active customers")).toBe("active_customers");
		expect(resolved("ACTIVE-CUSTOMERS")).toBe("active_customers");
		expect(resolved("aov")).toBe("average_order_value");
		expect(resolved("margin %")).toBe("margin_pct");
		expect(resolved("gross margin")).toBe("gross_margin");
		expect(resolved("stockouts")).toBe("stock_outs");
		expect(resolved("stock-outs")).toBe("stock_outs");
		expect(resolved("DOH")).toBe("days_on_hand");
		expect(resolved("win rate")).toBe("win_rate");
		expect(resolved("inventory turnover")).toBe("turnover");
	});

	it("answers a typo with did-you-mean instead of guessing", () => {
		const r = resolveMetric(catalog, "revnue");
		expect(failure(r)).toBe("unknown metric 'revnue' — did you mean revenue?");
		expect(r.ok ? [] : r.suggestions).toEqual(["revenue"]);
	});

	it("lists several close matches, best first", () => {
		const message = failure(resolveMetric(catalog, "ordrs"));
		expect(message).toMatch(/^unknown metric 'ordrs' — did you mean orders/);
	});

	it("points to the metric list when nothing is close", () => {
		expect(failure(resolveMetric(catalog, "weather"))).toBe(
			"unknown metric 'weather' — see erp-pulse metric list",
		);
	});

	it("gives every name and synonym to exactly one metric", () => {
		const owners = new Map<string, string>();
		for (const m of catalog.metrics)
			for (const name of [m.id, m.label, ...m.synonyms]) {
				const key = nameKey(name);
				const owner = owners.get(key);
				if (owner && owner !== m.id)
					throw new Error(`"${name}" names both ${owner} and ${m.id}`);
				owners.set(key, m.id);
			}
		expect(owners.size).toBeGreaterThan(catalog.metrics.length * 3);
	});
});

describe("resolving dimensions and grains", () => {
	const revenue = catalog.get("revenue");
	const inventory = catalog.get("inventory_value");

	it("finds a dimension by name or synonym", () => {
		const r = resolveDimension("sales rep", revenue);
		expect(r.ok && r.value.id).toBe("salesperson");
		const c = resolveDimension("Product Category", revenue);
		expect(c.ok && c.value.id).toBe("category");
		const regions = resolveDimension("regions");
		expect(regions.ok && regions.value.id).toBe("region");
	});

	it("names the allowed dimensions when a metric cannot be broken down by the one asked for", () => {
		expect(failure(resolveDimension("salesperson", inventory))).toBe(
			"inventory value cannot be broken down by salesperson; it allows category or material",
		);
	});

	it("names every dimension when the one asked for is unknown", () => {
		expect(failure(resolveDimension("regoin"))).toBe(
			"unknown dimension 'regoin' — did you mean region? dimensions are region, segment, salesperson, branch, category, customer or material",
		);
	});

	it("accepts grains as nouns, plurals and adjectives", () => {
		for (const [text, grain] of [
			["month", "month"],
			["months", "month"],
			["Weekly", "week"],
			["days", "day"],
		] as const) {
			const r = resolveGrain(text);
			expect(r.ok && r.value).toBe(grain);
		}
	});

	it("names the allowed grains for an unknown grain or one a metric lacks", () => {
		expect(failure(resolveGrain("year"))).toBe(
			"unknown grain 'year' — use day, week or month",
		);
		expect(failure(resolveGrain("day", inventory ? [inventory] : []))).toBe(
			"inventory value has no daily figures; use week or month",
		);
	});
});
