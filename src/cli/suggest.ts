import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LoadedConfig } from "../config/load.ts";
import { AppError } from "../errors.ts";
import { connectorFor, sourceConfig } from "../ingest/sources.ts";
import { gatherTables } from "../ingest/suggest/gather.ts";
import { dateFormatLine, suggestMapping } from "../ingest/suggest/index.ts";
import { VOCABULARY } from "../ingest/suggest/vocabulary.ts";
import { suggestionYaml } from "../ingest/suggest/yaml.ts";
import { checkOutFile, type Io, table, type Values } from "./io.ts";

/** What a file `sources suggest --out` wrote starts with: such a file may be replaced. */
const MAGIC = Buffer.from("# Proposed by `erp-pulse sources suggest");

/**
 * `sources suggest <source> [--out file.yaml]`: a proposed mapping from the source's own tables.
 * Without --out the YAML goes to stdout; with it, stdout gets the summary: per entity, the table,
 * how many canonical columns were found, and what is left to do.
 */
export async function suggestSource(
	loaded: LoadedConfig,
	name: string,
	values: Values,
	io: Io,
): Promise<number> {
	const out = values.out;
	if (out !== undefined && typeof out !== "string")
		throw new AppError("usage", "--out needs a file name: --out mapping.yaml");
	if (out) checkOutFile("out", out, MAGIC, "suggested mapping");
	const kind = sourceConfig(loaded.config, name).connection.kind;
	const conn = connectorFor(loaded.config, name);
	let gathered: Awaited<ReturnType<typeof gatherTables>>;
	try {
		gathered = await gatherTables(conn, (t) => {
			if (out) io.out(`reading ${t}…`);
		});
	} finally {
		await conn.close();
	}
	const s = suggestMapping({ source: name, kind, tables: gathered.tables });
	const yaml = suggestionYaml(s);
	if (!out) {
		io.out(yaml.trimEnd());
		return 0;
	}
	mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
	writeFileSync(out, yaml);
	io.out(
		`wrote ${out}: a proposed mapping for ${name}; check each line, then fill in or delete its TODOs`,
	);
	const rows = [["entity", "from", "found", "to do"]];
	for (const p of s.entities) {
		const total =
			Object.keys(VOCABULARY[p.entity].columns).length +
			(p.entity === "order_lines" ? 1 : 0);
		rows.push([
			p.entity,
			p.tables.join(" + "),
			`${p.columns.length} of ${total} columns`,
			p.todo.map((t) => t.canon).join(", ") || "-",
		]);
	}
	for (const m of s.missing) rows.push([m.entity, "-", "not found", m.why]);
	for (const line of table(rows)) io.out(`  ${line}`);
	if (gathered.skipped.length > 0)
		io.out(
			`  ${gathered.skipped.length} tables were not read (the source has more than 40; these looked least like ERP data): ${gathered.skipped.slice(0, 10).join(", ")}${gathered.skipped.length > 10 ? ", …" : ""}`,
		);
	const dates = dateFormatLine(s);
	if (dates)
		io.out(
			`  add to the connection of ${name}, so its dates can be read: ${dates}`,
		);
	const uses =
		path.resolve(sourceConfig(loaded.config, name).mapping) ===
		path.resolve(out);
	io.out(
		uses
			? `next: erp-pulse ingest ${name} --dry-run (the source's mapping: is already ${out})`
			: `next: set mapping: ${out} on the source in the config file, then erp-pulse ingest ${name} --dry-run`,
	);
	return 0;
}
