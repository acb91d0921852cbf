/**
 * Which warehouse columns each catalog metric and dimension reads, found in the SQL the catalog
 * builds (not listed by hand, so it cannot drift): for the mapping reference's "used by" column.
 */
import { DEFAULT_METRICS } from "./catalog.ts";
import { DIMENSIONS } from "./dimensions.ts";
import { seriesStatement } from "./sql.ts";
import type { BaseId, MetricDefinition } from "./types.ts";

/** The warehouse table each base reads under its alias (dimension joins use fc and fm). */
const BASE_TABLES: Readonly<Record<BaseId, string>> = {
	lines: "transaction_data t",
	customers: "customer_master c",
	quotes: "sales_quotes q",
	stock: "stox_stock_levels s join stox_material_master m",
};

/** Generated columns, read as the mapped columns they are computed from. */
const GENERATED: Readonly<Record<string, readonly string[]>> = {
	"transaction_data.is_order": [
		"transaction_data.is_cancellation",
		"transaction_data.net_sales",
	],
	"transaction_data.year_month": ["transaction_data.posting_date"],
};

/** `table.column` for every `alias.column` in SQL whose aliases its own FROM/JOIN clauses name. */
export function columnsRead(sql: string): Set<string> {
	const aliases = new Map<string, string>();
	for (const m of sql.matchAll(/\b(?:from|join)\s+([a-z_]+)\s+([a-z]+)\b/g))
		aliases.set(m[2] as string, m[1] as string);
	const out = new Set<string>();
	for (const m of sql.matchAll(/\b([a-z]+)\.([a-z_]+)\b/g)) {
		const table = aliases.get(m[1] as string);
		if (!table) continue;
		const col = `${table}.${m[2]}`;
		for (const c of GENERATED[col] ?? [col]) out.add(c);
	}
	return out;
}

/**
 * For each `table.column`, what reads it: metric ids, and `by <dimension>` for the columns a
 * breakdown or filter selects.
 */
export function columnUsage(
	metrics: readonly MetricDefinition[] = DEFAULT_METRICS,
): Map<string, string[]> {
	const out = new Map<string, string[]>();
	const add = (col: string, who: string) => {
		const list = out.get(col) ?? [];
		if (!list.includes(who)) list.push(who);
		out.set(col, list);
	};
	for (const m of metrics) {
		const sql = seriesStatement(m, {
			grain: "month",
			from: "2000-01-01",
			to: "2000-02-01",
		}).text;
		for (const col of columnsRead(sql)) add(col, m.id);
	}
	for (const d of DIMENSIONS)
		for (const [base, c] of Object.entries(d.on)) {
			const sql = `from ${BASE_TABLES[base as BaseId]} ${c.join} where ${c.expr}`;
			for (const col of columnsRead(sql)) add(col, `by ${d.id}`);
		}
	return out;
}
