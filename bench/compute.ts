/**
 * Benchmark of the compute step (src/analytics/compute/run.ts) on the demo ERP, with the pandas
 * recipe the seeds use as the baseline, in the same run.
 *
 *   DATABASE_URL=postgres://… node bench/compute.ts                # 150k and 1M order lines
 *   DATABASE_URL=postgres://… node bench/compute.ts --sizes 150000,10000000
 *
 * Per size: the demo ERP is generated (seed 42), loaded into a fresh database through the real
 * ingest (its time is printed, not benchmarked), then compute runs once. Figures: full compute
 * time, the part that is the RFM + cohort work (basis, customer_master, cohort_* steps), peak
 * RSS of the Postgres backend that ran it (VmHWM, shared buffers it touched included; "?" when
 * /proc is not readable) and temp bytes it spilled, and how much this process's RSS grew during
 * compute (compute streams nothing through Node, so this stays near zero). Baseline: transaction_data exported to CSV, then
 * bench/compute_pandas.py (RFM scores, segments, cohort retention and average revenue with pandas)
 * timed without and with reading the CSV; skipped with a note when /usr/bin/python3 has no pandas.
 * At 10M lines, loading through ingest takes a long while on a small machine (the generator
 * streams; ingest COPYs and upserts in one transaction).
 */
import { spawnSync } from "node:child_process";
import {
	createWriteStream,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { to as copyTo } from "pg-copy-streams";
import { rfmSegmentMap } from "../src/analytics/compute/rfm-map.ts";
import { runCompute } from "../src/analytics/compute/run.ts";
import { parseConfig } from "../src/config/load.ts";
import type { Pool } from "../src/db/pool.ts";
import { loadSqlCatalog } from "../src/db/sql-catalog.ts";
import { generateDemoErp } from "../src/demo/index.ts";
import { runIngest } from "../src/ingest/run.ts";
import { ingestSource } from "../src/ingest/sources.ts";
import { createLogger } from "../src/log.ts";
import { correlate, createMetricCatalog } from "../src/metrics/index.ts";
import { sqlDir } from "../src/paths.ts";
import { withScratchDatabase } from "./scratch-db.ts";

const PYTHON = "/usr/bin/python3";
const MB = 1024 * 1024;
const RFM_COHORT_STEPS = [
	"customer_master",
	"cohort_sizes",
	"cohort_retention",
	"cohort_avg_revenue",
];

interface Figures {
	lines: number;
	loadS: number;
	computeS: number;
	rfmCohortS: number;
	backendPeakMb: number | null;
	tempMb: number;
	/** How much this process's RSS grew while compute ran (sampled every 20 ms). */
	nodeGrowthMb: number;
	/** `correlate revenue customers` (monthly) on the computed warehouse, and its verdict. */
	correlateS: number;
	verdict: string;
	pandas: {
		read_s: number;
		compute_s: number;
		peak_rss_mb: number;
		customers: number;
	} | null;
}

const log = createLogger({ level: "warn" });

function backendPeakMb(pid: number): number | null {
	try {
		const status = readFileSync(`/proc/${pid}/status`, "utf8");
		const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
		return kb ? Number(kb) / 1024 : null;
	} catch {
		return null;
	}
}

async function exportCsv(pool: Pool, file: string): Promise<void> {
	const client = await pool.connect();
	try {
		const stream = client.query(
			copyTo(
				"copy (select source, customer, order_number, posting_date, net_sales, is_cancellation::int as is_cancellation from transaction_data) to stdout with (format csv, header)",
			),
		);
		await pipeline(stream, createWriteStream(file));
	} finally {
		client.release();
	}
}

function pandasBaseline(csv: string, dir: string): Figures["pandas"] {
	const mapFile = path.join(dir, "rfm-map.json");
	writeFileSync(mapFile, JSON.stringify(rfmSegmentMap()));
	const script = path.join(import.meta.dirname, "compute_pandas.py");
	const r = spawnSync(PYTHON, [script, csv, mapFile], { encoding: "utf8" });
	if (r.status !== 0) throw new Error(`pandas baseline failed: ${r.stderr}`);
	return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}");
}

