import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseQuery, QUERY_CATEGORIES } from "../../src/library/header.ts";
import { loadQueryLibrary } from "../../src/library/library.ts";
import { bindParams } from "../../src/library/params.ts";
import { sqlDir } from "../../src/paths.ts";

const SAMPLE = `-- title: Top things
-- description: The best things,
-- description: by revenue.
-- category: revenue
-- param: since date = 1900-01-01 | First day included
-- param: limit int(1..100) = 20 | Rows to show
-- param: region text = null | Only this region
-- param: min number = 0 | Smallest amount
-- param: product text | The product
select to_char(t.posting_date, 'HH24:MI') as at, t.net_sales::text, ':not_a_param' as s -- :neither
from transaction_data t
where t.posting_date >= :since and (:region is null or t.region = :region)
	and t.net_sales >= :min and t.material_number = :product
limit :limit;
`;

describe("library query headers", () => {
	const q = parseQuery("top-things", SAMPLE);

	it("reads title, description, category and typed parameters with defaults", () => {
		expect(q).toMatchObject({
			name: "top-things",
			title: "Top things",
			description: "The best things, by revenue.",
			category: "revenue",
		});
		expect(q.params).toEqual([
			{
				name: "since",
				type: "date",
				default: "1900-01-01",
				description: "First day included",
			},
			{
				name: "limit",
				type: "int",
				default: "20",
				min: 1,
				max: 100,
				description: "Rows to show",
			},
			{
				name: "region",
				type: "text",
				default: null,
				description: "Only this region",
			},
			{
				name: "min",
				type: "number",
				default: "0",
				description: "Smallest amount",
			},
			{
				name: "product",
				type: "text",
				default: undefined,
				description: "The product",
			},
		]);
	});

	it("turns :name placeholders into typed $n parameters, leaving casts, strings and comments alone", () => {
		expect(q.order).toEqual(["since", "region", "min", "product", "limit"]);
		expect(q.text).toContain("t.posting_date >= $1::date");
		expect(q.text).toContain("($2::text is null or t.region = $2::text)");
		expect(q.text).toContain("t.net_sales >= $3::numeric");
		expect(q.text).toContain("limit $5::int");
		expect(q.text).toContain("'HH24:MI'");
		expect(q.text).toContain("t.net_sales::text");
		expect(q.text).toContain("':not_a_param'");
		expect(q.text).toContain("-- :neither");
		expect(q.text.endsWith(";")).toBe(false);
	});

	it("fails at load on an undeclared placeholder, an unused parameter or an unknown category", () => {
		const head = "-- title: T\n-- description: D\n-- category: revenue\n";
		expect(() => parseQuery("a", `${head}select :x`)).toThrow(
			"sql/library/a.sql: placeholder :x is not declared in the header",
		);
		expect(() =>
			parseQuery("b", `${head}-- param: x int = 1\nselect 1`),
		).toThrow("declared but unused: x");
		expect(() =>
			parseQuery(
				"c",
				"-- title: T\n-- description: D\n-- category: astrology\nselect 1",
			),
		).toThrow(/unknown category "astrology"/);
		expect(() => parseQuery("d", "-- title: T\nselect 1")).toThrow(
			'header has no "-- description:" line',
		);
	});
});

describe("library query parameters", () => {
	const q = parseQuery("top-things", SAMPLE);

	it("applies defaults and types the values in placeholder order", () => {
		expect(bindParams(q, { product: "P1" })).toEqual([
			"1900-01-01",
			null,
			0,
			"P1",
			20,
		]);
		expect(
			bindParams(q, {
				product: "P1",
				limit: "5",
				region: "North",
				min: "2.5",
				since: "2024-02-29",
			}),
		).toEqual(["2024-02-29", "North", 2.5, "P1", 5]);
	});

	it("names the parameter and what it expects when a value is wrong or missing", () => {
		expect(() => bindParams(q, { product: "P1", limit: "abc" })).toThrow(
			'parameter "limit" expects a whole number from 1 to 100, got "abc"',
		);
		expect(() => bindParams(q, { product: "P1", limit: "1000" })).toThrow(
			'parameter "limit" expects a whole number from 1 to 100, got "1000"',
		);
		expect(() => bindParams(q, { product: "P1", since: "2023-02-29" })).toThrow(
			'parameter "since" expects a date YYYY-MM-DD from 1900 to 2999, got "2023-02-29"',
		);
		expect(() => bindParams(q, {})).toThrow(
			'parameter "product" is required (text)',
		);
		expect(() => bindParams(q, { product: "P1", colour: "red" })).toThrow(
			'top-things has no parameter "colour"; its parameters are since, limit, region, min, product',
		);
	});

	it("passes text that looks like SQL through as a value", () => {
		const hostile = "'; drop table transaction_data; --";
		expect(bindParams(q, { product: hostile })[3]).toBe(hostile);
	});
});

describe("the shipped query library", () => {
	const lib = loadQueryLibrary(path.join(sqlDir, "library"));

	it("holds at least 30 queries, all parsed, covering every category of the seed", () => {
		expect(lib.queries.length).toBeGreaterThanOrEqual(30);
		const categories = new Set(lib.queries.map((q) => q.category));
		for (const c of [
			"segmentation",
			"revenue",
			"benchmarking",
			"customer-behavior",
			"forecasting",
			"geographic",
			"operational",
			"profitability",
		])
			expect(categories).toContain(c);
		expect(
			[...categories].every((c) =>
				(QUERY_CATEGORIES as readonly string[]).includes(c),
			),
		).toBe(true);
	});

	it("gives every parameter a default, so each query runs as it comes", () => {
		for (const q of lib.queries)
			for (const p of q.params)
				expect(p.default, `${q.name}.${p.name}`).not.toBeUndefined();
	});
});
