import { describe, expect, it } from "vitest";
import { buildCatalog, scaleCounts } from "../../src/demo/catalog.ts";
import {
	historyStart,
	isoOfDay,
	lastFullMonth,
	parseIsoDay,
} from "../../src/demo/dates.ts";
import { repNameKey, repNameVariants } from "../../src/demo/names.ts";

describe("salesperson name variants", () => {
	it("spells one rep the ways an ERP's free-text field gets it", () => {
		expect(repNameVariants("John", "Smith")).toEqual([
			"John Smith",
			"J. Smith",
			"Smith, John",
			"john smith ",
			"JOHN SMITH",
		]);
	});

	it("all variants of a rep share one merge key, and keys are unique across reps", () => {
		for (const v of repNameVariants("Maria", "Garcia"))
			expect(repNameKey(v)).toBe("m garcia");
		const reps = buildCatalog(
			42,
			150_000,
			parseIsoDay("2026-10-31") as number,
		).reps;
		const keys = reps.map((r) => repNameKey(r.name));
		expect(new Set(keys).size).toBe(reps.length);
		expect(reps.length).toBeGreaterThanOrEqual(25);
		expect(reps.length).toBeLessThanOrEqual(40);
		expect(
			reps.some((r) => (r.variantCum[4] ?? 0) > (r.variantCum[0] ?? 0)),
		).toBe(true);
	});
});

describe("catalog", () => {
	const end = parseIsoDay("2026-10-31") as number;

	it("scales customers with the square root of the lines, items more slowly", () => {
		expect(scaleCounts(150_000).customers).toBe(2900);
		expect(scaleCounts(600_000).customers).toBe(5800);
		expect(scaleCounts(150_000).items).toBe(400);
		expect(scaleCounts(10_000_000).items).toBeLessThan(1500);
		expect(scaleCounts(1000).customers).toBeGreaterThanOrEqual(60);
	});

	it("numbers customers and items ERP-style, uniquely, in creation order", () => {
		const c = buildCatalog(42, 150_000, end);
		expect(c.customers).toHaveLength(2900);
		expect(c.customers.every((x) => /^C\d{6}$/.test(x.custNo))).toBe(true);
		expect(new Set(c.customers.map((x) => x.custNo)).size).toBe(2900);
		expect(c.items.every((x) => /^ITM-\d{5}$/.test(x.itemNo))).toBe(true);
		expect(new Set(c.items.map((x) => x.description)).size).toBe(
			c.items.length,
		);
		const created = c.customers.map((x) => x.createdDay);
		expect(created).toEqual([...created].sort((a, b) => a - b));
		expect(c.customers.some((x) => x.churnDay !== null)).toBe(true);
	});

	it("is the same for the same seed and different for another", () => {
		const a = buildCatalog(42, 20_000, end);
		expect(buildCatalog(42, 20_000, end)).toEqual(a);
		expect(
			buildCatalog(43, 20_000, end).customers.map((x) => x.name),
		).not.toEqual(a.customers.map((x) => x.name));
	});
});

describe("calendar helpers", () => {
	it("parses only real dates", () => {
		expect(isoOfDay(parseIsoDay("2024-02-29") as number)).toBe("2024-02-29");
		expect(parseIsoDay("2026-02-30")).toBeUndefined();
		expect(parseIsoDay("2026-1-5")).toBeUndefined();
	});

	it("starts the 12-year history the day after the same date 12 years earlier", () => {
		expect(
			isoOfDay(historyStart(parseIsoDay("2026-10-31") as number, 12)),
		).toBe("2014-11-01");
	});

	it("finds the last full month", () => {
		const month = (iso: string) => {
			const m = lastFullMonth(parseIsoDay(iso) as number);
			return [isoOfDay(m.from), isoOfDay(m.to)];
		};
		expect(month("2026-10-31")).toEqual(["2026-10-01", "2026-10-31"]);
		expect(month("2026-10-15")).toEqual(["2026-09-01", "2026-09-30"]);
		expect(month("2026-03-01")).toEqual(["2026-02-01", "2026-02-28"]);
	});
});
