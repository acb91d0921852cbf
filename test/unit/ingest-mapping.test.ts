import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AppError } from "../../src/errors.ts";
import {
	type EntityMapping,
	EXPRESSION_FORMS,
	evaluate,
	resolveColumns,
	rowMapper,
} from "../../src/ingest/mapping.ts";
import { loadMapping } from "../../src/ingest/mapping-file.ts";

describe("mapping expressions", () => {
	const row = {
		InvoiceNo: "C536379",
		Quantity: "-1",
		UnitPrice: "27.50",
		CustomerID: "14527.0",
		First: "Ann",
		Last: null,
	};

	it("computes exact products, prefix tests, casts and concatenation", () => {
		expect(evaluate({ multiply: ["Quantity", "UnitPrice"] }, row, 1)).toBe(
			"-27.50",
		);
		expect(evaluate({ startsWith: "InvoiceNo", prefix: "C" }, row, 1)).toBe(
			true,
		);
		expect(evaluate({ column: "CustomerID", cast: "int" }, row, 1)).toBe(
			"14527",
		);
		expect(evaluate({ concat: ["First", "Last"], sep: " " }, row, 1)).toBe(
			"Ann",
		);
		expect(evaluate({ coalesce: ["Last", { const: "n/a" }] }, row, 1)).toBe(
			"n/a",
		);
		expect(
			evaluate({ equals: "InvoiceNo", value: ["X", "C536379"] }, row, 1),
		).toBe(true);
		expect(evaluate({ recordNumber: true }, row, 17)).toBe(17);
		expect(evaluate({ column: "Missing", default: "?" }, row, 1)).toBe("?");
	});

	it("maps a whole row to canonical names", () => {
		const m: EntityMapping = {
			from: { table: "t" },
			columns: {
				order_number: "InvoiceNo",
				net_sales: { multiply: ["Quantity", "UnitPrice"] },
			},
		};
		expect(rowMapper(m)(row, 1)).toEqual({
			order_number: "C536379",
			net_sales: "-27.50",
		});
	});

	it("matches source columns ignoring case, and names the ones that are missing", () => {
		const m: EntityMapping = {
			from: { table: "SLS" },
			watermark: { column: "PostedAt" },
			columns: {
				order_number: "InvoiceNo",
				net_sales: { multiply: ["Qty", "Price"] },
			},
		};
		const resolved = resolveColumns("order_lines", m, [
			"invoiceno",
			"qty",
			"price",
			"postedat",
		]);
		expect(resolved.columns).toEqual({
			order_number: "invoiceno",
			net_sales: { multiply: ["qty", "price"] },
		});
		expect(resolved.watermark?.column).toBe("postedat");
		const err = (() => {
			try {
				resolveColumns("order_lines", m, ["InvoiceNo", "PostedAt", "Qty"]);
			} catch (e) {
				return e as AppError;
			}
		})();
		expect(err?.code).toBe("mapping_invalid");
		expect(err?.message).toBe(
			'Mapping for order_lines: column "Price" not found in SLS (it has InvoiceNo, PostedAt, Qty).',
		);
	});
});

describe("mapping files", () => {
	it("loads the shipped demo mappings, the CSV one extending the SQL one", () => {
		const sql = loadMapping("demo-erp");
		const csv = loadMapping("demo-erp-csv");
		expect(Object.keys(sql.entities)).toHaveLength(7);
		expect(csv.entities.order_lines?.from).toEqual({
			table: "SLS_INVOICE_EXPORT",
		});
		expect(csv.entities.order_lines?.columns).toEqual(
			sql.entities.order_lines?.columns,
		);
		expect(csv.entities.customers).toEqual(sql.entities.customers);
	});

	it("refuses a mapping that targets a column the entity does not have", async () => {
		const { mkdtempSync, writeFileSync } = await import("node:fs");
		const { tmpdir } = await import("node:os");
		const file = `${mkdtempSync(`${tmpdir()}/map-`)}/bad.yaml`;
		writeFileSync(
			file,
			"entities:\n  customers:\n    from: {table: C}\n    columns: {customer: Id, colour: Colour}\n",
		);
		expect(() => loadMapping(file)).toThrow(
			'entities.customers.columns.colour: customers has no column "colour"',
		);
	});
});

