/**
 * Benchmark of one Pulse scheduling cycle on the demo warehouse, two ways in the same run,
 * interleaved (old, batch, old, batch … `--pairs` times; medians printed):
 *
 * - per-monitor (the old path): claim every due monitor, queue one job per monitor, run each on
 *   its own (`--concurrency` at a time), every metric monitor reading its own series;
 * - batch (the product's path): claim, queue batches of monitors that share a series
 *   (batchRuns), run the batches two at a time (the pulse-run worker's concurrency), each series
 *   read once per batch.
 *
 * Per size it prints cycle seconds, monitors/s, Postgres round trips per monitor and the series
 * reads per tick for both paths, and the ratio of cycle times.
 *
 *   node bench/pulse.ts                                  # 100, 1,000 and 5,000 metric monitors
 *   node bench/pulse.ts --monitors 100,1000 --kind sql   # SQL-template monitors instead
 *   node bench/pulse.ts --db postgres://…/warehouse      # an already-loaded warehouse
 *
 * Prints, per size: claim ms, enqueue ms, run wall time, cycle total, and the p50/p95 of one
 * monitor's run. Needs DATABASE_URL (a server where it may create a scratch database).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { PgBoss } from "pg-boss";
import { parseConfig } from "../src/config/load.ts";
import { migrate } from "../src/db/migrate.ts";
import { createPool, type Pool } from "../src/db/pool.ts";
import { loadSqlCatalog } from "../src/db/sql-catalog.ts";
import { generateDemoErp } from "../src/demo/index.ts";
import { runIngest } from "../src/ingest/run.ts";
import { ingestSource } from "../src/ingest/sources.ts";
import { createLogger } from "../src/log.ts";
import { createMetricCatalog } from "../src/metrics/index.ts";
import { migrationsDir, pulseTemplatesDir, sqlDir } from "../src/paths.ts";
import { runBatch } from "../src/pulse/engine/batch.ts";
import type { PulseDeps } from "../src/pulse/engine/deps.ts";
import { runMonitor } from "../src/pulse/engine/run.ts";
import {
	createMonitor,
	type MonitorDefinition,
} from "../src/pulse/engine/store.ts";
import { instantiate, loadTemplates } from "../src/pulse/engine/templates.ts";
import { batchRuns, claimDueMonitors } from "../src/pulse/engine/tick.ts";

const { values } = parseArgs({
	options: {
		monitors: { type: "string", default: "100,1000,5000" },
		kind: { type: "string", default: "metric" },
		concurrency: { type: "string", default: "4" },
		pairs: { type: "string", default: "3" },
		db: { type: "string" },
	},
});
const sizes = String(values.monitors).split(",").map(Number);
const concurrency = Number(values.concurrency);
const log = createLogger({ level: "warn" });
const admin =
	process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const REGIONS = ["North", "South", "East", "West", "Central"];
const METRICS = [
	"revenue",
	"orders",
	"margin_pct",
	"gross_margin",
	"active_customers",
	"order_lines",
];

/** The i-th benchmark monitor: catalog metrics on varying grains, filters and conditions. */
function metricMonitor(i: number): MonitorDefinition {
	const metric = METRICS[i % METRICS.length] as string;
	const grain = i % 2 === 0 ? "month" : "week";
	const filter =
		i % 3 === 0
			? undefined
			: { dimension: "region", value: REGIONS[i % REGIONS.length] as string };
	const condition =
		i % 4 === 0
			? { kind: "anomaly" as const, sensitivity: "medium" as const }
			: i % 4 === 1
				? {
						kind: "change" as const,
						period:
							grain === "week"
								? ("week_over_week" as const)
								: ("month_over_month" as const),
						direction: "down" as const,
						percent: 30,
					}
				: { kind: "threshold" as const, operator: "<" as const, value: 0 };
	return {
		name: `bench ${i}`,
		target: { metric, grain, ...(filter ? { filter } : {}) },
		condition,
		frequency: "hourly",
	};
}

