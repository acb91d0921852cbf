import { SourceError } from "./errors.ts";
import type { Dialect, SourceRelation, StreamRequest, Value } from "./types.ts";

/** A statement ready for a driver: identifiers quoted in the text, every value a bound parameter. */
export interface SqlQuery {
	text: string;
	values: Value[];
}

const QUOTES: Record<Dialect, { open: string; close: string }> = {
	postgres: { open: '"', close: '"' },
	sqlite: { open: '"', close: '"' },
	mysql: { open: "`", close: "`" },
	mssql: { open: "[", close: "]" },
	oracle: { open: '"', close: '"' },
};

/** A name Oracle reads the same unquoted: unquoted, it matches the upper-case name DDL gave it. */
const ORACLE_PLAIN = /^[A-Za-z][A-Za-z0-9_$#]{0,127}$/;

/** The alias a SELECT gets when it is wrapped as a derived table. */
const DERIVED = "src";

/**
 * Quotes one identifier for the dialect. Names holding the dialect's closing quote or a NUL are
 * refused rather than escaped: they come from mappings, and such a name is a mistake or an attack.
 */
export function quoteIdent(dialect: Dialect, name: string): string {
	// Oracle: a quoted name is case-sensitive, and ERP schemas are created unquoted (upper case),
	// so a plain name stays unquoted and matches InvoiceNo as INVOICENO, as PostgreSQL folds it.
	if (dialect === "oracle" && ORACLE_PLAIN.test(name)) return name;
	const { open, close } = QUOTES[dialect];
	if (name === "" || name.includes(close) || name.includes("\0"))
		throw new SourceError(
			"source_bad_identifier",
			`${dialect} identifier ${JSON.stringify(name)} is empty or holds ${close} or NUL; rename it or read it through a { select }`,
		);
	return `${open}${name}${close}`;
}

/** "dbo.Invoices" → [dbo].[Invoices]: split on "." and quote each part. */
export function quoteTable(dialect: Dialect, name: string): string {
	return name
		.split(".")
		.map((part) => quoteIdent(dialect, part))
		.join(".");
}

export function placeholder(dialect: Dialect, index: number): string {
	if (dialect === "postgres") return `$${index + 1}`;
	if (dialect === "mssql") return `@p${index}`;
	if (dialect === "oracle") return `:${index + 1}`;
	return "?";
}

/** The user's SELECT without trailing semicolons, refusing an empty one. */
export function cleanSelect(select: string): string {
	const text = select.trim().replace(/[;\s]+$/, "");
	if (!text)
		throw new SourceError(
			"source_query",
			"the { select } of a source relation is empty",
		);
	return text;
}

/** A table reference, or a SELECT as a derived table. */
export function relationSql(dialect: Dialect, from: SourceRelation): string {
	if ("table" in from) return quoteTable(dialect, from.table);
	// Oracle takes no AS before a table alias.
	return `(${cleanSelect(from.select)})${dialect === "oracle" ? "" : " AS"} ${quoteIdent(dialect, DERIVED)}`;
}

/**
 * The statement that streams a relation: everything, or the rows past a watermark in its order,
 * optionally only the first `limit` rows. A SELECT is run as written unless a filter, order or
 * limit must be added; then it becomes a derived table and they go outside it.
 */
export function buildStreamSql(
	dialect: Dialect,
	req: StreamRequest & { limit?: number },
): SqlQuery {
	const values: Value[] = [];
	const param = (v: Value) => {
		values.push(v);
		return placeholder(dialect, values.length - 1);
	};
	const wm = req.watermark;
	if ("select" in req.from && !wm && req.limit === undefined)
		return { text: cleanSelect(req.from.select), values };
	const top =
		dialect === "mssql" && req.limit !== undefined
			? `TOP (${param(req.limit)}) `
			: "";
	let text = `SELECT ${top}* FROM ${relationSql(dialect, req.from)}`;
	if (wm) {
		const col = quoteIdent(dialect, wm.column);
		if (wm.after !== null) text += ` WHERE ${col} > ${param(wm.after)}`;
		text += ` ORDER BY ${col}`;
	}
	if (dialect === "oracle" && req.limit !== undefined)
		text += ` FETCH FIRST ${param(req.limit)} ROWS ONLY`;
	else if (dialect !== "mssql" && req.limit !== undefined)
		text += ` LIMIT ${param(req.limit)}`;
	return { text, values };
}

/** A statement that returns no rows but the relation's columns. */
export function buildColumnsSql(
	dialect: Dialect,
	from: SourceRelation,
): string {
	if (dialect === "mssql")
		return `SELECT TOP 0 * FROM ${relationSql(dialect, from)}`;
	if (dialect === "oracle")
		return `SELECT * FROM ${relationSql(dialect, from)} WHERE 1 = 0`;
	return `SELECT * FROM ${relationSql(dialect, from)} LIMIT 0`;
}

/** How to profile one column: min/max only for ordered types; distinct over the value, its text, or not at all. */
export interface ProfileColumn {
	name: string;
	ordered: boolean;
	distinct: "value" | "text" | "none";
}

/**
 * One pass over a table: count(*) AS n, then per column i: c{i} non-null count, lo{i}/hi{i} min and
 * max, d{i} distinct count. Aliases are positional so column names never clash with them.
 */
export function buildProfileSql(
	dialect: Dialect,
	table: string,
	columns: readonly ProfileColumn[],
): string {
	const count = dialect === "mssql" ? "COUNT_BIG" : "count";
	const parts = [`${count}(*) AS n`];
	columns.forEach((c, i) => {
		const q = quoteIdent(dialect, c.name);
		parts.push(`${count}(${q}) AS c${i}`);
		parts.push(
			c.ordered
				? `min(${q}) AS lo${i}, max(${q}) AS hi${i}`
				: `NULL AS lo${i}, NULL AS hi${i}`,
		);
		const expr = c.distinct === "text" ? asText(dialect, q) : q;
		parts.push(
			c.distinct === "none"
				? `NULL AS d${i}`
				: `${count}(DISTINCT ${expr}) AS d${i}`,
		);
	});
	return `SELECT ${parts.join(", ")} FROM ${quoteTable(dialect, table)}`;
}

function asText(dialect: Dialect, expr: string): string {
	if (dialect === "postgres") return `CAST(${expr} AS text)`;
	if (dialect === "mssql") return `CONVERT(nvarchar(max), ${expr})`;
	if (dialect === "oracle") return `TO_CHAR(${expr})`;
	return expr;
}
