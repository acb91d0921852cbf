import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { SchemaElement } from "hyparquet";
import { fileWriter, ParquetWriter } from "hyparquet-writer";
import { SALES_LINE_EXPORT, sqlTypeFor } from "./export.ts";
import { TABLE_NAMES } from "./sqlite.ts";

/** Rows per row group (and per batch held in memory while writing). */
const ROW_GROUP = 100_000;

type Cell = string | number | bigint | null;

/** How one demo column is stored in Parquet, and how a SQLite value becomes a Parquet one. */
interface ParquetColumn {
	element: SchemaElement;
	convert(v: Cell): unknown;
}

const DAY_MS = 86_400_000;

/** Digits after the point in the shortest form of a REAL ("0.33" → 2). */
function decimals(v: number): number {
	const s = String(v);
	if (/e/i.test(s)) return 10;
	const dot = s.indexOf(".");
	return dot < 0 ? 0 : s.length - dot - 1;
}

/** "69.7" at scale 2 → 6970n, from the shortest decimal form of the double (exact for the demo's prices). */
function unscaled(v: number, scale: number): bigint {
	const [int = "0", frac = ""] = String(Math.abs(v)).split(".");
	const n = BigInt(int + frac.padEnd(scale, "0").slice(0, scale));
	return v < 0 ? -n : n;
}

/**
 * The Parquet type of a demo column, as a data lake export would have it: dates as DATE, the
 * posting time as a microsecond TIMESTAMP (wall clock, not UTC), whole numbers as INT64, amounts
 * as DECIMAL(18, s) with the smallest scale that holds every value exactly, text as dictionary
 * encoded UTF-8 strings; every column nullable.
 */
function parquetColumn(
	name: string,
	sqliteType: string,
	scale: number,
): ParquetColumn {
	const sql = sqlTypeFor(name, sqliteType);
	const base = { name, repetition_type: "OPTIONAL" as const };
	if (sql === "timestamp")
		return {
			element: {
				...base,
				type: "INT64",
				logical_type: {
					type: "TIMESTAMP",
					isAdjustedToUTC: false,
					unit: "MICROS",
				},
			},
			convert: (v) =>
				v === null
					? null
					: BigInt(Date.parse(`${String(v).replace(" ", "T")}Z`)) * 1000n,
		};
	if (sql === "date")
		return {
			element: {
				...base,
				type: "INT32",
				converted_type: "DATE",
				logical_type: { type: "DATE" },
			},
			convert: (v) =>
				v === null ? null : Date.parse(`${v}T00:00:00Z`) / DAY_MS,
		};
	if (sql === "bigint")
		return {
			element: { ...base, type: "INT64" },
			convert: (v) => (v === null ? null : BigInt(v)),
		};
	if (sql === "double precision")
		return {
			element: {
				...base,
				type: "INT64",
				converted_type: "DECIMAL",
				scale,
				precision: 18,
				logical_type: { type: "DECIMAL", scale, precision: 18 },
			},
			convert: (v) => (v === null ? null : unscaled(Number(v), scale)),
		};
	return {
		element: {
			...base,
			type: "BYTE_ARRAY",
			converted_type: "UTF8",
			logical_type: { type: "STRING" },
		},
		convert: (v) => (v === null ? null : String(v)),
	};
}

/** Writes the rows of one SELECT as a Parquet file, one row group of ROW_GROUP rows at a time. */
async function writeParquet(
	db: DatabaseSync,
	select: string,
	file: string,
): Promise<number> {
	const stmt = db.prepare(select);
	const cols = stmt
		.columns()
		.map((c) => ({ name: c.name, type: (c.type ?? "TEXT").toUpperCase() }));
	// First pass: the scale each REAL column needs.
	const scales = cols.map(() => 2);
	for (const row of stmt.iterate() as Iterable<Record<string, Cell>>)
		cols.forEach((c, i) => {
			const v = row[c.name];
			if (typeof v === "number" && c.type === "REAL")
				scales[i] = Math.max(scales[i] as number, decimals(v));
		});
	const columns = cols.map((c, i) =>
		parquetColumn(c.name, c.type, scales[i] as number),
	);
	const writer = new ParquetWriter({
		writer: fileWriter(file),
		schema: [
			{ name: "root", num_children: columns.length },
			...columns.map((c) => c.element),
		],
	});
	let batch: unknown[][] = columns.map(() => []);
	let n = 0;
	const flush = async () => {
		if ((batch[0]?.length ?? 0) === 0) return;
		await writer.write({
			columnData: columns.map((c, i) => ({
				name: c.element.name,
				data: batch[i] as unknown[],
			})),
			rowGroupSize: ROW_GROUP,
		});
		batch = columns.map(() => []);
	};
	for (const row of stmt.iterate() as Iterable<Record<string, Cell>>) {
		columns.forEach((c, i) => {
			batch[i]?.push(c.convert(row[c.element.name] ?? null));
		});
		if (++n % ROW_GROUP === 0) await flush();
	}
	await flush();
	await writer.finish();
	return n;
}

/**
 * The demo ERP as Parquet exports: every table as TABLE.parquet, plus the joined sales-line export
 * (the same shape as the CSV exports, so the demo-erp-csv mapping reads either). Returns row counts.
 */
export async function exportDemoParquet(
	sqliteFile: string,
	dir: string,
	salesLineSelect: string,
): Promise<Record<string, number>> {
	mkdirSync(dir, { recursive: true });
	const db = new DatabaseSync(sqliteFile, { readOnly: true });
	try {
		const counts: Record<string, number> = {};
		for (const t of TABLE_NAMES)
			counts[t] = await writeParquet(
				db,
				`SELECT * FROM ${t}`,
				path.join(dir, `${t}.parquet`),
			);
		counts[SALES_LINE_EXPORT] = await writeParquet(
			db,
			salesLineSelect,
			path.join(dir, `${SALES_LINE_EXPORT}.parquet`),
		);
		return counts;
	} finally {
		db.close();
	}
}
