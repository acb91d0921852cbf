/**
 * Benchmark of the Stox compute step (`computeStox`): time and peak memory as materials grow.
 *
 *   node bench/stox.ts                     # 1k, 10k and 50k materials
 *   node bench/stox.ts --materials 1000,10000
 *
 * A scratch database (dropped afterwards) gets synthetic materials with three years of DAILY
 * stock snapshots (1,095 rows per material) and order lines on about one day in eight, made
 * set-based with generate_series. Scales are cumulative: each adds materials to the last.
 * To load faster the scratch tables are UNLOGGED and lose the indexes compute does not read
 * through (stox_stock_levels by snapshot_date, transaction_data by customer and by year_month). Each scale is measured in its own child process:
 *   gather   — the SQL side alone: the material list with ABC classes and every batch of
 *              histories laid out day by day, nothing analysed or written (the baseline);
 *   compute  — the whole computeStox: gather + analyseMaterial + writing the stox_* tables.
 * Peak RSS is sampled per phase; a last line compares the largest scale with the smallest.
 */
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { migrate } from "../src/db/migrate.ts";
import { createPool } from "../src/db/pool.ts";
import { loadSqlCatalog } from "../src/db/sql-catalog.ts";
import { computeStox } from "../src/inventory/compute.ts";
import { parseStoxConfig } from "../src/inventory/config.ts";
import {
	analysisWindow,
	materialBatches,
	prepareMaterials,
} from "../src/inventory/gather.ts";
import { createLogger } from "../src/log.ts";
import { migrationsDir, sqlDir } from "../src/paths.ts";

const MB = 1024 * 1024;
const FIRST_DAY = "2023-07-02";
const LAST_DAY = "2026-06-30";

interface Phase {
	seconds: number;
	peakRss: number;
}

interface Result {
	materials: number;
	gather: Phase;
	compute: Phase;
}

/** Samples RSS every 20 ms; `take()` returns the peak since the last call. */
function rssSampler() {
	let peak = process.memoryUsage().rss;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 20);
	return {
		take(): number {
			const p = Math.max(peak, process.memoryUsage().rss);
			peak = 0;
			return p;
		},
		stop: () => clearInterval(timer),
	};
}