async function setUp(): Promise<{ url: string; drop: () => Promise<void> }> {
	if (values.db) return { url: values.db, drop: async () => {} };
	const name = `erp_pulse_bench_${process.pid}`;
	const pool = createPool(admin, log, { max: 1 });
	await pool.query(`create database ${name}`);
	await pool.end();
	const url = new URL(admin);
	url.pathname = `/${name}`;
	const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-bench-"));
	const file = path.join(dir, "erp.sqlite");
	await generateDemoErp({ file, seed: 42, lines: 150_000 });
	const wh = createPool(url.toString(), log, { max: 4 });
	await migrate(wh, migrationsDir, log);
	const { config } = parseConfig(
		`demo: {enabled: false}\nsources:\n  demo:\n    connection: {kind: sqlite, file: ${file}}\n    mapping: demo-erp\n`,
		"bench.yaml",
		{},
	);
	await runIngest(wh, ingestSource(config, "demo", {}), { log });
	await wh.end();
	rmSync(dir, { recursive: true, force: true });
	return {
		url: url.toString(),
		drop: async () => {
			const p = createPool(admin, log, { max: 1 });
			await p.query(`drop database if exists ${name} with (force)`);
			await p.end();
		},
	};
}

/** Counts the statements a pool (and the clients it hands out) sends: the round trips. */
function counting(pool: Pool): { pool: Pool; count: () => number } {
	let n = 0;
	const wrapQuery = <T extends { query: (...a: never[]) => unknown }>(o: T) => {
		const q = o.query.bind(o) as (...a: unknown[]) => unknown;
		(o as { query: unknown }).query = (...a: unknown[]) => {
			n++;
			return q(...a);
		};
	};
	pool.on("connect", (client) => wrapQuery(client));
	wrapQuery(pool);
	return { pool, count: () => n };
}

async function prepare(
	deps: PulseDeps,
	defs: (i: number) => MonitorDefinition,
	n: number,
) {
	const pool: Pool = deps.pool;
	await pool.query("truncate pulse_monitors cascade");
	for (let i = 0; i < n; i++) await createMonitor(deps, defs(i));
	await pool.query("analyze pulse_monitors");
}

interface Cycle {
	ms: number;
	roundTrips: number;
	seriesReads: number;
	errors: number;
	claimed: number;
}

