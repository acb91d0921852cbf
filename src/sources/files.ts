import { type Dirent, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { type SourceLabel, sourceError } from "./errors.ts";
import type { Row, SourceRelation, StreamRequest } from "./types.ts";
import { valueIsAfter } from "./values.ts";

/**
 * What the file kinds (CSV, Parquet) share: a source `path` is a file (one table named after it)
 * or a folder where each matching file is a table and each subfolder a table of all its matching
 * files in name order (a daily or partitioned export).
 */

/** A table of a file source: one file, or the files of one subfolder read in name order. */
export interface FileTable {
	name: string;
	files: string[];
}

function byName(a: Dirent, b: Dirent): number {
	return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The tables under `root`, sorted by name; `pattern` matches a table file and is cut from its name. */
export function listFileTables(
	root: string,
	pattern: RegExp,
	label: SourceLabel,
): FileTable[] {
	let stat: ReturnType<typeof statSync>;
	try {
		stat = statSync(root);
	} catch (err) {
		throw sourceError(
			label,
			"source_missing_object",
			"no such file or folder",
			{
				cause: err,
			},
		);
	}
	const name = (file: string) => path.basename(file).replace(pattern, "");
	if (stat.isFile()) return [{ name: name(root), files: [root] }];
	const tables: FileTable[] = [];
	for (const entry of readdirSync(root, { withFileTypes: true }).sort(byName)) {
		const full = path.join(root, entry.name);
		if (entry.isFile() && pattern.test(entry.name))
			tables.push({ name: name(entry.name), files: [full] });
		else if (entry.isDirectory()) {
			const files = readdirSync(full, { withFileTypes: true })
				.filter((e) => e.isFile() && pattern.test(e.name))
				.sort(byName)
				.map((e) => path.join(full, e.name));
			if (files.length) tables.push({ name: entry.name, files });
		}
	}
	return tables;
}

/** The table a relation names (exact name first, then any case); a { select } cannot be read from files. */
export function findFileTable(
	tables: readonly FileTable[],
	from: SourceRelation,
	label: SourceLabel,
	kindName: string,
): FileTable {
	if (!("table" in from))
		throw sourceError(
			label,
			"source_unsupported",
			`a ${kindName} source has no SQL; map a table (a file or folder name) instead of a { select }`,
		);
	const found =
		tables.find((t) => t.name === from.table) ??
		tables.find((t) => t.name.toLowerCase() === from.table.toLowerCase());
	if (!found)
		throw sourceError(
			label,
			"source_missing_object",
			`no table ${from.table} (tables here: ${tables.map((t) => t.name).join(", ") || "none"})`,
		);
	return found;
}

/** The rows past the watermark, in file order: a file has no index, so the filter runs while reading. */
export async function* pastWatermark(
	rows: AsyncIterable<Row>,
	wm: StreamRequest["watermark"],
): AsyncGenerator<Row> {
	for await (const row of rows) {
		if (
			wm &&
			wm.after !== null &&
			!valueIsAfter(row[wm.column] ?? null, wm.after)
		)
			continue;
		yield row;
	}
}

/** The first `n` rows of a stream (the stream is closed after them). */
export async function firstRows(
	rows: AsyncIterable<Row>,
	n: number,
): Promise<Row[]> {
	const out: Row[] = [];
	if (n <= 0) return out;
	for await (const row of rows) {
		out.push(row);
		if (out.length >= n) break;
	}
	return out;
}