async function child(url: string): Promise<void> {
	const log = createLogger({ level: "warn" });
	const pool = createPool(url, log, { max: 2 });
	const sql = loadSqlCatalog(sqlDir);
	const config = parseStoxConfig({});
	const rss = rssSampler();
	let started = performance.now();
	const client = await pool.connect();
	let materials = 0;
	try {
		await client.query("begin isolation level repeatable read");
		await client.query("set local jit = off");
		const window = await analysisWindow(client, sql, config.windowDays);
		const count = await prepareMaterials(client, sql, window);
		for await (const batch of materialBatches(client, sql, window, count, 500))
			materials += batch.length;
		await client.query("rollback");
	} finally {
		client.release();
	}
	const gather = {
		seconds: (performance.now() - started) / 1000,
		peakRss: rss.take(),
	};
	started = performance.now();
	const r = await computeStox(pool, { config, log, sql });
	const compute = {
		seconds: (performance.now() - started) / 1000,
		peakRss: rss.take(),
	};
	rss.stop();
	await pool.end();
	const result: Result = {
		materials: r.materials || materials,
		gather,
		compute,
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Adds materials from+1 … to, with their master rows, daily snapshots and order lines. */
async function addMaterials(
	db: pg.Client,
	from: number,
	to: number,
): Promise<void> {
	const id = "'M' || lpad(i::text, 6, '0')";
	await db.query(
		`insert into stox_material_master (source, material_number, material_description, unit_cost,
		 unit_price, lead_time_days, lead_time_std_days, storage_cost_pct, ordering_cost, launch_date)
		 select 'bench', ${id}, 'bench item ' || i, 5 + i % 50, 8 + i % 70, 5 + i % 25, 1 + i % 3,
		 15 + i % 15, 30 + i % 60, '2020-01-01'
		 from generate_series($1::integer, $2::integer) as i`,
		[from + 1, to],
	);
	// One snapshot a day for three years, levels wandering between 0 and 199.
	await db.query(
		`insert into stox_stock_levels (source, material_number, snapshot_date, warehouse, on_hand_units, on_order_units)
		 select 'bench', ${id}, d::date, '', (i * 7 + (d::date - $3::date) * 13) % 200,
		 case when (i + (d::date - $3::date) / 9) % 4 = 0 then 50 else 0 end
		 from generate_series($1::integer, $2::integer) as i
		 cross join generate_series($3::date, $4::date, interval '1 day') as d`,
		[from + 1, to, FIRST_DAY, LAST_DAY],
	);
	await db.query(
		`insert into transaction_data (source, order_number, line_number, material_number, posting_date,
		 year_month, net_sales, total_cogs, inv_quantity_cases)
		 select 'bench', 'B' || i || '-' || (d::date - $3::date), 1, ${id}, d::date, to_char(d, 'YYYY-MM'),
		 (1 + (i + (d::date - $3::date)) % 5) * (8 + i % 70), (1 + (i + (d::date - $3::date)) % 5) * (5 + i % 50),
		 1 + (i + (d::date - $3::date)) % 5
		 from generate_series($1::integer, $2::integer) as i
		 cross join generate_series($3::date, $4::date, interval '1 day') as d
		 where (i * 31 + (d::date - $3::date) * 17) % 8 = 0`,
		[from + 1, to, FIRST_DAY, LAST_DAY],
	);
	await db.query("analyze");
}

function runScale(url: string): Result {
	const out = execFileSync(
		process.execPath,
		[fileURLToPath(import.meta.url), "--child", url],
		{ encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
	);
	return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Result;
}

function row(cells: string[]): string {
	const widths = [10, 10, 10, 10, 10, 10, 12];
	return cells.map((c, i) => c.padStart(widths[i] ?? 10)).join("  ");
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { materials: { type: "string" }, child: { type: "string" } },
		strict: true,
	});
	if (typeof values.child === "string") return child(values.child);
	const scales = (values.materials ?? "1000,10000,50000")
		.split(",")
		.map((s) => Number(s.trim()));
	const admin =
		process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
	const name = `erp_pulse_bench_stox_${process.pid}`;
	const url = new URL(admin);
	url.pathname = `/${name}`;
	const adminClient = new pg.Client({ connectionString: admin });
	await adminClient.connect();
	await adminClient.query(`create database ${name}`);
	const db = new pg.Client({ connectionString: url.toString() });
	console.log(
		`stox bench: node ${process.version}, ${availableParallelism()} cpus, scratch database ${name}`,
	);
	console.log(
		row([
			"materials",
			"load s",
			"gather s",
			"compute s",
			"gather/all",
			"gather RSS",
			"compute RSS",
		]),
	);
	const results: Result[] = [];
	try {
		const log = createLogger({ level: "warn" });
		const pool = createPool(url.toString(), log, { max: 2 });
		await migrate(pool, migrationsDir, log);
		await pool.end();
		await db.connect();
		await db.query("drop index stox_stock_levels_snapshot_date_idx");
		await db.query("drop index transaction_data_customer_posting_date_idx");
		await db.query("drop index transaction_data_year_month_idx");
		for (const t of [
			"stox_stock_levels",
			"transaction_data",
			"stox_material_master",
		])
			await db.query(`alter table ${t} set unlogged`);
		let have = 0;
		for (const n of scales) {
			const loading = performance.now();
			await addMaterials(db, have, n);
			have = n;
			const load = (performance.now() - loading) / 1000;
			const r = runScale(url.toString());
			results.push(r);
			console.log(
				row([
					r.materials.toLocaleString("en-US"),
					load.toFixed(1),
					r.gather.seconds.toFixed(1),
					r.compute.seconds.toFixed(1),
					`${((100 * r.gather.seconds) / r.compute.seconds).toFixed(0)} %`,
					`${(r.gather.peakRss / MB).toFixed(0)} MB`,
					`${(r.compute.peakRss / MB).toFixed(0)} MB`,
				]),
			);
		}
	} finally {
		await db.end().catch(() => undefined);
		await adminClient.query(`drop database if exists ${name} with (force)`);
		await adminClient.end();
	}
	const perItem = (r: Result) => (1000 * r.compute.seconds) / r.materials;
	for (let i = 1; i < results.length; i++) {
		const a = results[i - 1] as Result;
		const b = results[i] as Result;
		const ratio = b.compute.peakRss / a.compute.peakRss;
		console.log(
			`${a.materials} → ${b.materials} materials (${(b.materials / a.materials).toFixed(0)}x): compute ${perItem(a).toFixed(1)} → ${perItem(b).toFixed(1)} ms/material, peak RSS ${ratio.toFixed(2)}x (${ratio < 1.5 ? "flat" : "GROWS with materials"})`,
		);
	}
}

await main();
