import { once } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { finished } from "node:stream/promises";
import { createGzip } from "node:zlib";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { loadMapping } from "../ingest/mapping-file.ts";
import { TABLE_NAMES } from "./sqlite.ts";

/**
 * Copies of the demo ERP in the other shapes a company's data arrives in: CSV.gz exports and
 * the same tables in a PostgreSQL database. Used by the cross-source ingestion tests and the
 * benchmarks, and handy for trying a source kind without an ERP at hand.
 */

/** The sales-line export a CSV-only ERP sends: each line with its invoice header and customer fields. */
export const SALES_LINE_EXPORT = "SLS_INVOICE_EXPORT";

/**
 * The demo-erp mapping's SELECT of order lines, each with its invoice header and customer fields:
 * the rows of the sales-line export (CSV or Parquet), so the demo-erp-csv mapping reads them as
 * the demo-erp mapping reads the ERP.
 */
export function demoSalesLineSelect(): string {
	const from = loadMapping("demo-erp").entities.order_lines?.from;
	if (!from || !("select" in from))
		throw new Error("the demo-erp mapping reads order lines with no SELECT");
	return from.select;
}

type Cell = string | number | bigint | null | Uint8Array;

/** Quotes a CSV field when it holds the delimiter, a quote or a line break (RFC 4180). */
export function csvField(v: Cell): string {
	if (v === null) return "";
	const s = String(v);
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function writeCsvGz(
	file: string,
	columns: string[],
	rows: Iterable<Record<string, Cell>>,
): Promise<number> {
	const gzip = createGzip();
	const out = createWriteStream(file);
	gzip.pipe(out);
	let chunk = `${columns.map(csvField).join(",")}\n`;
	let n = 0;
	for (const r of rows) {
		chunk += `${columns.map((c) => csvField(r[c] ?? null)).join(",")}\n`;
		n++;
		if (chunk.length > 1 << 16) {
			if (!gzip.write(chunk)) await once(gzip, "drain");
			chunk = "";
		}
	}
	gzip.end(chunk);
	await finished(out);
	return n;
}

function columnsOf(
	db: DatabaseSync,
	table: string,
): { name: string; type: string }[] {
	return db.prepare(`PRAGMA table_info(${table})`).all() as {
		name: string;
		type: string;
	}[];
}

/** Writes every table as TABLE.csv.gz, plus the joined sales-line export; returns row counts by file. */
export async function exportDemoCsv(
	sqliteFile: string,
	dir: string,
	salesLineSelect: string,
): Promise<Record<string, number>> {
	mkdirSync(dir, { recursive: true });
	const db = new DatabaseSync(sqliteFile, { readOnly: true });
	try {
		const counts: Record<string, number> = {};
		for (const t of TABLE_NAMES) {
			const cols = columnsOf(db, t).map((c) => c.name);
			const rows = db.prepare(`SELECT * FROM ${t}`).iterate() as Iterable<
				Record<string, Cell>
			>;
			counts[t] = await writeCsvGz(path.join(dir, `${t}.csv.gz`), cols, rows);
		}
		const stmt = db.prepare(salesLineSelect);
		const cols = stmt.columns().map((c) => c.name);
		counts[SALES_LINE_EXPORT] = await writeCsvGz(
			path.join(dir, `${SALES_LINE_EXPORT}.csv.gz`),
			cols,
			stmt.iterate() as Iterable<Record<string, Cell>>,
		);
		return counts;
	} finally {
		db.close();
	}
}

/**
 * The SQL type a copied column gets: dates and the posting time become real date/timestamp
 * columns (as in a real ERP), so connectors' type normalisation is exercised; REAL stays a
 * double so every copy holds the very same numbers.
 */
export function sqlTypeFor(column: string, sqliteType: string): string {
	if (column === "PostedAt") return "timestamp";
	if (/Date$/.test(column)) return "date";
	if (sqliteType === "INTEGER") return "bigint";
	if (sqliteType === "REAL") return "double precision";
	return "text";
}

/** Creates the demo tables (unquoted names, folded by Postgres) in an empty database and COPYs every row. */
export async function copyDemoToPostgres(
	sqliteFile: string,
	url: string,
): Promise<void> {
	const db = new DatabaseSync(sqliteFile, { readOnly: true });
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		for (const t of TABLE_NAMES) {
			const cols = columnsOf(db, t);
			await client.query(
				`create table ${t} (${cols.map((c) => `${c.name} ${sqlTypeFor(c.name, c.type)}`).join(", ")})`,
			);
			const stream = client.query(copyFrom(`copy ${t} from stdin`));
			let chunk = "";
			for (const r of db.prepare(`SELECT * FROM ${t}`).iterate() as Iterable<
				Record<string, Cell>
			>) {
				chunk += `${cols.map((c) => copyText(r[c.name] ?? null)).join("\t")}\n`;
				if (chunk.length > 1 << 16) {
					if (!stream.write(chunk)) await once(stream, "drain");
					chunk = "";
				}
			}
			stream.end(chunk);
			await finished(stream);
		}
		await client.query("analyze");
	} finally {
		await client.end();
		db.close();
	}
}

function copyText(v: Cell): string {
	if (v === null) return "\\N";
	return String(v).replace(/[\\\t\n\r]/g, (c) =>
		c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
	);
}

/** MySQL/MariaDB column types for the copy: the same choices as for Postgres. */
function mysqlTypeFor(column: string, sqliteType: string): string {
	if (column === "PostedAt") return "datetime";
	if (/Date$/.test(column)) return "date";
	if (sqliteType === "INTEGER") return "bigint";
	if (sqliteType === "REAL") return "double";
	return "varchar(255)";
}

/** Creates the demo tables in an empty MySQL/MariaDB database and inserts every row in batches. */
export async function copyDemoToMysql(
	sqliteFile: string,
	url: string,
): Promise<void> {
	const mysql = await import("mysql2/promise");
	const db = new DatabaseSync(sqliteFile, { readOnly: true });
	const conn = await mysql.createConnection({ uri: url, dateStrings: true });
	try {
		for (const t of TABLE_NAMES) {
			const cols = columnsOf(db, t);
			await conn.query(
				`create table ${t} (${cols.map((c) => `${c.name} ${mysqlTypeFor(c.name, c.type)}`).join(", ")})`,
			);
			let batch: Cell[][] = [];
			const flush = async () => {
				if (batch.length === 0) return;
				await conn.query(
					`insert into ${t} (${cols.map((c) => c.name).join(", ")}) values ?`,
					[batch],
				);
				batch = [];
			};
			for (const r of db.prepare(`SELECT * FROM ${t}`).iterate() as Iterable<
				Record<string, Cell>
			>) {
				batch.push(cols.map((c) => r[c.name] ?? null));
				if (batch.length >= 2000) await flush();
			}
			await flush();
		}
	} finally {
		await conn.end();
		db.close();
	}
}
