/**
 * Online Retail (541,909 lines, one CSV.gz feeding customers, materials and order lines) through
 * the real ingest, beside its baseline in the same run: `zcat | psql \copy` of the same file into
 * a plain typed table. Interleaved (ingest, \copy, ingest, \copy, …) so a noisy machine moves
 * both alike; the medians and their ratio are printed.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/ingest-retail.ts [--pairs 3]
 *
 * A second baseline shows what the warehouse's own table costs: the order lines the first ingest
 * wrote, dumped once in COPY format, are \copy'd into an empty, migrated transaction_data (its
 * primary key, four indexes and statement trigger), also interleaved. The ingest's phases (reading,
 * mapping and COPY together; the upserts; the rollups) are printed beside them.
 *
 * Each ingest runs in its own child process into a fresh database, so its peak RSS is that load's
 * alone. Scratch databases take the prefix $BENCH_DB_PREFIX (default erp_pulse_bench) and are
 * dropped afterwards.
 */
import { execFileSync, execSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseConfig } from "../src/config/load.ts";
import { migrate } from "../src/db/migrate.ts";
import { createPool } from "../src/db/pool.ts";
import { ENTITIES } from "../src/ingest/entities.ts";
import { runIngest } from "../src/ingest/run.ts";
import { ingestSource } from "../src/ingest/sources.ts";
import { createLogger } from "../src/log.ts";
import { migrationsDir } from "../src/paths.ts";
import { NODE_FLAGS } from "../src/runtime.ts";
import {
	adminQuery,
	databaseUrl,
	emptyDatabase,
	withScratchDatabase,
} from "./scratch-db.ts";

const MB = 1024 * 1024;
const ADMIN_URL =
	process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PREFIX = process.env.BENCH_DB_PREFIX ?? "erp_pulse_bench";
const FILE = fileURLToPath(
	new URL(
		"../test/fixtures/online-retail/online-retail.csv.gz",
		import.meta.url,
	),
);
const log = createLogger({ level: "warn" });

interface Load {
	read: number;
	loaded: number;
	lines: number;
	seconds: number;
	/** The ingest process's CPU time (user + system) during the load. */
	cpuS: number;
	peakRss: number;
	/** Reading, mapping and COPY (all entities read together), the upserts, the rollups. */
	streamS: number;
	upsertS: number;
	rollupS: number;
}

/** The order lines' columns as the ingest writes them, for the warehouse-table baseline. */
const LINE_COLUMNS = [
	"source",
	...ENTITIES.order_lines.columns,
	"ingest_run_id",
].join(", ");

const dbUrl = (name: string) => databaseUrl(ADMIN_URL, name);
const admin = (sql: string) => adminQuery(ADMIN_URL, sql);
const freshDatabase = (name: string) => emptyDatabase(ADMIN_URL, name);

/** Child: migrate, then one ingest of the whole file; prints the Load as JSON. */
async function child(url: string): Promise<void> {
	const pool = createPool(url, log, { max: 2 });
	await migrate(pool, migrationsDir, log);
	let peak = process.memoryUsage().rss;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 20);
	const { config } = parseConfig(
		`demo: {enabled: false}\nsources:\n  retail:\n    connection: {kind: csv, path: ${path.dirname(FILE)}}\n    mapping: online-retail\n`,
		"bench.yaml",
		{},
	);
	const cpu = process.cpuUsage();
	const started = performance.now();
	const r = await runIngest(pool, ingestSource(config, "retail", {}), {
		log,
	});
	const seconds = (performance.now() - started) / 1000;
	clearInterval(timer);
	await pool.end();
	peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
	const entities = Object.values(r.entities);
	const lines = r.entities.order_lines;
	const out: Load = {
		read: r.read,
		loaded: r.loaded,
		lines: lines?.loaded ?? 0,
		seconds,
		cpuS: (() => {
			const u = process.cpuUsage(cpu);
			return (u.user + u.system) / 1e6;
		})(),
		peakRss: peak,
		streamS: (lines?.streamMs ?? 0) / 1000,
		upsertS: entities.reduce((n, e) => n + e.upsertMs, 0) / 1000,
		rollupS: (lines?.rollupMs ?? 0) / 1000,
	};
	process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** One ingest in a child process; with `dump`, its order lines are written there in COPY format. */
