/**
 * Benchmark of `explain` beside `/metric` on the demo warehouse, in process (no chat transport).
 *
 *   DATABASE_URL=postgres://… node bench/explain.ts                    # 150k and 1M order lines
 *   DATABASE_URL=postgres://… node bench/explain.ts --sizes 150000 --runs 7
 *
 * Per size: the demo ERP (seed 42) is generated and loaded into a scratch database (its name
 * takes the prefix in BENCH_DB_PREFIX, default erp_pulse_bench) through the real ingest and
 * compute. Then, interleaved A B A B …: A = `explain revenue` (every one of the metric's 7
 * dimensions, the latest complete month against the one before) and `explain margin_pct` (a
 * ratio: numerator and denominator per member); B = `metric revenue by region last 12 months`,
 * the command the issue sets as the budget. The first pair warms up and is not counted; medians,
 * the ratio of medians and each command's slowest round are printed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { CommandDeps } from "../commands/command.ts";
import { explainCommand } from "../commands/explain.ts";
import { metricCommand } from "../commands/metric.ts";
import { generateDemoErp } from "../src/demo/index.ts";
import { createLogger } from "../src/log.ts";
import { createMetricCatalog } from "../src/metrics/catalog.ts";
import { median } from "../src/pulse/stats.ts";
import { loadDemoWarehouse } from "../test/helpers/warehouse.ts";
import { withScratchDatabase } from "./scratch-db.ts";

const log = createLogger({ level: "warn" });
const ADMIN =
	process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PREFIX = process.env.BENCH_DB_PREFIX ?? "erp_pulse_bench";

async function timed(fn: () => Promise<unknown>): Promise<number> {
	const t = performance.now();
	await fn();
	return performance.now() - t;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			sizes: { type: "string", default: "150000,1000000" },
			runs: { type: "string", default: "7" },
		},
	});
	const sizes = String(values.sizes).split(",").map(Number);
	const runs = Number(values.runs);
	const catalog = createMetricCatalog();
	const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-bench-explain-"));
	console.log(
		`explain vs metric, in process; ${runs} interleaved rounds after one warm-up; medians in ms`,
	);
	console.log(
		`${"lines".padStart(10)}  ${"explain revenue".padStart(16)} ${"explain margin %".padStart(17)} ${"metric by region".padStart(17)}  ratios`,
	);
	try {
		for (const lines of sizes) {
			const file = path.join(dir, `demo-${lines}.sqlite`);
			await generateDemoErp({ file, seed: 42, lines });
			await withScratchDatabase(
				ADMIN,
				`${PREFIX}_explain_${lines}`,
				{ log, poolSize: 4 },
				async (pool) => {
					await loadDemoWarehouse(pool, file, { log });
					const deps: CommandDeps = {
						catalog,
						library: {} as never,
						withPool: (fn) => fn(pool),
					};
					const explainRevenue = () =>
						explainCommand.run(deps, explainCommand.parse(["revenue"]));
					const explainMargin = () =>
						explainCommand.run(deps, explainCommand.parse(["margin_pct"]));
					const metric = () =>
						metricCommand.run(
							deps,
							metricCommand.parse(
								"revenue by region last 12 months".split(" "),
							),
						);
					const a: number[] = [];
					const m: number[] = [];
					const b: number[] = [];
					for (let i = 0; i <= runs; i++) {
						const ta = await timed(explainRevenue);
						const tm = await timed(explainMargin);
						const tb = await timed(metric);
						if (i === 0) continue;
						a.push(ta);
						m.push(tm);
						b.push(tb);
					}
					const [ma, mm, mb] = [median(a), median(m), median(b)];
					const worst = (xs: number[]) => Math.max(...xs).toFixed(0);
					console.log(
						`${lines.toLocaleString("en-US").padStart(10)}  ${ma.toFixed(0).padStart(16)} ${mm.toFixed(0).padStart(17)} ${mb.toFixed(0).padStart(17)}  ${(ma / mb).toFixed(1)}x, ${(mm / mb).toFixed(1)}x   worst of ${runs}: ${worst(a)}, ${worst(m)}, ${worst(b)}`,
					);
				},
			);
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

await main();
