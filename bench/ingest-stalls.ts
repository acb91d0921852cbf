/**
 * How long a first load holds the event loop: a bot runs its ingests beside chat commands,
 * /healthz and the monitors, so no stretch of the load may keep them waiting. Per kind, the demo
 * ERP (seed 3) is loaded into a fresh database through the real ingest, in this process, while
 * `monitorEventLoopDelay` watches the loop; printed: the load's seconds and the longest stall, with
 * its 99th and 50th percentiles (10 ms resolution, so 10 ms is an idle loop).
 *
 *   DATABASE_URL=postgres://… node --max-semi-space-size=16 bench/ingest-stalls.ts
 *   … bench/ingest-stalls.ts --lines 1000000 --kinds sqlite,parquet
 *
 * Scratch databases are named $BENCH_DB_PREFIX (default erp_pulse_bench) + _stalls_<kind>_<pid>.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { parseConfig } from "../src/config/load.ts";
import { demoSalesLineSelect } from "../src/demo/export.ts";
import { exportDemoParquet } from "../src/demo/export-parquet.ts";
import { generateDemoErp } from "../src/demo/index.ts";
import { runIngest } from "../src/ingest/run.ts";
import { ingestSource } from "../src/ingest/sources.ts";
import { createLogger } from "../src/log.ts";
import { withScratchDatabase } from "./scratch-db.ts";

const { values } = parseArgs({
	options: {
		lines: { type: "string", default: "300000" },
		kinds: { type: "string", default: "sqlite,parquet" },
	},
});
const lines = Number(values.lines);
const kinds = values.kinds.split(",");
const adminUrl =
	process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const prefix = process.env.BENCH_DB_PREFIX ?? "erp_pulse_bench";
const log = createLogger({ level: "warn" });
const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-bench-stalls-"));

try {
	const file = path.join(dir, "erp.sqlite");
	await generateDemoErp({ file, seed: 3, lines });
	const select = demoSalesLineSelect();
	const sources: Record<string, string> = {
		sqlite: `connection: {kind: sqlite, file: ${file}}\n    mapping: demo-erp`,
		parquet: `connection: {kind: parquet, path: ${dir}/parquet}\n    mapping: demo-erp-csv`,
	};
	if (kinds.includes("parquet"))
		await exportDemoParquet(file, path.join(dir, "parquet"), select);
	console.log(
		`event-loop stalls during a first load of ${lines.toLocaleString("en")} demo lines; node ${process.version}`,
	);
	console.log("| kind | seconds | longest stall | p99 | p50 |");
	console.log("| --- | ---: | ---: | ---: | ---: |");
	for (const kind of kinds) {
		const source = sources[kind];
		if (!source) throw new Error(`unknown kind ${kind}: sqlite or parquet`);
		const { config } = parseConfig(
			`demo: {enabled: false}\nsources:\n  erp:\n    ${source}\n`,
			"bench.yaml",
			{},
		);
		await withScratchDatabase(
			adminUrl,
			`${prefix}_stalls_${kind}_${process.pid}`,
			{ log, poolSize: 2 },
			async (pool) => {
				const delay = monitorEventLoopDelay({ resolution: 10 });
				delay.enable();
				const started = performance.now();
				await runIngest(pool, ingestSource(config, "erp", {}), { log });
				const seconds = (performance.now() - started) / 1000;
				delay.disable();
				const ms = (ns: number) => `${Math.round(ns / 1e6)} ms`;
				console.log(
					`| ${kind} | ${seconds.toFixed(1)} | ${ms(delay.max)} | ${ms(delay.percentile(99))} | ${ms(delay.percentile(50))} |`,
				);
			},
		);
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
}
