import { z } from "zod";
import { AppError } from "../errors.ts";
import {
	add,
	formatDecimal,
	multiply,
	parseDecimal,
	subtract,
} from "./decimal.ts";
import { ENTITIES, ENTITY_NAMES, type EntityName } from "./entities.ts";

type Scalar = string | number | boolean | null;
/** A source row as connectors yield it. */
export type SourceRow = Record<string, Scalar>;

/**
 * How one canonical column is computed from a source row. A bare string names a source column;
 * the object forms cover what ERP exports need without writing code: casts, trimming, value maps,
 * constants, concatenation, exact arithmetic, prefix/equality tests and the record number.
 */
export type ValueSpec =
	| string
	| {
			column: string;
			trim?: boolean;
			upper?: boolean;
			cast?: "text" | "int" | "number";
			map?: Record<string, Scalar>;
			default?: Scalar;
	  }
	| { const: Scalar }
	| { concat: ValueSpec[]; sep?: string }
	| { multiply: [ValueSpec, ValueSpec] }
	| { subtract: [ValueSpec, ValueSpec] }
	| { add: [ValueSpec, ValueSpec] }
	| { startsWith: ValueSpec; prefix: string }
	| { equals: ValueSpec; value: Scalar | Scalar[] }
	| { coalesce: ValueSpec[] }
	| { present: ValueSpec }
	| { recordNumber: true };

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Each expression form with a one-line example of its right shape (for error messages and docs). */
export const EXPRESSION_FORMS: Readonly<Record<string, string>> = {
	column:
		"{column: CustNo, trim: true, upper: true, cast: int, map: {Y: true}, default: 0}",
	const: "{const: USD}",
	concat: '{concat: [Prefix, Number], sep: "-"}',
	multiply: "{multiply: [Quantity, UnitPrice]}",
	subtract: "{subtract: [Gross, Discount]}",
	add: "{add: [Net, Tax]}",
	startsWith: "{startsWith: InvoiceNo, prefix: C}",
	equals: "{equals: DocType, value: CRN}",
	coalesce: "{coalesce: [ShipDate, OrderDate]}",
	present: "{present: CustomerID}",
	recordNumber: "{recordNumber: true}",
};

/** What each expression form does (evaluate() below), for the mapping reference. */
export const EXPRESSION_MEANINGS: Readonly<Record<string, string>> = {
	column:
		'The column\'s value, trimmed (trim: false keeps spaces), upper-cased on request; empty becomes default (else null); map replaces listed values; cast (text, int or number) turns it into text, a whole number ("17850.0" → "17850") or an exact number.',
	const: "The same value on every row.",
	concat:
		"The values joined with sep (default none), nulls left out; null when all are null.",
	multiply:
		"The exact product of two values (decimal arithmetic, no float rounding); null when either is null.",
	subtract: "The exact difference of two values; null when either is null.",
	add: "The exact sum of two values; null when either is null.",
	startsWith:
		'True when the value starts with prefix ("C536379" starts with C).',
	equals: "True when the value equals value, or one of a list of values.",
	coalesce: "The first value that is neither null nor empty.",
	present:
		"True when the value is neither null nor blank (for only: rows that have a customer).",
	recordNumber:
		"The row's 1-based position in its file or query, for sources without line numbers.",
};

/**
 * Why a value is not a mapping expression, with the right form of the one it looks like:
 * zod's own answer for a union is "Invalid input", which teaches nothing.
 */
export function explainExpression(input: unknown): string {
	const forms = `a source column name, or one of ${Object.values(EXPRESSION_FORMS).join(", ")}`;
	if (input === "") return "a column name cannot be empty";
	if (input === null || typeof input !== "object" || Array.isArray(input))
		return `expected ${forms}; got ${JSON.stringify(input)}`;
	const keys = Object.keys(input);
	const form = keys.find((k) => k in EXPRESSION_FORMS);
	if (!form)
		return `unknown expression {${keys.join(", ")}}: expected ${forms}`;
	return `malformed {${form}: …} expression ${JSON.stringify(input)}: write it as ${EXPRESSION_FORMS[form]}${form === "column" ? " (cast is text, int or number; every key but column is optional)" : ""}`;
}