describe("a malformed mapping expression says what it should look like", () => {
	/** The message of a mapping whose net_sales is `expression` (YAML). */
	function messageFor(expression: string): string {
		const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-mapping-"));
		const file = path.join(dir, "m.yaml");
		writeFileSync(
			file,
			`entities:\n  order_lines:\n    from: {table: t}\n    columns: {order_number: A, line_number: B, posting_date: D, net_sales: ${expression}}\n`,
		);
		try {
			loadMapping(file);
			return "(loaded)";
		} catch (err) {
			return (err as AppError).message;
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}
	const at = "entities.order_lines.columns.net_sales: ";

	it("names the expression it looks like and shows that expression's right form", () => {
		expect(messageFor("{subtract: Quantity}")).toContain(
			`${at}malformed {subtract: …} expression {"subtract":"Quantity"}: write it as {subtract: [Gross, Discount]}`,
		);
		expect(messageFor("{multiply: [A]}")).toContain(
			`${at}malformed {multiply: …} expression {"multiply":["A"]}: write it as {multiply: [Quantity, UnitPrice]}`,
		);
		expect(messageFor("{column: X, cast: float}")).toContain(
			`${at}malformed {column: …} expression {"column":"X","cast":"float"}: write it as {column: CustNo, trim: true, upper: true, cast: int, map: {Y: true}, default: 0} (cast is text, int or number`,
		);
		expect(messageFor("{startsWith: InvoiceNo}")).toContain(
			"write it as {startsWith: InvoiceNo, prefix: C}",
		);
		expect(messageFor("{equals: DocType}")).toContain(
			"write it as {equals: DocType, value: CRN}",
		);
		expect(messageFor("{recordNumber: yes}")).toContain(
			"write it as {recordNumber: true}",
		);
	});

	it("lists every form for an unknown expression or a value of the wrong kind", () => {
		const unknown = messageFor("{minus: [A, B]}");
		expect(unknown).toContain(
			`${at}unknown expression {minus}: expected a source column name, or one of`,
		);
		for (const example of Object.values(EXPRESSION_FORMS))
			expect(unknown).toContain(example);
		expect(messageFor("[A, B]")).toContain(
			`${at}expected a source column name, or one of`,
		);
		expect(messageFor("[A, B]")).toMatch(/; got \["A","B"\]$/m);
		expect(messageFor("''")).toContain(`${at}a column name cannot be empty`);
		expect(messageFor("{multiply: [A, B]}")).toBe("(loaded)");
	});
});

describe("every mapping error says what was wrong and what to write instead", () => {
	/** The message loading `yaml` as a mapping file gives (files beside it from `others`). */
	function messageFor(
		yaml: string,
		others: Record<string, string> = {},
	): string {
		const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-mapping-"));
		const file = path.join(dir, "m.yaml");
		writeFileSync(file, yaml);
		for (const [name, text] of Object.entries(others))
			writeFileSync(path.join(dir, name), text);
		try {
			loadMapping(file);
			return "(loaded)";
		} catch (err) {
			return (err as AppError).message.replaceAll(dir, "<dir>");
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}
	const cases: [string, string, string][] = [
		[
			"an entity that does not exist",
			"entities:\n  invoices:\n    from: {table: t}\n    columns: {a: b}\n",
			'entities: unknown entity "invoices"; the entities are branches, salespeople, customers, materials, order_lines, stock_levels, quotes',
		],
		[
			"a misspelt key",
			"entites:\n  customers: {}\n",
			'(top level): unknown key "entites" (did you mean "entities"?); allowed here: extends, description, entities',
		],
		[
			"a misspelt key in an entity",
			"entities:\n  customers:\n    from: {table: C}\n    colums: {customer: Id}\n",
			'entities.customers: unknown key "colums" (did you mean "columns"?); allowed here: from, watermark, only, columns',
		],
		[
			"a from that is neither a table nor a select",
			"entities:\n  customers:\n    from: {tabel: C}\n    columns: {customer: Id}\n",
			'entities.customers.from: expected one of {table: SLS_INVOICE_LIN} or {select: "SELECT … FROM …"}; got {"tabel":"C"}',
		],
		[
			"columns given as a list",
			"entities:\n  customers:\n    from: {table: C}\n    columns: [customer, Id]\n",
			'entities.customers.columns: expected a map of canonical column to source column, e.g. {customer: CustNo, customer_name: CustName}; got ["customer","Id"]',
		],
		[
			"a canonical column the entity does not have",
			"entities:\n  customers:\n    from: {table: C}\n    columns: {customer: Id, colour: C}\n",
			'entities.customers.columns.colour: customers has no column "colour"',
		],
		[
			"a natural key left unmapped",
			"entities:\n  customers:\n    from: {table: C}\n    columns: {customer_name: N}\n",
			'entities.customers.columns: the natural key column "customer" is not mapped; map it to the source column that identifies a row, e.g. customer: CustNo',
		],
		[
			"an overlap that is not a duration",
			"entities:\n  order_lines:\n    from: {table: t}\n    watermark: {column: D, overlap: soon}\n    columns: {order_number: A, line_number: B, posting_date: D, net_sales: E}\n",
			'entities.order_lines.watermark.overlap: expected a duration like "2 days" or "6 hours"',
		],
		[
			"a malformed only filter",
			"entities:\n  customers:\n    from: {table: C}\n    only: {present: }\n    columns: {customer: Id}\n",
			'entities.customers.only: malformed {present: …} expression {"present":null}: write it as {present: CustomerID}',
		],
		[
			"a file that is not YAML",
			"entities: [1,\n",
			"Mapping <dir>/m.yaml is not valid YAML: ",
		],
		[
			"an extends that names no file",
			"extends: ./base.yaml\nentities: {}\n",
			'Mapping "<dir>/base.yaml" (extended by <dir>/m.yaml) ',
		],
		[
			"an extends chain that loops",
			"extends: ./b.yaml\nentities: {}\n",
			"Mapping <dir>/m.yaml extends itself (<dir>/m.yaml → <dir>/b.yaml → <dir>/m.yaml).",
		],
	];
	for (const [what, yaml, message] of cases)
		it(`explains ${what}`, () => {
			expect(
				messageFor(yaml, { "b.yaml": "extends: ./m.yaml\nentities: {}\n" }),
			).toContain(message);
		});

	it("reads an extends path beside the file that extends, not beside the working folder", () => {
		expect(
			messageFor("extends: ./base.yaml\nentities: {}\n", {
				"base.yaml":
					"entities:\n  customers:\n    from: {table: C}\n    columns: {customer: Id}\n",
			}),
		).toBe("(loaded)");
	});

	it("names a missing source column and, for a mapped date, the dateFormat that reads it (see the ingest tests)", () => {
		expect(() =>
			resolveColumns(
				"customers",
				{
					from: { table: "C" },
					columns: { customer: "CustNo" },
				} as EntityMapping,
				["CustomerId"],
			),
		).toThrow(/CustNo/);
	});
});