function ingestOnce(n: number, dump?: string): Load {
	const name = `${PREFIX}_retail_${n}`;
	execSync(
		`psql -q "${ADMIN_URL}" -c "drop database if exists ${name} with (force)" -c "create database ${name}"`,
	);
	try {
		const out = execFileSync(
			process.execPath,
			[...NODE_FLAGS, fileURLToPath(import.meta.url), "--child", dbUrl(name)],
			{ encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
		);
		if (dump)
			execFileSync("psql", [
				"-q",
				dbUrl(name),
				"-c",
				`\\copy (select ${LINE_COLUMNS} from transaction_data) to '${dump}'`,
			]);
		return JSON.parse(out.trim().split("\n").pop() ?? "{}") as Load;
	} finally {
		execSync(
			`psql -q "${ADMIN_URL}" -c "drop database if exists ${name} with (force)"`,
		);
	}
}

/** The baseline: the same file, gunzipped and \copy'd into a plain typed table. */
async function copyOnce(n: number): Promise<number> {
	const name = `${PREFIX}_retail_copy_${n}`;
	const url = await freshDatabase(name);
	try {
		execFileSync("psql", [
			"-q",
			url,
			"-c",
			"create table retail (invoice_no text, stock_code text, description text, quantity integer, invoice_date timestamp, unit_price numeric, customer_id numeric, country text)",
		]);
		const started = performance.now();
		execSync(
			`zcat "${FILE}" | psql -q -v ON_ERROR_STOP=1 "${url}" -c "\\copy retail from stdin csv header"`,
		);
		return (performance.now() - started) / 1000;
	} finally {
		await admin(`drop database if exists ${name} with (force)`);
	}
}

/** The warehouse-table baseline: the ingest's own order lines \copy'd into an empty transaction_data. */
async function warehouseCopyOnce(n: number, dump: string): Promise<number> {
	const name = `${PREFIX}_retail_table_${n}`;
	return withScratchDatabase(
		ADMIN_URL,
		name,
		{ log, poolSize: 1 },
		async () => {
			const started = performance.now();
			execFileSync("psql", [
				"-q",
				"-v",
				"ON_ERROR_STOP=1",
				dbUrl(name),
				"-c",
				`\\copy transaction_data (${LINE_COLUMNS}) from '${dump}'`,
			]);
			return (performance.now() - started) / 1000;
		},
	);
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? (s[m] as number) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { pairs: { type: "string", default: "3" } },
	});
	const pairs = Number(values.pairs);
	const loads: Load[] = [];
	const copies: number[] = [];
	const tables: number[] = [];
	const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-bench-retail-"));
	const dump = path.join(dir, "order-lines.copy");
	console.log(
		`Online Retail ingest (${path.basename(FILE)}: customers, materials and order lines from one file) vs zcat | psql \\copy into a plain table, and vs \\copy of the ingest's own order lines into the warehouse's transaction_data; ${pairs} interleaved rounds`,
	);
	try {
		for (let i = 0; i < pairs; i++) {
			const l = ingestOnce(i, i === 0 ? dump : undefined);
			loads.push(l);
			const c = await copyOnce(i);
			copies.push(c);
			const t = await warehouseCopyOnce(i, dump);
			tables.push(t);
			console.log(
				`round ${i + 1}: ingest ${l.seconds.toFixed(1)} s (read + map + COPY ${l.streamS.toFixed(1)} s, upserts ${l.upsertS.toFixed(1)} s, rollups ${l.rollupS.toFixed(1)} s; CPU ${l.cpuS.toFixed(1)} s; ${fmt(l.lines / l.seconds)} lines/s, ${fmt(l.read)} rows mapped across entities, peak RSS ${Math.round(l.peakRss / MB)} MB) · \\copy ${c.toFixed(1)} s · \\copy into transaction_data ${t.toFixed(1)} s · ingest/\\copy ${(l.seconds / c).toFixed(1)}x, transaction_data/\\copy ${(t / c).toFixed(1)}x, ingest/transaction_data ${(l.seconds / t).toFixed(1)}x`,
			);
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	const ingest = median(loads.map((l) => l.seconds));
	const copy = median(copies);
	const lines = loads[0]?.lines ?? 0;
	const ratio = median(loads.map((l, i) => l.seconds / (copies[i] ?? 1)));
	const tableRatio = median(tables.map((t, i) => t / (copies[i] ?? 1)));
	const likeRatio = median(loads.map((l, i) => l.seconds / (tables[i] ?? 1)));
	console.log(
		`median: ingest ${ingest.toFixed(1)} s = ${fmt(lines / ingest)} lines/s (read + map + COPY ${median(loads.map((l) => l.streamS)).toFixed(1)} s, rollups ${median(loads.map((l) => l.rollupS)).toFixed(1)} s, CPU ${median(loads.map((l) => l.cpuS)).toFixed(1)} s), peak RSS ${Math.round(median(loads.map((l) => l.peakRss)) / MB)} MB; \\copy ${copy.toFixed(1)} s = ${fmt(541_909 / copy)} lines/s; \\copy into transaction_data ${median(tables).toFixed(1)} s; ingest/\\copy ${ratio.toFixed(1)}x, transaction_data/\\copy ${tableRatio.toFixed(1)}x, ingest/transaction_data ${likeRatio.toFixed(1)}x (medians of the rounds' ratios)`,
	);
}

if (process.argv[2] === "--child") await child(process.argv[3] as string);
else await main();
