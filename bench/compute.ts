/**
 * Benchmark of the compute step (src/analytics/compute/run.ts) on the demo ERP, with the pandas
 * recipe the seeds use as the baseline, interleaved in the same run.
 *
 *   DATABASE_URL=postgres://… node bench/compute.ts                # 150k and 1M order lines
 *   DATABASE_URL=postgres://… node bench/compute.ts --sizes 1000000,10000000 --pairs 3
 *
 * Per size: the demo ERP is generated (seed 42) and loaded into a fresh database through the real
 * ingest (its time is printed, not benchmarked), transaction_data is exported to CSV once, then
 * compute (A) and bench/compute_pandas.py (B: RFM scores, segments, cohort retention and average
 * revenue with pandas) run in turn, A B A B …, `--pairs` times (default 3). Printed: the medians
 * of the full compute time, of its RFM + cohort part (the run's basis: the lines and their facts, the
 * customers and the cohort activity, not the items; the customer_master and cohort_* steps; and the
 * run's own bookkeeping; not the product and regional steps), of pandas' compute (CSV read excluded, and with it), and the median of the
 * per-pair ratios RFM + cohort / pandas. Also, from the first pair: peak RSS of the Postgres
 * backend that ran compute (VmHWM, shared buffers it touched included; "?" when /proc is not
 * readable), temp bytes it spilled, how much this process's RSS grew (compute streams nothing
 * through Node), and `correlate revenue customers` on the computed warehouse. The pandas columns
 * are skipped with a note when /usr/bin/python3 has no pandas. Scratch databases are named
 * $BENCH_DB_PREFIX (default erp_pulse_bench) + _compute_<lines>_<pid>.
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
import { median } from "../src/pulse/stats.ts";
import { withScratchDatabase } from "./scratch-db.ts";

const PYTHON = "/usr/bin/python3";
const PREFIX = process.env.BENCH_DB_PREFIX ?? "erp_pulse_bench";
const MB = 1024 * 1024;
/** The steps that, with the basis before them, make the RFM + cohort work pandas does. */
const RFM_COHORT_STEPS = [
	"customer_master",
	"cohort_sizes",
	"cohort_retention",
	"cohort_avg_revenue",
];
/** Parts of the basis that are not: the items are the product and regional steps' input. */
const NOT_RFM_COHORT_BASIS = ["items"];

type PandasFigures = {
	read_s: number;
	compute_s: number;
	peak_rss_mb: number;
	customers: number;
};

interface Figures {
	lines: number;
	loadS: number;
	pairs: number;
	/** Medians over the pairs. */
	computeS: number;
	rfmCohortS: number;
	/** From the first pair. */
	backendPeakMb: number | null;
	tempMb: number;
	/** How much this process's RSS grew while compute ran (sampled every 20 ms). */
	nodeGrowthMb: number;
	/** `correlate revenue customers` (monthly) on the computed warehouse, and its verdict. */
	correlateS: number;
	verdict: string;
	/** Medians over the pairs; null without pandas. */
	pandas: {
		compute_s: number;
		with_read_s: number;
		peak_rss_mb: number;
	} | null;
	/** Median of the per-pair ratios rfmCohortS / pandas compute_s. */
	ratio: number | null;
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

function pandasBaseline(csv: string, dir: string): PandasFigures {
	const mapFile = path.join(dir, "rfm-map.json");
	writeFileSync(mapFile, JSON.stringify(rfmSegmentMap()));
	const script = path.join(import.meta.dirname, "compute_pandas.py");
	const r = spawnSync(PYTHON, [script, csv, mapFile], { encoding: "utf8" });
	if (r.status !== 0) throw new Error(`pandas baseline failed: ${r.stderr}`);
	return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}");
}

