import { z } from "zod";
import { canonicalDecimal } from "../sources/values.ts";
import {
	formatDecimal,
	parseDecimal,
	subtract,
	subtractFixed,
} from "./decimal.ts";
import {
	bool,
	date,
	decimal,
	type Field,
	type FieldCheck,
	field,
	fitsPrecision,
	type IssueSink,
	integer,
	oneOf,
	requiredText,
	text,
} from "./fields.ts";

export type CanonicalValue = string | number | boolean | null;
export type CanonicalRow = Record<string, CanonicalValue>;

export const ENTITY_NAMES = [
	"branches",
	"salespeople",
	"customers",
	"materials",
	"order_lines",
	"stock_levels",
	"quotes",
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

export interface ValidationContext {
	/** Latest acceptable business date (the run's date plus one day of clock slack), "YYYY-MM-DD". */
	latestDate: string;
}

/** A canonical entity: the warehouse table it lands in, its natural key, and how a row is validated. */
export interface EntityDef {
	name: EntityName;
	table: string;
	/** Natural key columns, without `source` (which every key starts with). */
	key: readonly string[];
	/** Columns written by ingest, in COPY order, without source/ingest_run_id/loaded_at. */
	columns: readonly string[];
	schema(ctx: ValidationContext): z.ZodType<CanonicalRow, unknown>;
	/**
	 * The same validation compiled for the row loop: each column's check called directly, no zod
	 * object parse per row. Gives what `schema(ctx).safeParse` gives: the row, or the issues in
	 * column order, each with its column as path.
	 */
	validator(
		ctx: ValidationContext,
	): (input: Record<string, unknown>) => Validated;
}

/** A validated row, or why it is not one. */
export type Validated =
	| { success: true; data: CanonicalRow }
	| { success: false; issues: { path: string[]; message: string }[] };

function entity(
	name: EntityName,
	table: string,
	key: readonly string[],
	shape: (ctx: ValidationContext) => Record<string, Field>,
	refine?: (row: CanonicalRow, ctx: IssueSink) => CanonicalRow,
): EntityDef {
	const probe = shape({ latestDate: "9999-12-31" });
	const columns = [
		...Object.keys(probe),
		...(name === "order_lines" ? ["year_month"] : []),
	];
	return {
		name,
		table,
		key,
		columns,
		schema: (ctx) => {
			const fields = shape(ctx);
			// A column the mapping leaves out is null, not an error: every field decides what null means.
			const nulls = Object.fromEntries(
				Object.keys(fields).map((k) => [k, null]),
			);
			const filled = (input: unknown) =>
				input && typeof input === "object"
					? { ...nulls, ...(input as object) }
					: input;
			const base = z.preprocess(
				filled,
				z.object(fields),
			) as unknown as z.ZodType<CanonicalRow, unknown>;
			return refine ? base.transform((row, c) => refine(row, c)) : base;
		},
		validator: (ctx) => {
			const fields = Object.entries(shape(ctx));
			const names = fields.map(([column]) => column);
			const checks = fields.map(([, f]) => f.check);
			// One sink for every row (validation is synchronous): nothing built per row but the row.
			let issues: { path: string[]; message: string }[] | undefined;
			let column = "";
			const sink: IssueSink = {
				addIssue: (i) => {
					issues ??= [];
					issues.push({ path: [column], message: i.message });
				},
			};
			const rowSink: IssueSink = {
				addIssue: (i) => {
					issues ??= [];
					issues.push({ path: i.path ?? [], message: i.message });
				},
			};
			return (input) => {
				issues = undefined;
				const row: CanonicalRow = {};
				for (let k = 0; k < names.length; k++) {
					const c = names[k] as string;
					column = c;
					// A column the mapping leaves out is null (as `filled` makes it for zod).
					const v = Object.hasOwn(input, c) ? input[c] : null;
					row[c] = (checks[k] as FieldCheck)(v, sink) as CanonicalValue;
				}
				if (issues) return { success: false, issues };
				if (!refine) return { success: true, data: row };
				const refined = refine(row, rowSink);
				return issues
					? { success: false, issues }
					: { success: true, data: refined };
			};
		},
	};
}

/**
 * Decimal places of an order line's amounts (net_sales, total_cogs, gross_margin), as the columns
 * are typed in migrations/016_line_amounts.sql: a line of 0.001 stays 0.001, and sums round once.
 */
export const LINE_AMOUNT_SCALE = 4;

/** net_sales − total_cogs, exactly; null without a cost. Parsed only where the source has no margin. */
function marginFromCost(row: CanonicalRow): string | null {
	if (row.total_cogs === null || row.total_cogs === undefined) return null;
	const fast = subtractFixed(
		String(row.net_sales),
		String(row.total_cogs),
		LINE_AMOUNT_SCALE,
	);
	if (fast !== undefined) return fast;
	const net = parseDecimal(row.net_sales);
	const cogs = parseDecimal(row.total_cogs);
	return net && cogs
		? formatDecimal(subtract(net, cogs), LINE_AMOUNT_SCALE)
		: null;
}

/**
 * Order lines. A cancellation is a line the mapping marks `is_cancellation` (credit notes, "C"
 * invoices); only those may carry a negative quantity or amount. gross_margin, when the source has
 * none but has a cost, is net_sales − total_cogs. year_month is derived from posting_date.
 */
const orderLines = entity(
	"order_lines",
	"transaction_data",
	["order_number", "line_number"],
	(ctx) => ({
		order_number: requiredText(),
		line_number: integer({ min: 0 }),
		customer: text(200),
		material_number: text(200),
		posting_date: date({ required: true, notAfter: ctx.latestDate }),
		net_sales: decimal(LINE_AMOUNT_SCALE, { required: true }),
		total_cogs: decimal(LINE_AMOUNT_SCALE),
		gross_margin: decimal(LINE_AMOUNT_SCALE),
		inv_quantity_cases: decimal(3),
		unit_price: decimal(4),
		sales_office_name: text(),
		region: text(),
		salesperson: text(),
		branch: text(),
		is_cancellation: bool(false),
	}),
	(row, ctx) => {
		const negative = ["inv_quantity_cases", "net_sales"].find(
			(c) => typeof row[c] === "string" && (row[c] as string).startsWith("-"),
		);
		if (negative && !row.is_cancellation) {
			ctx.addIssue({
				code: "custom",
				path: [negative],
				message: `is negative (${canonicalDecimal(String(row[negative]))}) on a line that is not a cancellation; map credit notes to is_cancellation`,
			});
			return z.NEVER;
		}
		const margin = row.gross_margin ?? marginFromCost(row);
		if (margin !== null && !fitsPrecision(String(margin), LINE_AMOUNT_SCALE)) {
			ctx.addIssue({
				code: "custom",
				path: ["gross_margin"],
				message: `net_sales − total_cogs is too large (${canonicalDecimal(String(margin))}); check both columns`,
			});
			return z.NEVER;
		}
		// The row is this validation's own: completed in place, not copied.
		row.gross_margin = margin;
		row.year_month = String(row.posting_date).slice(0, 7);
		return row;
	},
);

const customers = entity("customers", "customer_master", ["customer"], () => ({
	customer: requiredText(),
	customer_name: text(),
	industry: text(),
	region: text(),
	sales_office_name: text(),
	branch: text(),
	created_date: date(),
	status: text(50),
	churn_date: date(),
}));

const materials = entity(
	"materials",
	"stox_material_master",
	["material_number"],
	() => ({
		material_number: requiredText(),
		material_description: text(),
		category: text(),
		uom: text(50),
		unit_cost: decimal(4, { nonNegative: true }),
		unit_price: decimal(4, { nonNegative: true }),
		lead_time_days: decimal(2, { nonNegative: true }),
		lead_time_std_days: decimal(2, { nonNegative: true }),
		storage_cost_pct: decimal(4, { nonNegative: true }),
		ordering_cost: decimal(2, { nonNegative: true }),
		active: bool(true),
		launch_date: date(),
	}),
);

/** A warehouse id, up to 100 characters; empty for a source with a single stock figure. */
const warehouseText = text(100).check;

const stockLevels = entity(
	"stock_levels",
	"stox_stock_levels",
	["material_number", "snapshot_date", "warehouse"],
	(ctx) => ({
		material_number: requiredText(),
		snapshot_date: date({ required: true, notAfter: ctx.latestDate }),
		warehouse: field((v, ctx) => {
			const t = warehouseText(v, ctx);
			return t === z.NEVER ? t : (t ?? "");
		}),
		on_hand_units: decimal(3),
		on_order_units: decimal(3, { nonNegative: true }),
	}),
);

const quotes = entity("quotes", "sales_quotes", ["quote_number"], (ctx) => ({
	quote_number: requiredText(),
	quote_date: date({ notAfter: ctx.latestDate }),
	customer: text(200),
	salesperson: text(),
	branch: text(),
	amount: decimal(2, { nonNegative: true }),
	status: oneOf(
		["won", "lost", "open"],
		{
			w: "won",
			l: "lost",
			o: "open",
			pending: "open",
			closed_won: "won",
			closed_lost: "lost",
		},
		"open",
	),
	close_date: date(),
	lead_source: text(),
	order_number: text(200),
}));

const salespeople = entity(
	"salespeople",
	"salespeople",
	["salesperson_id"],
	() => ({
		salesperson_id: requiredText(),
		name: requiredText(),
		branch: text(),
		hire_date: date(),
		term_date: date(),
	}),
);

const branches = entity("branches", "branches", ["branch_code"], () => ({
	branch_code: requiredText(),
	branch_name: text(),
	region: text(),
	sales_office_name: text(),
}));

/** In load order: reference data first, so a run that stops part-way has masters before lines. */
export const ENTITIES: Readonly<Record<EntityName, EntityDef>> = {
	branches,
	salespeople,
	customers,
	materials,
	order_lines: orderLines,
	stock_levels: stockLevels,
	quotes,
};
