import type { SourceKind } from "../../sources/types.ts";
import { ENTITY_NAMES, type EntityName } from "../entities.ts";
import type { ValueSpec } from "../mapping.ts";
import { joinLines } from "./join.ts";
import {
	bestCandidate,
	type Candidate,
	type ColumnMatch,
	type Confidence,
	keyColumns,
} from "./match.ts";
import { compact, observe, type SourceTable } from "./observe.ts";
import {
	CHANGE_TIME_NAMES,
	CREDIT_CODES,
	DOC_TYPE_NAMES,
	VOCABULARY,
} from "./vocabulary.ts";

export type { SourceColumn, SourceTable } from "./observe.ts";

/** The connection's `dateFormat` line to add, or "" when every date is ISO. */
export function dateFormatLine(s: Suggestion): string {
	const entries = Object.entries(s.dateFormat).sort(([a], [b]) =>
		a.localeCompare(b),
	);
	if (entries.length === 0) return "";
	return `dateFormat: {${entries.map(([c, f]) => `${c}: "${f}"`).join(", ")}}`;
}

/** One canonical column's proposed expression, how sure, and why. */
export interface ColumnProposal {
	canon: string;
	spec: ValueSpec;
	confidence: Confidence;
	evidence: string;
	/** Something the user should check ("values are fractions: scaled to percent"). */
	note?: string;
}

/** A proposed entity mapping with what could not be found. */
export interface EntityProposal {
	entity: EntityName;
	from: { table: string } | { select: string };
	/** The tables read (more than one when the lines are joined to their header). */
	tables: string[];
	rows: number;
	only?: ValueSpec;
	watermark?: { column: string; overlap: string };
	columns: ColumnProposal[];
	/** Canonical columns left unmapped, each with what to look for. */
	todo: { canon: string; why: string }[];
	notes: string[];
}

/** What `sources suggest` proposes for a whole source. */
export interface Suggestion {
	source: string;
	kind: SourceKind;
	entities: EntityProposal[];
	/** Entities no table feeds, with why. */
	missing: { entity: EntityName; why: string }[];
	/** The CSV connection's dateFormat for the date columns not written as ISO dates. */
	dateFormat: Record<string, string>;
}

/**
 * Proposes a mapping for each canonical entity from a source's tables, their profiles and sampled
 * values: the table (or, for lines without their invoice's date, the join to the header), a source
 * column for each canonical column with its evidence, and what it could not find. Pure.
 */
export function suggestMapping(input: {
	source: string;
	kind: SourceKind;
	tables: readonly SourceTable[];
}): Suggestion {
	const out: Suggestion = {
		source: input.source,
		kind: input.kind,
		entities: [],
		missing: [],
		dateFormat: {},
	};
	const chosen = new Map<EntityName, Candidate>();
	for (const entity of ENTITY_NAMES) {
		const best = bestCandidate(entity, input.tables);
		if (best) chosen.set(entity, best);
	}
	const lines = chosen.get("order_lines");
	if (lines) {
		const joined = joinLines(
			lines,
			input.tables,
			input.kind,
			chosen.get("customers"),
		);
		chosen.set("order_lines", joined.candidate);
		const p = propose("order_lines", joined.candidate, input.kind, out);
		if (joined.select) p.from = { select: joined.select };
		p.tables = joined.tables;
		p.notes.push(...joined.notes);
	}
	for (const entity of ENTITY_NAMES) {
		const c = chosen.get(entity);
		if (!c) {
			const keys = keyColumns(entity).map((k) => {
				const term = VOCABULARY[entity].columns[k];
				return `${term?.hint} (named like ${term?.names.slice(0, 3).join(", ")})`;
			});
			out.missing.push({
				entity,
				why: `no table has ${keys.join(" and ")}${entity === "branches" || entity === "salespeople" ? ` in a table named for it (${VOCABULARY[entity].tables.slice(0, 3).join(", ")})` : ""}${entity === "order_lines" ? " with an amount, or a quantity and a unit price" : ""}`,
			});
		} else if (entity !== "order_lines") propose(entity, c, input.kind, out);
	}
	out.entities.sort(
		(a, b) => ENTITY_NAMES.indexOf(a.entity) - ENTITY_NAMES.indexOf(b.entity),
	);
	return out;
}

function plain(m: ColumnMatch): ValueSpec {
	return m.seen.floatIds
		? { column: m.column.name, cast: "int" }
		: m.column.name;
}

function propose(
	entity: EntityName,
	c: Candidate,
	kind: SourceKind,
	out: Suggestion,
): EntityProposal {
	const p: EntityProposal = {
		entity,
		from: { table: c.table.name },
		tables: [c.table.name],
		rows: c.table.rows,
		columns: [],
		todo: [],
		notes: [],
	};
	for (const [canon, term] of Object.entries(VOCABULARY[entity].columns)) {
		const m = c.matches.get(canon);
		if (!m) {
			p.todo.push({
				canon,
				why: `${term.hint}: no column named like ${term.names.slice(0, 4).join(", ")}`,
			});
			continue;
		}
		const col: ColumnProposal = {
			canon,
			spec: plain(m),
			confidence: m.confidence,
			evidence: m.evidence,
		};
		if (m.seen.floatIds)
			col.note = "whole numbers written as decimals (17850.0): cast to int";
		if (m.seen.dateFormats.length > 0) dateFormat(m, kind, col, out);
		p.columns.push(col);
	}
	special(entity, c, p);
	if (entity !== "order_lines" && c.table.rows > 0) {
		const key = c.matches.get(
			Object.keys(VOCABULARY[entity].columns)[0] as string,
		);
		if (key && key.column.nulls > 0) p.only = { present: key.column.name };
	}
	out.entities.push(p);
	return p;
}

