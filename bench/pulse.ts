/**
 * Benchmark of one Pulse scheduling cycle on the demo warehouse: claim every due monitor (the
 * pulse-tick query), queue one pulse-run job per monitor through pg-boss, then run them all
 * (in-process, `--concurrency` at a time, as that many pg-boss workers would).
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
import type { PulseDeps } from "../src/pulse/engine/deps.ts";
import { runMonitor } from "../src/pulse/engine/run.ts";
import {
	createMonitor,
	type MonitorDefinition,
} from "../src/pulse/engine/store.ts";
import { instantiate, loadTemplates } from "../src/pulse/engine/templates.ts";
import { claimDueMonitors } from "../src/pulse/engine/tick.ts";

const { values } = parseArgs({
	options: {
		monitors: { type: "string", default: "100,1000,5000" },
		kind: { type: "string", default: "metric" },
		concurrency: { type: "string", default: "4" },
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

function quantile(sorted: number[], q: number): number {
	return (
		sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ??
		Number.NaN
	);
}

async function cycle(
	deps: PulseDeps,
	boss: PgBoss,
	defs: (i: number) => MonitorDefinition,
	n: number,
) {
	const pool: Pool = deps.pool;
	await pool.query("truncate pulse_monitors cascade");
	for (let i = 0; i < n; i++) await createMonitor(deps, defs(i));
	const t0 = performance.now();
	const claimed = await claimDueMonitors(deps, new Date());
	const t1 = performance.now();
	await boss.insert(
		"pulse-run-bench",
		claimed.map((c) => ({
			data: {
				monitorId: c.monitorId,
				scheduledFor: c.scheduledFor.toISOString(),
			},
			singletonKey: c.monitorId,
		})),
	);
	const t2 = performance.now();
	const durations: number[] = [];
	let next = 0;
	let errors = 0;
	const worker = async () => {
		while (next < claimed.length) {
			const c = claimed[next++];
			if (!c) break;
			const s = performance.now();
			const r = await runMonitor(deps, c.monitorId, {
				scheduledFor: c.scheduledFor,
				now: new Date("2026-11-01T12:00:00Z"),
			});
			if (r.error) errors++;
			durations.push(performance.now() - s);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const t3 = performance.now();
	durations.sort((a, b) => a - b);
	return {
		n,
		claimed: claimed.length,
		claimMs: t1 - t0,
		enqueueMs: t2 - t1,
		runMs: t3 - t2,
		totalMs: t3 - t0,
		p50: quantile(durations, 0.5),
		p95: quantile(durations, 0.95),
		errors,
	};
}

const db = await setUp();
const pool = createPool(db.url, log, { max: concurrency + 2 });
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
await boss.createQueue("pulse-run-bench", { policy: "stately" });
console.log(
	`Pulse scheduling cycle on the demo warehouse (seed 42, 150k lines), ${values.kind} monitors, ${concurrency} runs at a time`,
);
console.log(
	"monitors  claim ms  enqueue ms  run s   cycle s  per-monitor p50 ms  p95 ms  errors",
);
for (const n of sizes) {
	const r = await cycle(
		deps,
		boss,
		values.kind === "sql" ? sqlMonitor : metricMonitor,
		n,
	);
	console.log(
		`${String(r.n).padStart(8)}  ${r.claimMs.toFixed(0).padStart(8)}  ${r.enqueueMs.toFixed(0).padStart(10)}  ${(r.runMs / 1000).toFixed(1).padStart(5)}  ${(r.totalMs / 1000).toFixed(1).padStart(7)}  ${r.p50.toFixed(1).padStart(18)}  ${r.p95.toFixed(1).padStart(6)}  ${r.errors}`,
	);
}
await boss.stop({ graceful: false, close: true });
await monitorPool.end();
await pool.end();
await db.drop();