const valueSpec: z.ZodType<ValueSpec> = z.lazy(() =>
	z.union(
		[
			z.string().min(1, { error: "a column name cannot be empty" }),
			z.strictObject({
				column: z.string().min(1),
				trim: z.boolean().optional(),
				upper: z.boolean().optional(),
				cast: z.enum(["text", "int", "number"]).optional(),
				map: z.record(z.string(), scalar).optional(),
				default: scalar.optional(),
			}),
			z.strictObject({ const: scalar }),
			z.strictObject({
				concat: z.array(valueSpec).min(1),
				sep: z.string().optional(),
			}),
			z.strictObject({ multiply: z.tuple([valueSpec, valueSpec]) }),
			z.strictObject({ subtract: z.tuple([valueSpec, valueSpec]) }),
			z.strictObject({ add: z.tuple([valueSpec, valueSpec]) }),
			z.strictObject({ startsWith: valueSpec, prefix: z.string() }),
			z.strictObject({
				equals: valueSpec,
				value: z.union([scalar, z.array(scalar)]),
			}),
			z.strictObject({ coalesce: z.array(valueSpec).min(1) }),
			z.strictObject({ present: valueSpec }),
			z.strictObject({ recordNumber: z.literal(true) }),
		],
		{ error: (issue) => explainExpression(issue.input) },
	),
);

const duration = z.string().regex(/^\d+\s*(minutes?|hours?|days?)$/, {
	error: 'expected a duration like "2 days" or "6 hours"',
});

const entityMappingSchema = z.strictObject({
	from: z.union(
		[
			z.strictObject({ table: z.string().min(1) }),
			z.strictObject({ select: z.string().min(1) }),
		],
		{
			error: (issue) =>
				`expected one of {table: SLS_INVOICE_LIN} or {select: "SELECT … FROM …"}; got ${JSON.stringify(issue.input)}`,
		},
	),
	/** Source column whose value only grows (a posting time, an id); rows past the stored value are read. */
	watermark: z
		.strictObject({
			column: z.string().min(1),
			overlap: z.union([duration, z.number().min(0)]).optional(),
		})
		.optional(),
	/** Only rows for which this is true belong to the entity; the others are skipped, not rejected. */
	only: valueSpec.optional(),
	columns: z.record(z.string(), valueSpec, {
		error: (issue) =>
			issue.code === "invalid_type"
				? `expected a map of canonical column to source column, e.g. {customer: CustNo, customer_name: CustName}; got ${JSON.stringify(issue.input)}`
				: undefined,
	}),
});

export const mappingSchema = z.strictObject({
	/** Another mapping (by name) whose entities this one starts from; an entity given here replaces its keys. */
	extends: z.string().optional(),
	description: z.string().optional(),
	entities: z.partialRecord(z.enum(ENTITY_NAMES), entityMappingSchema),
});

export type EntityMapping = z.output<typeof entityMappingSchema>;
export type Mapping = z.output<typeof mappingSchema>;

/** Every source column a spec reads. */
export function columnsOf(spec: ValueSpec): string[] {
	if (typeof spec === "string") return [spec];
	if ("column" in spec) return [spec.column];
	if ("concat" in spec) return spec.concat.flatMap(columnsOf);
	if ("coalesce" in spec) return spec.coalesce.flatMap(columnsOf);
	if ("multiply" in spec) return spec.multiply.flatMap(columnsOf);
	if ("subtract" in spec) return spec.subtract.flatMap(columnsOf);
	if ("add" in spec) return spec.add.flatMap(columnsOf);
	if ("startsWith" in spec) return columnsOf(spec.startsWith);
	if ("present" in spec) return columnsOf(spec.present);
	if ("equals" in spec) return columnsOf(spec.equals);
	return [];
}

