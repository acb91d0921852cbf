/**
 * Benchmark of ingestion: order lines from SQLite, CSV.gz and Parquet through the real pipeline
 * (stream → map → validate → COPY into staging → upsert), next to baselines loading the very same
 * canonical rows into the same table in the same run:
 *
 *   - psql \copy of a CSV of the rows (the floor: no mapping, no validation, no upsert);
 *   - a naive loader: one INSERT per row through node-postgres (run on a sample and reported as
 *     rows/s, since a million round trips would take many minutes).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/ingest.ts
 *   … node bench/ingest.ts --lines 250000,1000000 --naive 20000 --pairs 3 --kinds sqlite,csv,parquet
 *   … node bench/ingest.ts --lines 1000000 --naive 0 --pairs 3 --kinds sqlite,sqlite+v8
 *
 * Per size, `--pairs` rounds: each loads through the pipeline from every kind, then runs the
 * \copy; seconds and peak RSS are medians over the rounds, the ratio the median of each round's
 * ratio to its own \copy.
 *
 * Each pipeline load runs in its own child process, started with the product's V8 flags
 * (src/runtime.ts), so its peak RSS is that load's alone; a kind ending in "+v8" (`sqlite+v8`) is
 * loaded the same way with V8's default heap sizing, for comparison in the same rounds. psql's
 * comes from /usr/bin/time. The last lines compare peak RSS across sizes: near 1 means memory stays
 * flat as the row count grows. Scratch databases and files are removed afterwards.
 */
import { execFileSync } from "node:child_process";
import {
	createReadStream,
	existsSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { parse as parseYaml, stringify } from "yaml";
import { parseConfig } from "../src/config/load.ts";
import { migrate } from "../src/db/migrate.ts";
import { createPool } from "../src/db/pool.ts";
import { demoSalesLineSelect, exportDemoCsv } from "../src/demo/export.ts";
import { exportDemoParquet } from "../src/demo/export-parquet.ts";
import { generateDemoErp } from "../src/demo/index.ts";
import { ENTITIES } from "../src/ingest/entities.ts";
import { MAPPINGS_DIR } from "../src/ingest/mapping-file.ts";
import { runIngest } from "../src/ingest/run.ts";
import { ingestSource } from "../src/ingest/sources.ts";
import { createLogger } from "../src/log.ts";
import { migrationsDir } from "../src/paths.ts";
import { median } from "../src/pulse/stats.ts";
import { NODE_FLAGS } from "../src/runtime.ts";
import { adminQuery, databaseUrl, emptyDatabase } from "./scratch-db.ts";

const MB = 1024 * 1024;
const ADMIN_URL =
	process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const log = createLogger({ level: "warn" });
const ORDER_COLUMNS = ENTITIES.order_lines.columns;

interface Load {
	rows: number;
	seconds: number;
	peakRss: number;
}

const dbUrl = (name: string) => databaseUrl(ADMIN_URL, name);
const admin = (sql: string) => adminQuery(ADMIN_URL, sql);

async function freshDatabase(name: string): Promise<string> {
	await emptyDatabase(ADMIN_URL, name);
	const pool = createPool(dbUrl(name), log, { max: 2 });
	await migrate(pool, migrationsDir, log);
	await pool.end();
	return dbUrl(name);
}

/** A mapping with only the order-lines entity of `base`, so the figures are about order lines alone. */
function orderLinesMapping(base: string, dir: string): string {
	const read = (ref: string): Record<string, unknown> =>
		parseYaml(readFileSync(path.join(MAPPINGS_DIR, `${ref}.yaml`), "utf8"));
	const own = read(base) as {
		extends?: string;
		entities: Record<string, Record<string, unknown>>;
	};
	const parent = own.extends ? (read(own.extends) as typeof own) : undefined;
	const entity = {
		...parent?.entities.order_lines,
		...own.entities.order_lines,
	};
	const file = path.join(dir, `${base}-order-lines.yaml`);
	writeFileSync(file, stringify({ entities: { order_lines: entity } }));
	return file;
}

/** Child: one ingest of order lines into `url`; prints {rows, seconds, peakRss}. */
async function child(
	url: string,
	connection: string,
	mapping: string,
): Promise<void> {
	let peak = process.memoryUsage().rss;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 20);
	const { config } = parseConfig(
		`demo: {enabled: false}\nsources:\n  bench:\n    connection: ${connection}\n    mapping: ${mapping}\n`,
		"bench.yaml",
		{},
	);
	const pool = createPool(url, log, { max: 2 });
	const started = performance.now();
	const r = await runIngest(pool, ingestSource(config, "bench", {}), { log });
	const seconds = (performance.now() - started) / 1000;
	await pool.end();
	clearInterval(timer);
	peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
	const out: Load = {
		rows: r.entities.order_lines?.loaded ?? 0,
		seconds,
		peakRss: peak,
	};
	process.stdout.write(`${JSON.stringify(out)}\n`);
}