/** The old path: one job, one run, one series read per monitor. */
async function perMonitorCycle(
	deps: PulseDeps,
	boss: PgBoss,
	counted: { count: () => number },
): Promise<Cycle> {
	await deps.pool.query(
		"update pulse_monitors set next_run = null, last_run = null, lifecycle_state = '{}'",
	);
	const before = counted.count();
	const t0 = performance.now();
	const claimed = await claimDueMonitors(deps, new Date());
	await boss.insert(
		"pulse-run-bench",
		claimed.map((c) => ({
			data: {
				monitorId: c.monitorId,
				scheduledFor: c.scheduledFor.toISOString(),
			},
		})),
	);
	let next = 0;
	let errors = 0;
	const worker = async () => {
		while (next < claimed.length) {
			const c = claimed[next++];
			if (!c) break;
			const r = await runMonitor(deps, c.monitorId, {
				scheduledFor: c.scheduledFor,
				now: NOW,
			});
			if (r.error) errors++;
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return {
		ms: performance.now() - t0,
		roundTrips: counted.count() - before,
		seriesReads: claimed.filter((c) => !c.seriesKey.startsWith("sql:")).length,
		errors,
		claimed: claimed.length,
	};
}

/** The product's path: claim and queue batches in one transaction, run two batches at a time. */
async function batchCycle(
	deps: PulseDeps,
	boss: PgBoss,
	counted: { count: () => number },
): Promise<Cycle> {
	await deps.pool.query(
		"update pulse_monitors set next_run = null, last_run = null, lifecycle_state = '{}'",
	);
	const before = counted.count();
	const t0 = performance.now();
	const claimed = await claimDueMonitors(deps, new Date());
	const batches = batchRuns(claimed);
	await boss.insert(
		"pulse-run-bench",
		batches.map((b) => ({ data: { runs: b.map((c) => c.monitorId) } })),
	);
	let next = 0;
	let errors = 0;
	let seriesReads = 0;
	const worker = async () => {
		while (next < batches.length) {
			const b = batches[next++];
			if (!b) break;
			const out = await runBatch(
				deps,
				b.map((c) => ({
					monitorId: c.monitorId,
					scheduledFor: c.scheduledFor,
					missedTicks: c.skipped,
				})),
				{ now: NOW },
			);
			seriesReads += out.seriesReads;
			errors += out.failures.length + out.results.filter((r) => r.error).length;
		}
	};
	await Promise.all(Array.from({ length: 2 }, worker));
	return {
		ms: performance.now() - t0,
		roundTrips: counted.count() - before,
		seriesReads,
		errors,
		claimed: claimed.length,
	};
}

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

const NOW = new Date("2026-11-01T12:00:00Z");
const db = await setUp();
const counted = counting(createPool(db.url, log, { max: concurrency + 2 }));
const pool = counted.pool;
const monitorPool = createPool(db.url, log, { max: concurrency });
const { config } = parseConfig("demo: {enabled: false}\n", "bench.yaml", {});
const catalog = createMetricCatalog({ currency: config.currency });
const deps: PulseDeps = {
	pool,
	monitorPool,
	sql: loadSqlCatalog(sqlDir),
	config: config.pulse,
	timeZone: "UTC",
	log,
	catalog,
};
const templates = loadTemplates(pulseTemplatesDir, catalog).filter(
	(t) => typeof t.target.sql === "string",
);
const sqlMonitor = (i: number): MonitorDefinition => ({
	...instantiate(
		templates[i % templates.length] as (typeof templates)[number],
		{},
		catalog,
	).definition,
	name: `bench ${i}`,
	frequency: "hourly",
});
const boss = new PgBoss({
	connectionString: db.url,
	schema: "pgboss_bench",
	max: 2,
});
await boss.start();
await boss.createQueue("pulse-run-bench");
const pairs = Number(values.pairs);
console.log(
	`Pulse scheduling cycle on the demo warehouse (seed 42, 150k lines), ${values.kind} monitors; per-monitor path ${concurrency} runs at a time, batch path 2 batches of up to 50 at a time; ${pairs} interleaved pairs, medians`,
);
console.log(
	"monitors | per-monitor: cycle s  mon/s  trips/mon  series/tick | batch: cycle s  mon/s  trips/mon  series/tick | ratio  errors",
);
for (const n of sizes) {
	await prepare(deps, values.kind === "sql" ? sqlMonitor : metricMonitor, n);
	const old: Cycle[] = [];
	const now: Cycle[] = [];
	for (let p = 0; p < pairs; p++) {
		old.push(await perMonitorCycle(deps, boss, counted));
		now.push(await batchCycle(deps, boss, counted));
	}
	const fig = (cs: Cycle[]) => {
		const s = median(cs.map((c) => c.ms)) / 1000;
		return {
			s,
			rate: n / s,
			trips: median(cs.map((c) => c.roundTrips)) / n,
			series: median(cs.map((c) => c.seriesReads)),
			errors: Math.max(...cs.map((c) => c.errors)),
		};
	};
	const a = fig(old);
	const b = fig(now);
	console.log(
		`${String(n).padStart(8)} | ${a.s.toFixed(1).padStart(20)} ${a.rate.toFixed(0).padStart(6)} ${a.trips.toFixed(1).padStart(10)} ${String(a.series).padStart(12)} | ${b.s.toFixed(1).padStart(14)} ${b.rate.toFixed(0).padStart(6)} ${b.trips.toFixed(1).padStart(10)} ${String(b.series).padStart(12)} | ${(a.s / b.s).toFixed(1).padStart(5)}x  ${a.errors}/${b.errors}`,
	);
}
await boss.stop({ graceful: false, close: true });
await monitorPool.end();
await pool.end();
await db.drop();
