/**
 * Benchmark of chat commands read from the sales rollups against the same commands read from the
 * order lines, on the demo warehouse.
 *
 *   DATABASE_URL=postgres://… node bench/rollups.ts                      # 1M and 10M order lines, 20 pairs
 *   DATABASE_URL=postgres://… node bench/rollups.ts --lines 1000000 --pairs 10
 *   WAREHOUSE_URL=postgres://…/loaded node bench/rollups.ts             # a warehouse already loaded
 *
 * Per size: the demo ERP is generated (seed 42) and loaded into a scratch database through the
 * real ingest, then compute runs (segments), as bench/slack does; the load time is printed, not
 * benchmarked. With WAREHOUSE_URL the bench reads that warehouse instead and changes nothing in it
 * but a row it adds to, and removes from, sales_rollup_dirty.
 *
 * One run: the command dispatched in-process and its chart rendered, as bench/slack's direct
 * path (what the bot does for a slash command, minus Slack's HTTP). "rollups" runs read
 * sales_monthly / sales_daily (src/metrics/rollups.ts); "lines" runs have a committed mark in
 * sales_rollup_dirty, which sends every read to transaction_data as if the rollups were stale:
 * the same code, the same answer, only the table differs. Runs alternate rollups, lines, rollups,
 * lines … after WARM_UP pairs; p50 and p95 of each, and ratio = lines p50 / rollups p50.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { dispatch } from "../commands/dispatch.ts";
import { commands } from "../commands/index.ts";
import { commandServices } from "../commands/services.ts";
import { createChartRenderer } from "../src/charts/index.ts";
import { parseConfig } from "../src/config/load.ts";
import { createPool, type Pool } from "../src/db/pool.ts";
import { generateDemoErp } from "../src/demo/index.ts";
import { createLogger } from "../src/log.ts";
import { loadDemoWarehouse } from "../test/helpers/warehouse.ts";
import { quantile } from "./quantile.ts";
import { withScratchDatabase } from "./scratch-db.ts";

const WARM_UP = 2;
const COMMANDS = [
	"correlate revenue customers",
	"metric revenue by region last 12 months",
];
/** A transaction id no real one has: the "lines" runs' mark in sales_rollup_dirty. */
const BENCH_MARK = -42;

const log = createLogger({ level: "warn" });
const { config } = parseConfig("demo: {enabled: false}\n", "bench.yaml", {});

interface Figures {
	command: string;
	rollups: number[];
	lines: number[];
	/** The reply's text both ways, to show the two answers are the same. */
	same: boolean;
}

async function measure(pool: Pool, pairs: number): Promise<Figures[]> {
	const charts = createChartRenderer();
	const ctx = {
		...commandServices({ pool, config, charts, log }),
		user: { id: "U0BENCH" },
		channel: { kind: "local" as const, id: "bench" },
		log,
	};
	const run = async (command: string) => {
		const started = performance.now();
		const reply = await dispatch(commands, command, {
			...ctx,
			now: new Date(),
		});
		if (!reply.message.chart?.png)
			throw new Error(`${command}: no chart: ${reply.message.text}`);
		return { ms: performance.now() - started, text: reply.message.text };
	};
	const stale = (on: boolean) =>
		pool.query(
			on
				? "insert into sales_rollup_dirty (xid) values ($1) on conflict do nothing"
				: "delete from sales_rollup_dirty where xid = $1",
			[BENCH_MARK],
		);
	try {
		const out: Figures[] = [];
		for (const command of COMMANDS) {
			const f: Figures = { command, rollups: [], lines: [], same: true };
			for (let i = 0; i < WARM_UP + pairs; i++) {
				const a = await run(command);
				await stale(true);
				const b = await run(command).finally(() => stale(false));
				if (a.text !== b.text) f.same = false;
				if (i < WARM_UP) continue;
				f.rollups.push(a.ms);
				f.lines.push(b.ms);
			}
			f.rollups.sort((x, y) => x - y);
			f.lines.sort((x, y) => x - y);
			out.push(f);
		}
		return out;
	} finally {
		await stale(false);
		await charts.close();
	}
}

const cell = (cells: string[]) =>
	cells.map((c, i) => (i === 0 ? c.padEnd(42) : c.padStart(9))).join(" ");

function print(lines: string, loadS: number | null, figures: Figures[]): void {
	console.log(
		`  ${lines} order lines${loadS === null ? "" : ` (loaded and computed in ${loadS.toFixed(0)} s)`}`,
	);
	for (const f of figures) {
		const r50 = quantile(f.rollups, 0.5);
		const l50 = quantile(f.lines, 0.5);
		console.log(
			cell([
				`  /${f.command}`,
				quantile(f.rollups, 0.5).toFixed(0),
				quantile(f.rollups, 0.95).toFixed(0),
				l50.toFixed(0),
				quantile(f.lines, 0.95).toFixed(0),
				`${(l50 / r50).toFixed(1)}x`,
				f.same ? "same" : "DIFFERENT",
			]),
		);
	}
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			lines: { type: "string", default: "1000000,10000000" },
			pairs: { type: "string", default: "20" },
		},
		strict: true,
	});
	const pairs = Number(values.pairs);
	const warehouse = process.env.WAREHOUSE_URL;
	const adminUrl = process.env.DATABASE_URL;
	if (!warehouse && !adminUrl) {
		console.error(
			"bench/rollups.ts needs DATABASE_URL (a Postgres where it may create and drop databases) or WAREHOUSE_URL (a loaded warehouse).",
		);
		process.exitCode = 1;
		return;
	}
	console.log(
		`rollups bench: node ${process.version}, ${availableParallelism()} cpus, demo ERP seed 42, ${pairs} pairs (rollups, lines) per command after ${WARM_UP} warm-up pairs`,
	);
	console.log(
		cell([
			"  command",
			"roll p50",
			"roll p95",
			"line p50",
			"line p95",
			"ratio",
			"answers",
		]),
	);
	if (warehouse) {
		const pool = createPool(warehouse, log, { max: 4 });
		try {
			const { rows } = await pool.query<{ n: string }>(
				"select count(*) as n from transaction_data",
			);
			print(
				Number(rows[0]?.n).toLocaleString("en-US"),
				null,
				await measure(pool, pairs),
			);
		} finally {
			await pool.end();
		}
	} else {
		const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-bench-rollups-"));
		const prefix = process.env.BENCH_DB_PREFIX ?? "erp_pulse_bench";
		try {
			for (const n of String(values.lines).split(",").map(Number)) {
				const file = path.join(dir, `demo-${n}.sqlite`);
				await generateDemoErp({ file, seed: 42, lines: n });
				await withScratchDatabase(
					adminUrl as string,
					`${prefix}_rollups_${n}_${process.pid}`,
					{ log, poolSize: 4 },
					async (pool) => {
						const t0 = performance.now();
						const run = await loadDemoWarehouse(pool, file, { log });
						const loadS = (performance.now() - t0) / 1000;
						rmSync(file, { force: true });
						print(
							(run.lines ?? n).toLocaleString("en-US"),
							loadS,
							await measure(pool, pairs),
						);
					},
				);
			}
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}
	console.log(
		"ms per command: dispatched in-process and its chart rendered (bench/slack's direct path). roll = read from the sales rollups; line = the same command with the rollups marked stale, so it reads transaction_data; ratio = line p50 / roll p50; answers: whether the reply text was the same both ways in every pair.",
	);
}

await main();
