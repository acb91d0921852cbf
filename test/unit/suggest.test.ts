import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
	type SourceColumn,
	type SourceTable,
	suggestMapping,
} from "../../src/ingest/suggest/index.ts";
import { ident } from "../../src/ingest/suggest/join.ts";
import { nameScore } from "../../src/ingest/suggest/match.ts";
import { observe } from "../../src/ingest/suggest/observe.ts";
import { VOCABULARY } from "../../src/ingest/suggest/vocabulary.ts";
import {
	suggestionYaml,
	yamlScalar,
	yamlSpec,
} from "../../src/ingest/suggest/yaml.ts";

/** A column as a profile would describe it, from its values. */
function col(name: string, values: (string | number | null)[]): SourceColumn {
	const present = values.filter((v) => v !== null);
	const sorted = [...present].sort((a, b) =>
		typeof a === "number" && typeof b === "number"
			? a - b
			: String(a).localeCompare(String(b)),
	);
	return {
		name,
		type: "TEXT",
		nulls: values.length - present.length,
		distinct: new Set(present).size,
		distinctExact: true,
		min: sorted[0] ?? null,
		max: sorted.at(-1) ?? null,
		samples: values,
	};
}

function table(
	name: string,
	cols: Record<string, (string | number | null)[]>,
): SourceTable {
	const columns = Object.entries(cols).map(([n, v]) => col(n, v));
	return { name, rows: columns[0]?.samples.length ?? 0, columns };
}

describe("reading a column's values", () => {
	it("tells ISO dates, dates needing a format, whole numbers written as floats, flags and text apart", () => {
		expect(
			observe(col("d", ["2024-01-31", "2024-02-01 08:00:00"]), 2).shape,
		).toBe("date");
		const german = observe(col("d", ["31.01.2024", "01.02.2024"]), 2);
		expect(german).toMatchObject({ shape: "date", dateFormats: ["D.M.YYYY"] });
		// 1/2/2024 reads either way; 13/2/2024 only day first.
		expect(observe(col("d", ["1/2/2024", "13/2/2024"]), 2).dateFormats).toEqual(
			["D/M/YYYY"],
		);
		expect(observe(col("id", ["17850.0", "13047.0"]), 2)).toMatchObject({
			shape: "integer",
			floatIds: true,
		});
		expect(observe(col("p", ["2.55", "3"]), 2).shape).toBe("number");
		expect(observe(col("f", ["Y", "N", "Y"]), 3).shape).toBe("flag");
		expect(observe(col("t", ["North", "South"]), 2).shape).toBe("text");
		expect(observe(col("e", [null, null]), 2).shape).toBe("unknown");
	});

	it("calls a column unique only when every non-empty value differs", () => {
		expect(observe(col("k", ["a", "b", null]), 3).unique).toBe(true);
		expect(observe(col("k", ["a", "a", "b"]), 3).unique).toBe(false);
	});
});

describe("matching names", () => {
	it("knows English and SAP names, and near names score lower", () => {
		const customer = VOCABULARY.order_lines.columns.customer;
		if (!customer) throw new Error("no customer term");
		expect(nameScore("CustNo", customer)).toBe(1);
		expect(nameScore("KUNNR", customer)).toBe(1);
		expect(nameScore("cust_no", customer)).toBe(1);
		expect(nameScore("CustomerNumberOld", customer)).toBe(0.6);
		expect(nameScore("Country", customer)).toBe(0);
	});

	it("quotes identifiers only where the dialect needs it", () => {
		expect(ident("sqlite", "SLS_INVOICE_LIN")).toBe("SLS_INVOICE_LIN");
		expect(ident("postgres", "public.invoices")).toBe("public.invoices");
		expect(ident("postgres", "InvoiceNo")).toBe('"InvoiceNo"');
		expect(ident("mysql", "Order Lines")).toBe("`Order Lines`");
		expect(ident("mssql", "dbo.Order Lines")).toBe("dbo.[Order Lines]");
	});
});

describe("proposing a mapping", () => {
	const lines = table("sales", {
		InvNo: ["1001", "1001", "1002", "C1003"],
		Item: ["A", "B", "A", "A"],
		Qty: ["2", "1", "5", "-1"],
		Price: ["2.50", "4.00", "2.50", "2.50"],
		Date: ["2024-01-02", "2024-01-02", "2024-01-03", "2024-01-04"],
	});

	it("derives what a one-table export lacks: amount from quantity × price, record numbers, cancellations from a number prefix", () => {
		const s = suggestMapping({ source: "x", kind: "csv", tables: [lines] });
		const p = s.entities.find((e) => e.entity === "order_lines");
		const spec = (c: string) => p?.columns.find((x) => x.canon === c)?.spec;
		expect(spec("net_sales")).toEqual({ multiply: ["Qty", "Price"] });
		expect(spec("line_number")).toEqual({ recordNumber: true });
		expect(spec("is_cancellation")).toEqual({
			startsWith: "InvNo",
			prefix: "C",
		});
		expect(p?.watermark).toEqual({ column: "Date", overlap: "2 days" });
		expect(p?.todo.map((t) => t.canon)).toContain("customer");
	});

	it("says a CSV source cannot join lines to a header, and which file has the date", () => {
		const lin = table("invoice_lines", {
			InvoiceNo: ["1", "1", "2"],
			LineNo: ["1", "2", "1"],
			ItemNo: ["A", "B", "A"],
			Amount: ["5", "4", "3"],
		});
		const hdr = table("invoice_header", {
			InvoiceNo: ["1", "2"],
			InvoiceDate: ["2024-01-02", "2024-01-03"],
			CustNo: ["C1", "C2"],
		});
		const csv = suggestMapping({
			source: "x",
			kind: "csv",
			tables: [lin, hdr],
		});
		const p = csv.entities.find((e) => e.entity === "order_lines");
		expect(p?.from).toEqual({ table: "invoice_lines" });
		expect(p?.notes[0]).toContain(
			"it is in invoice_header, but a file source cannot join files",
		);
		const sql = suggestMapping({
			source: "x",
			kind: "postgres",
			tables: [lin, hdr],
		});
		expect(sql.entities.find((e) => e.entity === "order_lines")?.from).toEqual({
			select:
				'SELECT l."InvoiceNo", l."LineNo", l."ItemNo", l."Amount", h."InvoiceDate", h."CustNo" FROM invoice_lines l JOIN invoice_header h ON h."InvoiceNo" = l."InvoiceNo"',
		});
	});

	it("names what it could not find, and a source with nothing recognisable gives an empty mapping that still parses", () => {
		const s = suggestMapping({
			source: "x",
			kind: "csv",
			tables: [table("notes", { Remark: ["hello"] })],
		});
		expect(s.entities).toEqual([]);
		expect(s.missing.find((m) => m.entity === "order_lines")?.why).toBe(
			"no table has the invoice or order number (named like invoiceno, invoicenumber, invoice) with an amount, or a quantity and a unit price",
		);
		expect(parse(suggestionYaml(s))).toMatchObject({ entities: {} });
	});
});

describe("writing YAML", () => {
	it("quotes what YAML would read as something else", () => {
		for (const v of [
			"Y",
			"no",
			"a: b",
			"12",
			"#x",
			"C",
			"Order Lines",
			"Müller",
		])
			expect(parse(`v: ${yamlScalar(v)}`).v).toBe(v);
		expect(yamlSpec({ column: "Status", map: { Y: true, N: false } })).toBe(
			'{column: Status, map: {"Y": true, "N": false}}',
		);
	});
});
