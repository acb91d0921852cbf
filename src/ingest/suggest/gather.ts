import type { SourceConnector } from "../../sources/types.ts";
import { ENTITY_NAMES } from "../entities.ts";
import { nameScore, tableHint } from "./match.ts";
import type { SourceTable } from "./observe.ts";
import { VOCABULARY } from "./vocabulary.ts";

/** Rows sampled per table for value shapes. */
export const SAMPLE_ROWS = 200;
/** Tables profiled at most; a larger source is narrowed by table and column names first. */
export const MAX_TABLES = 40;

/** How likely a table is to feed some entity, from names alone (no rows read). */
function promise(table: string, columns: readonly string[]): number {
	let score = 0;
	for (const entity of ENTITY_NAMES) {
		if (tableHint(entity, table)) score += 2;
		for (const term of Object.values(VOCABULARY[entity].columns))
			if (columns.some((c) => nameScore(c, term) === 1)) score += 1;
	}
	return score;
}

/**
 * Reads what `sources suggest` needs from a source: every table's profile (types, nulls, distinct
 * counts, min and max) and its first rows. A source with more than MAX_TABLES tables is narrowed to
 * the most promising by their names and column names; the others are returned as `skipped`.
 */
export async function gatherTables(
	conn: SourceConnector,
	onTable: (name: string) => void = () => {},
): Promise<{ tables: SourceTable[]; skipped: string[] }> {
	let names = (await conn.listTables()).map((t) => t.name);
	let skipped: string[] = [];
	if (names.length > MAX_TABLES) {
		const ranked: { name: string; score: number }[] = [];
		for (const name of names)
			ranked.push({
				name,
				score: promise(name, await conn.columns({ table: name })),
			});
		ranked.sort((a, b) => b.score - a.score);
		names = ranked.slice(0, MAX_TABLES).map((r) => r.name);
		skipped = ranked.slice(MAX_TABLES).map((r) => r.name);
	}
	const tables: SourceTable[] = [];
	for (const name of names) {
		onTable(name);
		const profile = await conn.profile(name);
		const rows = await conn.sample({ table: name }, SAMPLE_ROWS);
		tables.push({
			name,
			rows: profile.rows,
			columns: profile.columns.map((c) => ({
				...c,
				samples: rows.map((r) => r[c.name] ?? null),
			})),
		});
	}
	return { tables, skipped };
}