function runChild(
	url: string,
	connection: string,
	mapping: string,
	flags: readonly string[],
): Load {
	const out = execFileSync(
		process.execPath,
		[
			...flags,
			fileURLToPath(import.meta.url),
			"--child",
			url,
			connection,
			mapping,
		],
		{
			encoding: "utf8",
			stdio: ["ignore", "pipe", "inherit"],
			maxBuffer: 16 * MB,
		},
	);
	return JSON.parse(out.trim().split("\n").pop() ?? "{}") as Load;
}

async function naive(
	url: string,
	csvRows: string[][],
): Promise<{ rows: number; seconds: number }> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	const cols = ["source", ...ORDER_COLUMNS];
	const text = `insert into transaction_data (${cols.join(", ")}) values (${cols.map((_, i) => `$${i + 1}`).join(", ")})`;
	const started = performance.now();
	for (const r of csvRows)
		await client.query(
			text,
			r.map((v) => (v === "" ? null : v)),
		);
	const seconds = (performance.now() - started) / 1000;
	await client.end();
	return { rows: csvRows.length, seconds };
}

/** A kind ending in this is loaded without the product's NODE_FLAGS, with V8's own heap sizing. */
const V8_DEFAULTS = "+v8";
const base = (kind: string) => kind.replace(V8_DEFAULTS, "");

function fmt(n: number): string {
	return Math.round(n).toLocaleString("en-US");
}