/** Source columns an entity mapping needs, including its watermark column. */
export function requiredColumns(m: EntityMapping): string[] {
	const cols = Object.values(m.columns).flatMap(columnsOf);
	if (m.only) cols.push(...columnsOf(m.only));
	if (m.watermark) cols.push(m.watermark.column);
	return [...new Set(cols)];
}

/** A typical source column for each natural key column, for the "not mapped" message. */
const KEY_EXAMPLES: Readonly<Record<string, string>> = {
	branch_code: "BranchCode",
	salesperson_id: "RepId",
	customer: "CustNo",
	material_number: "ItemNo",
	order_number: "InvoiceNo",
	line_number: "LineNo (or {recordNumber: true})",
	snapshot_date: "SnapshotDate",
	quote_number: "QuoteNo",
};

/** Checks the mapping's canonical column names against the entity; returns problems in plain words. */
export function checkMappingTargets(
	entity: EntityName,
	m: EntityMapping,
): string[] {
	const known = ENTITIES[entity].columns.filter((c) => c !== "year_month");
	const problems = Object.keys(m.columns)
		.filter((c) => !known.includes(c))
		.map(
			(c) =>
				`entities.${entity}.columns.${c}: ${entity} has no column "${c}" (it has ${known.join(", ")})`,
		);
	for (const k of ENTITIES[entity].key) {
		if (!(k in m.columns) && k !== "warehouse")
			problems.push(
				`entities.${entity}.columns: the natural key column "${k}" is not mapped; map it to the source column that identifies a row, e.g. ${k}: ${KEY_EXAMPLES[k] ?? "Id"}`,
			);
	}
	return problems;
}

function decimalOp(op: typeof add, a: Scalar, b: Scalar): Scalar {
	const x = parseDecimal(a);
	const y = parseDecimal(b);
	if (!x || !y) return a === null || b === null ? null : Number.NaN;
	const r = op(x, y);
	return formatDecimal(r, Math.min(r.scale, 8));
}

/** Evaluates a spec on one source row; `recordNumber` is the 1-based position of the row in its stream. */
export function evaluate(
	spec: ValueSpec,
	row: SourceRow,
	recordNumber: number,
): Scalar {
	if (typeof spec === "string") return row[spec] ?? null;
	if ("const" in spec) return spec.const;
	if ("recordNumber" in spec) return recordNumber;
	if ("column" in spec) {
		let v: Scalar = row[spec.column] ?? null;
		if (typeof v === "string" && spec.trim !== false) v = v.trim();
		if (typeof v === "string" && spec.upper) v = v.toUpperCase();
		if (v === "" || v === null) v = spec.default ?? null;
		if (spec.map && v !== null && String(v) in spec.map)
			v = spec.map[String(v)] ?? null;
		if (v === null || !spec.cast) return v;
		if (spec.cast === "text") return String(v);
		const d = parseDecimal(v);
		if (!d) return Number.NaN;
		return spec.cast === "int"
			? formatDecimal(d, 0)
			: formatDecimal(d, Math.min(d.scale, 8));
	}
	if ("concat" in spec) {
		const parts = spec.concat.map((s) => evaluate(s, row, recordNumber));
		return parts.every((p) => p === null)
			? null
			: parts.filter((p) => p !== null).join(spec.sep ?? "");
	}
	if ("coalesce" in spec) {
		for (const s of spec.coalesce) {
			const v = evaluate(s, row, recordNumber);
			if (v !== null && v !== "") return v;
		}
		return null;
	}
	if ("multiply" in spec)
		return decimalOp(
			multiply,
			evaluate(spec.multiply[0], row, recordNumber),
			evaluate(spec.multiply[1], row, recordNumber),
		);
	if ("subtract" in spec)
		return decimalOp(
			subtract,
			evaluate(spec.subtract[0], row, recordNumber),
			evaluate(spec.subtract[1], row, recordNumber),
		);
	if ("add" in spec)
		return decimalOp(
			add,
			evaluate(spec.add[0], row, recordNumber),
			evaluate(spec.add[1], row, recordNumber),
		);
	if ("startsWith" in spec)
		return String(
			evaluate(spec.startsWith, row, recordNumber) ?? "",
		).startsWith(spec.prefix);
	if ("present" in spec) {
		const p = evaluate(spec.present, row, recordNumber);
		return p !== null && String(p).trim() !== "";
	}
	const v = evaluate(spec.equals, row, recordNumber);
	return (Array.isArray(spec.value) ? spec.value : [spec.value]).some(
		(x) => x === v || String(x) === String(v),
	);
}

