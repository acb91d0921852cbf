import { quoteIdent } from "../../sources/sql.ts";
import {
	type Dialect,
	isFileKind,
	type SourceKind,
} from "../../sources/types.ts";
import { type Candidate, candidate, matchColumns } from "./match.ts";
import {
	compact,
	observe,
	type SourceColumn,
	type SourceTable,
} from "./observe.ts";

/** The order lines as proposed: one table, or the lines joined to their header (and customer). */
export interface JoinedLines {
	candidate: Candidate;
	/** The SELECT that joins them, in the source's dialect; absent for a single table. */
	select?: string;
	tables: string[];
	notes: string[];
}

/** An identifier as the dialect reads it, quoted only when it is not a plain (for PostgreSQL, lower-case) name. */
export function ident(kind: Dialect, name: string): string {
	return name
		.split(".")
		.map((part) =>
			/^[A-Za-z_][A-Za-z0-9_]*$/.test(part) &&
			(kind !== "postgres" || part === part.toLowerCase())
				? part
				: quoteIdent(kind, part),
		)
		.join(".");
}

/**
 * Lines often hold only the item, quantity and amount; the date and customer sit on the invoice
 * header, and the region on the customer. When the lines' table lacks a date (or a customer), this
 * looks for a table where the lines' order number is unique and which has them, and joins it; then
 * joins the customer table for region and sales office when the lines have neither. CSV sources
 * cannot join: the note says what to export instead.
 */
export function joinLines(
	lines: Candidate,
	tables: readonly SourceTable[],
	kind: SourceKind,
	customers: Candidate | undefined,
): JoinedLines {
	const single = {
		candidate: lines,
		tables: [lines.table.name],
		notes: [] as string[],
	};
	const order = lines.matches.get("order_number")?.column;
	if (
		!order ||
		(lines.matches.has("posting_date") && lines.matches.has("customer"))
	)
		return single;
	const header = tables
		.filter((t) => t !== lines.table)
		.map((t) => ({
			t,
			key: t.columns.find((c) => compact(c.name) === compact(order.name)),
		}))
		.filter(({ t, key }) => key && observe(key, t.rows).unique)
		.map(({ t, key }) => ({
			t,
			key: key as SourceColumn,
			m: matchColumns("order_lines", t),
		}))
		.filter(({ m }) => m.has("posting_date") || m.has("customer"))
		.sort((a, b) => b.m.size - a.m.size)[0];
	if (!header) return single;
	if (isFileKind(kind)) {
		single.notes.push(
			`the lines (${lines.table.name}) have no ${lines.matches.has("posting_date") ? "customer" : "date"}; it is in ${header.t.name}, but a file source cannot join files: export the lines with their invoice's date and customer as one file`,
		);
		return single;
	}
	const have = new Set(lines.table.columns.map((c) => compact(c.name)));
	const fromHeader = header.t.columns.filter((c) => !have.has(compact(c.name)));
	for (const c of fromHeader) have.add(compact(c.name));
	const select = [
		...lines.table.columns.map((c) => `l.${ident(kind, c.name)}`),
		...fromHeader.map((c) => `h.${ident(kind, c.name)}`),
	];
	const from = [
		`FROM ${ident(kind, lines.table.name)} l`,
		`JOIN ${ident(kind, header.t.name)} h ON h.${ident(kind, header.key.name)} = l.${ident(kind, order.name)}`,
	];
	const columns: SourceColumn[] = [...lines.table.columns, ...fromHeader];
	const tablesRead = [lines.table.name, header.t.name];
	const joinedSoFar: SourceTable = {
		name: lines.table.name,
		rows: lines.table.rows,
		columns,
	};
	const m = matchColumns("order_lines", joinedSoFar);
	const cust = m.get("customer")?.column;
	const custKey = customers?.matches.get("customer")?.column;
	if (
		customers &&
		cust &&
		custKey &&
		!m.has("region") &&
		!m.has("sales_office_name") &&
		customers.table !== header.t &&
		customers.table !== lines.table
	) {
		const cm = matchColumns("order_lines", customers.table);
		const extra = ["region", "sales_office_name"]
			.map((k) => cm.get(k)?.column)
			.filter(
				(c): c is SourceColumn => c !== undefined && !have.has(compact(c.name)),
			);
		if (extra.length > 0) {
			const alias = lines.table.columns.includes(cust) ? "l" : "h";
			select.push(...extra.map((c) => `c.${ident(kind, c.name)}`));
			from.push(
				`LEFT JOIN ${ident(kind, customers.table.name)} c ON c.${ident(kind, custKey.name)} = ${alias}.${ident(kind, cust.name)}`,
			);
			columns.push(...extra);
			tablesRead.push(customers.table.name);
		}
	}
	const joined: SourceTable = {
		name: lines.table.name,
		rows: lines.table.rows,
		columns,
	};
	return {
		candidate: candidate("order_lines", joined) ?? lines,
		select: `SELECT ${select.join(", ")} ${from.join(" ")}`,
		tables: tablesRead,
		notes: [
			`${lines.table.name} holds the lines; their date and customer come from ${header.t.name} (one row per ${order.name})${tablesRead.length > 2 ? `, their region from ${customers?.table.name}` : ""}`,
		],
	};
}
