import { ENTITIES, type EntityName } from "../entities.ts";
import {
	compact,
	type Observed,
	observe,
	type SourceColumn,
	type SourceTable,
	shapeFit,
	words,
} from "./observe.ts";
import { type Term, VOCABULARY } from "./vocabulary.ts";

/** How sure the matcher is of one column: the name is a known one and the values fit, or less. */
export type Confidence = "high" | "medium" | "low";

/** A source column proposed for one canonical column, with why. */
export interface ColumnMatch {
	column: SourceColumn;
	seen: Observed;
	score: number;
	confidence: Confidence;
	/** "name InvoiceDate; values like 2016-03-01" */
	evidence: string;
}

/** Names so common that on their own they do not say which entity a table holds. */
const GENERIC = new Set([
	"id",
	"name",
	"date",
	"code",
	"type",
	"status",
	"item",
	"product",
	"amount",
	"value",
	"total",
	"cost",
	"price",
	"source",
	"state",
	"area",
	"site",
	"store",
	"unit",
	"rep",
	"quantity",
	"qty",
]);

/** How much a column's name says it is `term`: 1 for a known name, 0.6 for one that starts or ends with a long known name. */
export function nameScore(column: string, term: Term): number {
	const c = compact(column);
	if (term.names.includes(c)) return 1;
	return term.names.some(
		(n) => n.length >= 5 && (c.startsWith(n) || c.endsWith(n)),
	)
		? 0.6
		: 0;
}

function describe(c: SourceColumn, seen: Observed, rows: number): string {
	const parts = [`name ${c.name}`];
	if (seen.examples.length > 0)
		parts.push(
			`values like ${seen.examples.map((e) => JSON.stringify(e.length > 30 ? `${e.slice(0, 29)}…` : e)).join(", ")}`,
		);
	if (seen.unique && rows > 1) parts.push(`unique in ${rows} rows`);
	if (c.nulls > 0 && rows > 0) {
		const pct = Math.round((100 * c.nulls) / rows);
		parts.push(pct === 0 ? `${c.nulls} empty` : `${pct}% empty`);
	}
	return parts.join("; ");
}

/**
 * Pairs the entity's canonical columns with a table's columns: every pair scored by name and value
 * shape, then the best pairs taken first, each source column used once.
 */
export function matchColumns(
	entity: EntityName,
	table: SourceTable,
): Map<string, ColumnMatch> {
	const terms = VOCABULARY[entity].columns;
	const seen = new Map(table.columns.map((c) => [c, observe(c, table.rows)]));
	const pairs: { canon: string; match: ColumnMatch }[] = [];
	for (const [canon, term] of Object.entries(terms))
		for (const column of table.columns) {
			const name = nameScore(column.name, term);
			const obs = seen.get(column) as Observed;
			const fit = shapeFit(term.shape, obs.shape);
			if (name === 0 || fit === 0) continue;
			const score = name * fit;
			pairs.push({
				canon,
				match: {
					column,
					seen: obs,
					score,
					confidence: score >= 0.99 ? "high" : score >= 0.5 ? "medium" : "low",
					evidence: describe(column, obs, table.rows),
				},
			});
		}
	pairs.sort((a, b) => b.match.score - a.match.score);
	const out = new Map<string, ColumnMatch>();
	const used = new Set<SourceColumn>();
	for (const { canon, match } of pairs) {
		if (out.has(canon) || used.has(match.column)) continue;
		out.set(canon, match);
		used.add(match.column);
	}
	return out;
}

/** The entity's key columns that a mapping must give (a missing line number can be the record number). */
export function keyColumns(entity: EntityName): string[] {
	return ENTITIES[entity].key.filter(
		(k) => k !== "warehouse" && k !== "line_number",
	);
}

/** True when the table's name has a word that points at the entity ("IC_STOCK_SNAPSHOT" → stock). */
export function tableHint(entity: EntityName, table: string): boolean {
	const hints = VOCABULARY[entity].tables;
	return words(table).some((w) => hints.includes(w));
}

/** A table's candidacy for an entity: its matches and a score, or null when its key is not there. */
export interface Candidate {
	table: SourceTable;
	matches: Map<string, ColumnMatch>;
	score: number;
}

/**
 * Scores a table as the entity's source: the key must be found; reference lists (branches,
 * salespeople) also need a table named for them; a master whose key is unique in the table, and a
 * table named for the entity, score higher.
 */
export function candidate(
	entity: EntityName,
	table: SourceTable,
): Candidate | null {
	const matches = matchColumns(entity, table);
	const keys = keyColumns(entity);
	if (!keys.every((k) => (matches.get(k)?.score ?? 0) >= 0.5)) return null;
	const hinted = tableHint(entity, table.name);
	const keyNames = keys.map((k) => compact(matches.get(k)?.column.name ?? ""));
	if (!hinted && keyNames.every((n) => GENERIC.has(n))) return null;
	if ((entity === "branches" || entity === "salespeople") && !hinted)
		return null;
	if (entity === "order_lines") {
		const amount =
			matches.has("net_sales") ||
			(matches.has("inv_quantity_cases") && matches.has("unit_price"));
		if (!amount) return null;
	}
	let score = hinted ? 2 : 0;
	for (const [canon, m] of matches)
		score += m.score * (keys.includes(canon) ? 3 : 1);
	const master = ["customers", "materials", "branches", "salespeople"].includes(
		entity,
	);
	if (
		master &&
		keys.length === 1 &&
		matches.get(keys[0] as string)?.seen.unique
	)
		score += 3;
	return { table, matches, score };
}

/** The best table for an entity, or null when none has its key. */
export function bestCandidate(
	entity: EntityName,
	tables: readonly SourceTable[],
): Candidate | null {
	let best: Candidate | null = null;
	for (const t of tables) {
		const c = candidate(entity, t);
		if (c && (!best || c.score > best.score)) best = c;
	}
	return best;
}