/**
 * Maps source rows to the canonical column names of their entity (values not yet validated); the
 * mapping's columns are listed once, since a stream maps every row by the same specs.
 */
export function rowMapper(
	m: EntityMapping,
): (row: SourceRow, recordNumber: number) => Record<string, Scalar> {
	const targets = Object.keys(m.columns);
	const specs = Object.values(m.columns);
	return (row, recordNumber) => {
		const out: Record<string, Scalar> = {};
		for (let i = 0; i < targets.length; i++)
			out[targets[i] as string] = evaluate(
				specs[i] as ValueSpec,
				row,
				recordNumber,
			);
		return out;
	};
}

function renameSpec(spec: ValueSpec, to: (c: string) => string): ValueSpec {
	if (typeof spec === "string") return to(spec);
	if ("column" in spec) return { ...spec, column: to(spec.column) };
	if ("concat" in spec)
		return { ...spec, concat: spec.concat.map((s) => renameSpec(s, to)) };
	if ("coalesce" in spec)
		return { coalesce: spec.coalesce.map((s) => renameSpec(s, to)) };
	if ("multiply" in spec)
		return {
			multiply: [
				renameSpec(spec.multiply[0], to),
				renameSpec(spec.multiply[1], to),
			],
		};
	if ("subtract" in spec)
		return {
			subtract: [
				renameSpec(spec.subtract[0], to),
				renameSpec(spec.subtract[1], to),
			],
		};
	if ("add" in spec)
		return { add: [renameSpec(spec.add[0], to), renameSpec(spec.add[1], to)] };
	if ("startsWith" in spec)
		return { ...spec, startsWith: renameSpec(spec.startsWith, to) };
	if ("equals" in spec) return { ...spec, equals: renameSpec(spec.equals, to) };
	if ("present" in spec) return { present: renameSpec(spec.present, to) };
	return spec;
}

/**
 * Matches the mapping's source column names to the columns the source really has, exactly or
 * else ignoring case (PostgreSQL folds unquoted names to lower case). Throws, naming every
 * missing column and what the source offers, so `sources test` and a run fail the same way.
 */
export function resolveColumns(
	entity: string,
	m: EntityMapping,
	available: readonly string[],
): EntityMapping {
	const lower = new Map(available.map((c) => [c.toLowerCase(), c]));
	const missing = requiredColumns(m).filter(
		(c) => !available.includes(c) && !lower.has(c.toLowerCase()),
	);
	if (missing.length > 0) {
		const where = "table" in m.from ? m.from.table : "its SELECT";
		throw new AppError(
			"mapping_invalid",
			`Mapping for ${entity}: column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c}"`).join(", ")} not found in ${where} (it has ${available.join(", ")}).`,
		);
	}
	const to = (c: string) =>
		available.includes(c) ? c : (lower.get(c.toLowerCase()) ?? c);
	return {
		...m,
		columns: Object.fromEntries(
			Object.entries(m.columns).map(([k, s]) => [k, renameSpec(s, to)]),
		),
		...(m.only ? { only: renameSpec(m.only, to) } : {}),
		...(m.watermark
			? { watermark: { ...m.watermark, column: to(m.watermark.column) } }
			: {}),
	};
}
