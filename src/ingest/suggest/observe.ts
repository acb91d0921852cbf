import type { Value } from "../../sources/types.ts";
import { dateFormatsFitting } from "../fields.ts";
import type { Shape } from "./vocabulary.ts";

/** One source column as `sources suggest` sees it: its profile and a sample of its values. */
export interface SourceColumn {
	name: string;
	/** The type the source declares ("TEXT", "numeric(12,2)"); for CSV, the type inferred from the values. */
	type: string;
	nulls: number;
	distinct: number;
	distinctExact: boolean;
	min: string | number | null;
	max: string | number | null;
	/** The column's values in the first rows of the table (nulls included). */
	samples: readonly Value[];
}

/** One source table: its name, row count and columns. */
export interface SourceTable {
	name: string;
	rows: number;
	columns: readonly SourceColumn[];
}

/** What a column's values look like. */
export interface Observed {
	/** "unknown" when every sampled value is null. */
	shape: Exclude<Shape, "code"> | "unknown";
	/** Whole numbers written as floats ("17850.0"): an id that wants `cast: int`. */
	floatIds: boolean;
	/** For dates not written as ISO: the CSV dateFormats that read every sampled value. */
	dateFormats: string[];
	/** Every non-null value differs (a key). */
	unique: boolean;
	/** Up to three sampled values, for the evidence line. */
	examples: string[];
}

const ISO_DATE =
	/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FLAGS = new Set(["y", "n", "yes", "no", "true", "false", "t", "f", "x"]);

/** Reads a column's shape from its sampled values (and its min/max, which a sample can miss). */
export function observe(c: SourceColumn, rows: number): Observed {
	const values = [...c.samples, c.min, c.max].filter(
		(v): v is string | number | boolean => v !== null && v !== undefined,
	);
	const texts = values.map((v) => String(v).trim()).filter((v) => v !== "");
	const unique =
		c.distinctExact &&
		rows > 0 &&
		c.distinct === rows - c.nulls &&
		c.nulls < rows;
	const examples = [...new Set(c.samples.filter((v) => v !== null))]
		.slice(0, 3)
		.map(String);
	const base = { floatIds: false, dateFormats: [], unique, examples };
	if (texts.length === 0) return { ...base, shape: "unknown" };
	if (values.every((v) => typeof v === "boolean"))
		return { ...base, shape: "flag" };
	if (texts.every((t) => NUMBER.test(t))) {
		const whole = texts.every((t) => /^[+-]?\d+(\.0+)?$/.test(t));
		const floats = texts.some((t) => /\.0+$/.test(t));
		if (whole && texts.every((t) => t === "0" || t === "1") && c.distinct <= 2)
			return { ...base, shape: "flag" };
		return {
			...base,
			shape: whole ? "integer" : "number",
			floatIds: whole && floats,
		};
	}
	if (texts.every((t) => ISO_DATE.test(t))) return { ...base, shape: "date" };
	const formats = dateFormatsFitting(texts[0]).filter((f) =>
		texts.every((t) => dateFormatsFitting(t).includes(f)),
	);
	if (formats.length > 0)
		return { ...base, shape: "date", dateFormats: formats };
	if (texts.every((t) => FLAGS.has(t.toLowerCase())))
		return { ...base, shape: "flag" };
	return { ...base, shape: "text" };
}

/** How well values of one shape can feed a canonical column of another (0: not at all). */
export function shapeFit(want: Shape, seen: Observed["shape"]): number {
	if (seen === "unknown") return 0.5;
	switch (want) {
		case "date":
			return seen === "date" ? 1 : 0;
		case "number":
			return seen === "number" || seen === "integer" ? 1 : 0;
		case "integer":
			return seen === "integer" ? 1 : 0;
		case "flag":
			return seen === "flag" ? 1 : seen === "text" ? 0.4 : 0;
		case "code":
			return seen === "text" || seen === "integer" ? 1 : 0;
		case "text":
			return seen === "text" ? 1 : seen === "integer" ? 0.3 : 0;
	}
}

/** A column or table name compared as ERP exports write it: lower case, letters and digits only. */
export function compact(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** The words of a name: "SLS_INVOICE_LIN" → sls, invoice, lin; "OrderLines" → order, lines. */
export function words(name: string): string[] {
	return name
		.replace(/([a-z0-9])([A-Z])/g, "$1 $2")
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
}