/** One compute run: its time, its RFM + cohort part, and what the backend used. */
async function computeOnce(pool: Pool, pid: number) {
	const temp = async () =>
		Number(
			(
				await pool.query<{ temp: string }>(
					"select temp_bytes::text as temp from pg_stat_database where datname = current_database()",
				)
			).rows[0]?.temp,
		);
	const tempBefore = await temp();
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
	const sum = (xs: { ms: number }[]) => xs.reduce((t, x) => t + x.ms, 0);
	// Everything before the steps (the basis: the lines, customers, cohort activity) and the run's
	// bookkeeping count with RFM + cohort, with its own steps; the items and the product and
	// regional steps do not.
	const rfmCohortMs =
		run.ms -
		sum(run.steps) -
		sum(run.basis.filter((x) => NOT_RFM_COHORT_BASIS.includes(x.name))) +
		sum(run.steps.filter((x) => RFM_COHORT_STEPS.includes(x.name)));
	return {
		run,
		computeS,
		rfmCohortS: rfmCohortMs / 1000,
		backendPeakMb: backendPeakMb(pid),
		tempMb: ((await temp()) - tempBefore) / MB,
		nodeGrowthMb: (nodePeak - nodeBefore) / MB,
	};
}

async function benchSize(
	adminUrl: string,
	lines: number,
	dir: string,
	pandas: boolean,
	pairs: number,
): Promise<Figures> {
	const file = path.join(dir, `demo-${lines}.sqlite`);
	await generateDemoErp({ file, seed: 42, lines });
	try {
		// One connection: the backend whose peak memory we read is the one that computes.
		return await withScratchDatabase(
			adminUrl,
			`${PREFIX}_compute_${lines}_${process.pid}`,
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
				const { rows } = await pool.query<{ pid: number }>(
					"select pg_backend_pid() as pid",
				);
				const pid = rows[0]?.pid ?? 0;
				const csv = path.join(dir, `lines-${lines}.csv`);
				if (pandas) await exportCsv(pool, csv);
				const runs: Awaited<ReturnType<typeof computeOnce>>[] = [];
				const baselines: PandasFigures[] = [];
				for (let i = 0; i < pairs; i++) {
					runs.push(await computeOnce(pool, pid));
					if (pandas) baselines.push(pandasBaseline(csv, dir));
				}
				rmSync(csv, { force: true });
				const first = runs[0];
				if (!first) throw new Error("--pairs must be at least 1");
				const b0 = baselines[0];
				if (b0 && b0.customers !== first.run.customers)
					console.log(
						`warning: pandas scored ${b0.customers} customers, compute ${first.run.customers}`,
					);
				const catalog = createMetricCatalog();
				const corrStarted = performance.now();
				const corr = await correlate(pool, catalog, "revenue", "customers");
				const correlateS = (performance.now() - corrStarted) / 1000;
				return {
					lines: ingest.entities.order_lines?.loaded ?? 0,
					loadS,
					pairs,
					computeS: median(runs.map((r) => r.computeS)),
					rfmCohortS: median(runs.map((r) => r.rfmCohortS)),
					backendPeakMb: first.backendPeakMb,
					tempMb: first.tempMb,
					nodeGrowthMb: first.nodeGrowthMb,
					correlateS,
					verdict:
						corr.kind === "pair" ? corr.result.verdict.primary : "ranking",
					pandas: baselines.length
						? {
								compute_s: median(baselines.map((b) => b.compute_s)),
								with_read_s: median(
									baselines.map((b) => b.compute_s + b.read_s),
								),
								peak_rss_mb: median(baselines.map((b) => b.peak_rss_mb)),
							}
						: null,
					ratio: baselines.length
						? median(
								runs.map(
									(r, i) => r.rfmCohortS / (baselines[i]?.compute_s ?? 1),
								),
							)
						: null,
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
		options: { sizes: { type: "string" }, pairs: { type: "string" } },
		strict: true,
	});
	const sizes = (values.sizes ?? "150000,1000000")
		.split(",")
		.map((s) => Number(s.trim()));
	const pairs = Number(values.pairs ?? 3);
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
		`compute bench: node ${process.version}, ${availableParallelism()} cpus, demo ERP seed 42, ${pairs} pairs compute / pandas interleaved, medians`,
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
			const f = await benchSize(adminUrl, lines, dir, pandas, pairs);
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
					p ? p.with_read_s.toFixed(2) : "-",
					p ? mb(p.peak_rss_mb) : "-",
					f.ratio === null ? "-" : `${f.ratio.toFixed(2)}x`,
				]),
			);
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	console.log(
		"ratio = median over the pairs of compute's RFM + cohort part / pandas compute (CSV read excluded); below 1 means the SQL is faster.",
	);
	console.log(
		"correlate = erp-pulse correlate revenue customers (monthly series, all statistics and the verdict) on the computed warehouse.",
	);
}

await main();