async function benchSize(
	adminUrl: string,
	lines: number,
	dir: string,
	pandas: boolean,
): Promise<Figures> {
	const file = path.join(dir, `demo-${lines}.sqlite`);
	await generateDemoErp({ file, seed: 42, lines });
	try {
		// One connection: the backend whose peak memory we read is the one that computes.
		return await withScratchDatabase(
			adminUrl,
			`erp_pulse_bench_compute_${lines}_${process.pid}`,
			{ log, poolSize: 1 },
			async (pool) => {
				const { config } = parseConfig(
					`demo: {enabled: false}\nsources:\n  erp:\n    connection: {kind: sqlite, file: ${file}}\n    mapping: demo-erp\n`,
					"bench.yaml",
					{},
				);
				const loaded = performance.now();
				const ingest = await runIngest(pool, ingestSource(config, "erp", {}), {
					log,
				});
				const loadS = (performance.now() - loaded) / 1000;
				const { rows } = await pool.query<{ pid: number; temp: string }>(
					"select pg_backend_pid() as pid, temp_bytes::text as temp from pg_stat_database where datname = current_database()",
				);
				const nodeBefore = process.memoryUsage().rss;
				let nodePeak = nodeBefore;
				const sampler = setInterval(() => {
					nodePeak = Math.max(nodePeak, process.memoryUsage().rss);
				}, 20);
				const started = performance.now();
				const run = await runCompute(pool, loadSqlCatalog(sqlDir), {
					trigger: "bench",
					wait: false,
					log,
				});
				const computeS = (performance.now() - started) / 1000;
				clearInterval(sampler);
				if (run.status !== "succeeded") throw new Error("compute was skipped");
				const backendPeak = backendPeakMb(rows[0]?.pid ?? 0);
				const after = await pool.query<{ temp: string }>(
					"select temp_bytes::text as temp from pg_stat_database where datname = current_database()",
				);
				const stepsMs = run.steps.reduce((s, x) => s + x.ms, 0);
				const rfmCohortMs =
					run.ms -
					stepsMs +
					run.steps
						.filter((s) => RFM_COHORT_STEPS.includes(s.name))
						.reduce((s, x) => s + x.ms, 0);
				const catalog = createMetricCatalog();
				const corrStarted = performance.now();
				const corr = await correlate(pool, catalog, "revenue", "customers");
				const correlateS = (performance.now() - corrStarted) / 1000;
				const verdict =
					corr.kind === "pair" ? corr.result.verdict.primary : "ranking";
				let baseline: Figures["pandas"] = null;
				if (pandas) {
					const csv = path.join(dir, `lines-${lines}.csv`);
					await exportCsv(pool, csv);
					baseline = pandasBaseline(csv, dir);
					rmSync(csv, { force: true });
					if (baseline && baseline.customers !== run.customers)
						console.log(
							`warning: pandas scored ${baseline.customers} customers, compute ${run.customers}`,
						);
				}
				return {
					lines: ingest.entities.order_lines?.loaded ?? 0,
					loadS,
					computeS,
					rfmCohortS: rfmCohortMs / 1000,
					backendPeakMb: backendPeak,
					tempMb: (Number(after.rows[0]?.temp) - Number(rows[0]?.temp)) / MB,
					nodeGrowthMb: (nodePeak - nodeBefore) / MB,
					correlateS,
					verdict,
					pandas: baseline,
				};
			},
		);
	} finally {
		rmSync(file, { force: true });
	}
}

const cell = (cells: string[]) =>
	cells.map((c, i) => c.padStart(i === 0 ? 11 : 10)).join("  ");

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { sizes: { type: "string" } },
		strict: true,
	});
	const sizes = (values.sizes ?? "150000,1000000")
		.split(",")
		.map((s) => Number(s.trim()));
	const adminUrl = process.env.DATABASE_URL;
	if (!adminUrl) {
		console.error(
			"bench/compute.ts needs DATABASE_URL: a Postgres where it may create and drop databases.",
		);
		process.exitCode = 1;
		return;
	}
	const pandas = spawnSync(PYTHON, ["-c", "import pandas"]).status === 0;
	console.log(
		`compute bench: node ${process.version}, ${availableParallelism()} cpus, demo ERP seed 42`,
	);
	if (!pandas)
		console.log(
			`note: ${PYTHON} cannot import pandas; the baseline columns are skipped.`,
		);
	console.log(
		cell([
			"lines",
			"load s",
			"compute s",
			"rfm+coh s",
			"pg peak",
			"pg temp",
			"node +RSS",
			"correlate",
			"pandas s",
			"+read s",
			"pandas RSS",
			"ratio",
		]),
	);
	const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-bench-compute-"));
	try {
		for (const lines of sizes) {
			const f = await benchSize(adminUrl, lines, dir, pandas);
			console.log(
				`  ${lines.toLocaleString("en-US")}: correlate revenue customers → ${f.verdict}`,
			);
			const mb = (v: number | null) =>
				v === null ? "?" : `${v.toFixed(0)} MB`;
			const p = f.pandas;
			console.log(
				cell([
					f.lines.toLocaleString("en-US"),
					f.loadS.toFixed(1),
					f.computeS.toFixed(2),
					f.rfmCohortS.toFixed(2),
					mb(f.backendPeakMb),
					mb(f.tempMb),
					mb(f.nodeGrowthMb),
					`${f.correlateS.toFixed(2)} s`,
					p ? p.compute_s.toFixed(2) : "-",
					p ? (p.compute_s + p.read_s).toFixed(2) : "-",
					p ? mb(p.peak_rss_mb) : "-",
					p ? `${(f.rfmCohortS / p.compute_s).toFixed(2)}x` : "-",
				]),
			);
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	console.log(
		"ratio = compute's RFM + cohort part / pandas compute (CSV read excluded); below 1 means the SQL is faster.",
	);
	console.log(
		"correlate = erp-pulse correlate revenue customers (monthly series, all statistics and the verdict) on the computed warehouse.",
	);
}

await main();
