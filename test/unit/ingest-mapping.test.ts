import { describe, expect, it } from "vitest";
import type { AppError } from "../../src/errors.ts";
import {
	type EntityMapping,
	evaluate,
	mapRow,
	resolveColumns,
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
		expect(mapRow(m, row, 1)).toEqual({
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