function dateFormat(
	m: ColumnMatch,
	kind: SourceKind,
	col: ColumnProposal,
	out: Suggestion,
): void {
	const [first, ...others] = m.seen.dateFormats;
	if (kind === "csv") {
		out.dateFormat[m.column.name] = first as string;
		col.note = `dates written like ${JSON.stringify(m.seen.examples[0])}: give the connection dateFormat: {${m.column.name}: "${first}"}${others.length ? ` (they also read as ${others.join(" or ")}: check whether the day or the month comes first)` : ""}`;
	} else
		col.note = `dates written like ${JSON.stringify(m.seen.examples[0])} are text the ingest cannot read: convert them in a select (${first})`;
}

/** Entity rules past plain columns: amounts from quantity × price, cancellations, scaled percents, status codes, watermarks. */
function special(entity: EntityName, c: Candidate, p: EntityProposal): void {
	const m = c.matches;
	const set = (
		canon: string,
		spec: ValueSpec,
		confidence: Confidence,
		evidence: string,
		note?: string,
	) => {
		p.todo = p.todo.filter((t) => t.canon !== canon);
		p.columns = p.columns.filter((x) => x.canon !== canon);
		p.columns.push({
			canon,
			spec,
			confidence,
			evidence,
			...(note ? { note } : {}),
		});
	};
	const region = m.get("region");
	if (entity === "order_lines" && region && !m.has("sales_office_name"))
		set(
			"sales_office_name",
			region.column.name,
			"low",
			`no sales-office column; ${region.column.name} is the region`,
			"the regional analytics group order lines by sales office: without one, the region stands in",
		);
	if (entity === "order_lines") {
		const qty = m.get("inv_quantity_cases");
		const price = m.get("unit_price");
		if (!m.has("net_sales") && qty && price)
			set(
				"net_sales",
				{ multiply: [qty.column.name, price.column.name] },
				"medium",
				`no amount column: ${qty.column.name} × ${price.column.name}`,
			);
		if (!m.has("line_number"))
			set(
				"line_number",
				{ recordNumber: true },
				"low",
				"no line-number column",
				"the row's position in the file or query: stable only while rows are only ever appended",
			);
		cancellation(c, p, set);
		const change = c.table.columns.find(
			(col) =>
				CHANGE_TIME_NAMES.includes(compact(col.name)) &&
				observe(col, c.table.rows).shape === "date",
		);
		const column = change?.name ?? m.get("posting_date")?.column.name;
		if (column) p.watermark = { column, overlap: "2 days" };
		p.todo = p.todo.filter(
			(t) => t.canon !== "gross_margin" || !m.has("total_cogs"),
		);
	}
	if (entity === "stock_levels") {
		const d = m.get("snapshot_date");
		if (d) p.watermark = { column: d.column.name, overlap: "7 days" };
	}
	if (entity === "materials") {
		const pct = m.get("storage_cost_pct");
		if (pct && typeof pct.column.max === "number" && pct.column.max <= 1)
			set(
				"storage_cost_pct",
				{ multiply: [pct.column.name, { const: 100 }] },
				"medium",
				pct.evidence,
				"values are fractions (at most 1): scaled to percent, the warehouse's unit",
			);
		const std = p.columns.find((x) => x.canon === "lead_time_std_days");
		if (std)
			std.note =
				"this column is the lead time's standard deviation, not a quoted (standard) lead time";
	}
	const status = m.get("status");
	if (entity === "customers" && status) {
		const codes = new Set(
			[...status.column.samples, status.column.min, status.column.max]
				.filter((v) => v !== null)
				.map((v) => String(v).toUpperCase()),
		);
		if ([...codes].every((v) => v === "A" || v === "I"))
			set(
				"status",
				{ column: status.column.name, map: { A: "active", I: "inactive" } },
				"medium",
				status.evidence,
				"A/I read as active/inactive",
			);
	}
}

function cancellation(
	c: Candidate,
	p: EntityProposal,
	set: (
		canon: string,
		spec: ValueSpec,
		confidence: Confidence,
		evidence: string,
		note?: string,
	) => void,
): void {
	for (const col of c.table.columns) {
		if (!DOC_TYPE_NAMES.includes(compact(col.name))) continue;
		const values = new Set(
			[...col.samples, col.min, col.max]
				.filter((v) => v !== null)
				.map((v) => String(v).trim().toUpperCase()),
		);
		const credit = CREDIT_CODES.filter((code) => values.has(code));
		if (credit.length > 0) {
			set(
				"is_cancellation",
				{
					equals: col.name,
					value: credit.length === 1 ? (credit[0] as string) : credit,
				},
				"medium",
				`${col.name} has ${[...values].join(", ")}`,
				`${credit.join(", ")} read as credit notes or cancellations`,
			);
			return;
		}
	}
	const order = c.matches.get("order_number")?.column;
	const prefix = /^([A-Za-z]+)\d/.exec(String(order?.max ?? ""));
	if (order && prefix && /^\d/.test(String(order.min ?? ""))) {
		set(
			"is_cancellation",
			{ startsWith: order.name, prefix: prefix[1] as string },
			"medium",
			`${order.name} runs from ${order.min} to ${order.max}`,
			`numbers starting with ${prefix[1]} read as cancellations`,
		);
		return;
	}
	const negative = ["inv_quantity_cases", "net_sales"].some((k) => {
		const v = c.matches.get(k)?.column.min;
		return v !== null && v !== undefined && Number(v) < 0;
	});
	p.todo.push({
		canon: "is_cancellation",
		why: negative
			? "some quantities or amounts are negative: map credit notes here, e.g. {equals: DocType, value: CRN}, or those lines are rejected"
			: "which lines are credit notes, e.g. {equals: DocType, value: CRN}",
	});
}
