/**
 * The mapping reference (docs/mapping-reference.md, `erp-pulse sources reference`), generated from
 * the code and the schema so it cannot drift: each canonical entity with its table, natural key and
 * columns — type from the warehouse, required from the entity's own validation, meaning from the
 * column's comment — and each expression form with an example and what it does.
 */
import { tableColumns } from "../db/columns.ts";
import type { Pool } from "../db/pool.ts";
import { columnUsage } from "../metrics/usage.ts";
import { ENTITIES } from "./entities.ts";
import { EXPRESSION_FORMS, EXPRESSION_MEANINGS } from "./mapping.ts";

/** The columns a mapping must fill for the entity: those its validation refuses as null. */
export function requiredColumns(name: keyof typeof ENTITIES): Set<string> {
	const parsed = ENTITIES[name]
		.schema({ latestDate: "9999-12-31" })
		.safeParse({});
	return new Set(
		parsed.success ? [] : parsed.error.issues.map((i) => String(i.path[0])),
	);
}

const cell = (s: string) => s.replaceAll("|", "\\|");

export async function mappingReference(pool: Pool): Promise<string> {
	const out = [
		"# Mapping reference",
		"",
		"Generated from the code and the warehouse schema by `erp-pulse sources reference`; a test",
		"keeps this file equal to that output. A mapping (`templates/mappings/*.yaml`, or your own file)",
		"fills these canonical columns from your ERP's tables; see the README's *ERP sources and",
		"ingestion* for how a run reads, checks and loads them.",
		"",
		"## Entities",
		"",
		"Every row also carries `source` (the configured source's name), the first part of every",
		"natural key: the same id in two sources is two rows. A column the mapping leaves out is null.",
		"Entities load in this order, reference data first. *Used by* lists the catalog metrics that read",
		"a column (`erp-pulse metric list`) and the breakdowns (`by region`) that select it, found in",
		"the SQL the catalog builds; the analytics tables (RFM, ABC, cohorts) read order lines as well.",
		"",
		"Numbers are stored as exact decimals, never as floating point, to the places their type",
		"gives: an order line's amounts (`net_sales`, `total_cogs`, `gross_margin`) and unit prices to 4",
		"decimal places, quantities to 3, other amounts to 2. A value with no more places than that is",
		"stored exactly as the source gives it (0.001 stays 0.001, 41.9136 stays 41.9136). A value with",
		"more is rounded half away from zero at the last place, once: an expression such as",
		"`{multiply: [Quantity, UnitPrice]}` is worked out exactly first and rounded only when stored.",
		"Totals add the stored lines and round only at the end.",
	];
	const usage = columnUsage();
	for (const [name, def] of Object.entries(ENTITIES)) {
		const rows = await tableColumns(pool, def.table);
		const byName = new Map(rows.map((r) => [r.column, r]));
		const required = requiredColumns(name as keyof typeof ENTITIES);
		out.push(
			"",
			`### \`${name}\` → table \`${def.table}\``,
			"",
			`Natural key: source, ${def.key.join(", ")}.`,
			"",
			"| column | type | required | meaning | used by |",
			"| --- | --- | --- | --- | --- |",
		);
		for (const c of def.columns) {
			if (c === "year_month") continue; // derived from posting_date, never mapped
			const r = byName.get(c);
			out.push(
				`| \`${c}\` | ${r?.type ?? "?"} | ${required.has(c) ? "yes" : ""} | ${cell(r?.meaning ?? "")} | ${(usage.get(`${def.table}.${c}`) ?? []).join(", ")} |`,
			);
		}
	}
	out.push(
		"",
		"## Expression forms",
		"",
		"A canonical column is fed by a source column's name (`customer: CustNo`) or by one of these",
		"expressions; expressions nest wherever a value is expected (`{multiply: [Qty, {column: Price, cast: number}]}`).",
		"",
		"| form | example | what it gives |",
		"| --- | --- | --- |",
	);
	for (const [form, example] of Object.entries(EXPRESSION_FORMS))
		out.push(
			`| \`${form}\` | \`${cell(example)}\` | ${cell(EXPRESSION_MEANINGS[form] ?? "")} |`,
		);
	return `${out.join("\n")}\n`;
}