/** psql \copy of the canonical CSV into a fresh database; seconds. */
async function copyOnce(name: string, canon: string): Promise<number> {
	const url = await freshDatabase(name);
	const cols = ["source", ...ORDER_COLUMNS].join(", ");
	const started = performance.now();
	execFileSync(
		"/usr/bin/time",
		[
			"-f",
			"%M",
			"psql",
			"-q",
			"-v",
			"ON_ERROR_STOP=1",
			url,
			"-c",
			`\\copy transaction_data (${cols}) from '${canon}' csv`,
		],
		{ encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
	);
	return (performance.now() - started) / 1000;
}

/** The first `n` non-empty lines of a file, read as a stream: at 10M lines the file is larger than a string may be. */
async function firstLines(file: string, n: number): Promise<string[]> {
	const out: string[] = [];
	const lines = createInterface({ input: createReadStream(file) });
	for await (const line of lines) {
		if (line) out.push(line);
		if (out.length >= n) break;
	}
	lines.close();
	return out;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			lines: { type: "string", default: "250000,1000000" },
			naive: { type: "string", default: "20000" },
			pairs: { type: "string", default: "3" },
			kinds: { type: "string", default: "sqlite,csv,parquet" },
		},
	});
	const sizes = String(values.lines).split(",").map(Number);
	const naiveRows = Number(values.naive);
	const pairs = Number(values.pairs);
	const kinds = String(values.kinds).split(",");
	const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-bench-ingest-"));
	const dbs: string[] = [];
	console.log(
		`ingest benchmark: order lines only; baseline psql \\copy of the same canonical rows into the same indexed table; ${pairs} rounds, each the pipeline loads (${kinds.join(", ")}) then \\copy, medians; naive = one INSERT per row (${fmt(naiveRows)}-row sample)`,
	);
	console.log(
		`${"lines".padStart(10)}  ${"source".padEnd(8)} ${"seconds".padStart(8)} ${"rows/s".padStart(10)} ${"peak RSS".padStart(9)}  ${"vs \\copy".padStart(8)}`,
	);
	const peaks: Record<string, number[]> = {};
	try {
		for (const lines of sizes) {
			const file = path.join(dir, `demo-${lines}.sqlite`);
			await generateDemoErp({ file, seed: 42, lines });
			const select = demoSalesLineSelect();
			const csvDir = path.join(dir, `csv-${lines}`);
			const parquetDir = path.join(dir, `parquet-${lines}`);
			if (kinds.some((k) => base(k) === "csv"))
				await exportDemoCsv(file, csvDir, select);
			if (kinds.some((k) => base(k) === "parquet"))
				await exportDemoParquet(file, parquetDir, select);
			const all: Record<string, { connection: string; mapping: string }> = {
				sqlite: {
					connection: `{kind: sqlite, file: ${file}}`,
					mapping: orderLinesMapping("demo-erp", dir),
				},
				csv: {
					connection: `{kind: csv, path: ${csvDir}}`,
					mapping: orderLinesMapping("demo-erp-csv", dir),
				},
				parquet: {
					connection: `{kind: parquet, path: ${parquetDir}}`,
					mapping: orderLinesMapping("demo-erp-csv", dir),
				},
			};
			const loads: Record<string, Load[]> = {};
			const copies: number[] = [];
			const canon = path.join(dir, `canon-${lines}.csv`);
			for (let round = 0; round < pairs; round++) {
				for (const kind of kinds) {
					const s = all[base(kind)];
					if (!s) throw new Error(`unknown kind ${kind}`);
					const name = `erp_pulse_bench_${kind.replace("+", "_")}_${lines}`;
					if (!dbs.includes(name)) dbs.push(name);
					const url = await freshDatabase(name);
					const flags = kind.endsWith(V8_DEFAULTS) ? [] : NODE_FLAGS;
					const l = runChild(url, s.connection, s.mapping, flags);
					loads[kind] = [...(loads[kind] ?? []), l];
					if (round === 0 && !existsSync(canon))
						// The baseline loads the rows the pipeline produced, exported in canonical form.
						execFileSync("psql", [
							"-q",
							url,
							"-c",
							`\\copy (select ${["source", ...ORDER_COLUMNS].join(", ")} from transaction_data) to '${canon}' csv`,
						]);
				}
				const copyDb = `erp_pulse_bench_copy_${lines}`;
				if (!dbs.includes(copyDb)) dbs.push(copyDb);
				copies.push(await copyOnce(copyDb, canon));
				const last = Object.entries(loads)
					.map(([k, ls]) => `${k} ${ls.at(-1)?.seconds.toFixed(1)} s`)
					.join(", ");
				console.log(
					`  ${fmt(lines)} round ${round + 1}: ${last}, \\copy ${copies.at(-1)?.toFixed(1)} s`,
				);
			}
			const copySeconds = median(copies);
			for (const [kind, ls] of Object.entries(loads)) {
				const seconds = median(ls.map((l) => l.seconds));
				const rows = ls[0]?.rows ?? 0;
				const peak = median(ls.map((l) => l.peakRss));
				peaks[kind] = [...(peaks[kind] ?? []), peak];
				const ratio = median(ls.map((l, i) => l.seconds / (copies[i] ?? 1)));
				console.log(
					`${fmt(lines).padStart(10)}  ${kind.padEnd(8)} ${seconds.toFixed(2).padStart(8)} ${fmt(rows / seconds).padStart(10)} ${`${Math.round(peak / MB)} MB`.padStart(9)}  ${ratio.toFixed(2).padStart(7)}x`,
				);
			}
			const copyRows = loads[kinds[0] ?? "sqlite"]?.[0]?.rows ?? 0;
			console.log(
				`${fmt(lines).padStart(10)}  ${"\\copy".padEnd(8)} ${copySeconds.toFixed(2).padStart(8)} ${fmt(copyRows / copySeconds).padStart(10)} ${"(psql)".padStart(9)}  ${"1.00".padStart(7)}x`,
			);
			if (lines === sizes[sizes.length - 1] && naiveRows > 0) {
				const sample = (await firstLines(canon, naiveRows)).map(splitCsv);
				const naiveDb = `erp_pulse_bench_naive_${lines}`;
				dbs.push(naiveDb);
				const n = await naive(await freshDatabase(naiveDb), sample);
				const rate = n.rows / n.seconds;
				console.log(
					`${fmt(n.rows).padStart(10)}  ${"naive".padEnd(8)} ${n.seconds.toFixed(2).padStart(8)} ${fmt(rate).padStart(10)} ${"".padStart(9)}  ${(copyRows / rate / copySeconds).toFixed(2).padStart(7)}x (projected to ${fmt(copyRows)} rows)`,
				);
			}
			rmSync(canon, { force: true });
		}
		console.log(
			"seconds, rows/s and peak RSS: medians over the rounds; vs \\copy: median of each round's ratio.",
		);
		for (const [kind, p] of Object.entries(peaks))
			if (p.length > 1)
				console.log(
					`peak RSS ${kind}: ${fmt(sizes[sizes.length - 1] ?? 0)} vs ${fmt(sizes[0] ?? 0)} lines: ${((p[p.length - 1] ?? 0) / (p[0] ?? 1)).toFixed(2)}x`,
				);
	} finally {
		for (const name of dbs)
			await admin(`drop database if exists ${name} with (force)`).catch(
				() => undefined,
			);
		rmSync(dir, { recursive: true, force: true });
	}
}

/** Splits one line of psql's CSV output (quoted fields may hold commas; no embedded newlines in these rows). */
function splitCsv(line: string): string[] {
	const out: string[] = [];
	let cur = "";
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const c = line[i];
		if (quoted) {
			if (c === '"' && line[i + 1] === '"') {
				cur += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cur += c;
		} else if (c === '"') quoted = true;
		else if (c === ",") {
			out.push(cur);
			cur = "";
		} else cur += c;
	}
	out.push(cur);
	return out;
}

if (process.argv[2] === "--child")
	await child(
		process.argv[3] ?? "",
		process.argv[4] ?? "",
		process.argv[5] ?? "",
	);
else if (!existsSync("/usr/bin/psql") && !process.env.PSQL)
	console.error("psql is needed for the \\copy baseline");
else await main();
