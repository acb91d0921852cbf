/**
 * Soak of the Pulse scheduler in real bot processes: `--monitors` one-minute monitors on a
 * scratch database, `--processes` bot processes (`erp-pulse start`), `--minutes` of wall time.
 * Then it counts, from the execution log, every tick each monitor should have had between its
 * first and last accounted tick, and how many no row accounts for (the target is zero), the
 * ticks that ran and that were skipped (by reason), and how long after the minute each
 * pulse-tick fired (from the bots' logs).
 *
 *   node bench/pulse-soak.ts                                   # 1,000 monitors, 10 minutes, 1 process
 *   node bench/pulse-soak.ts --monitors 300 --minutes 3 --processes 2
 *
 * Needs DATABASE_URL (a server where it may create a scratch database; BENCH_DB_PREFIX prefixes
 * its name).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { parseConfig } from "../src/config/load.ts";
import { loadSqlCatalog } from "../src/db/sql-catalog.ts";
import { createLogger } from "../src/log.ts";
import { projectRoot, sqlDir } from "../src/paths.ts";
import type { PulseDeps } from "../src/pulse/engine/deps.ts";
import { createMonitor } from "../src/pulse/engine/store.ts";
import { withScratchDatabase } from "./scratch-db.ts";

const { values } = parseArgs({
	options: {
		monitors: { type: "string", default: "1000" },
		minutes: { type: "string", default: "10" },
		processes: { type: "string", default: "1" },
	},
});
const monitors = Number(values.monitors);
const minutes = Number(values.minutes);
const processes = Number(values.processes);
const log = createLogger({ level: "warn" });
const admin =
	process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `${process.env.BENCH_DB_PREFIX ?? ""}erp_pulse_soak_${process.pid}`;

interface Bot {
	lines: Record<string, unknown>[];
	stop(): Promise<void>;
}

function startBot(config: string, url: string): Bot {
	const cli = path.join(projectRoot, "src", "cli.ts");
	const child = spawn(process.execPath, [cli, "-c", config, "start"], {
		env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: url },
	});
	const lines: Record<string, unknown>[] = [];
	let buffer = "";
	child.stdout.on("data", (d) => {
		buffer += d;
		const parts = buffer.split("\n");
		buffer = parts.pop() ?? "";
		for (const p of parts)
			if (p.trim()) lines.push(JSON.parse(p) as Record<string, unknown>);
	});
	const exited = new Promise<void>((resolve) =>
		child.on("close", () => resolve()),
	);
	return {
		lines,
		stop: () => {
			child.kill("SIGTERM");
			return exited;
		},
	};
}

await withScratchDatabase(admin, name, { log, poolSize: 4 }, async (pool) => {
	const url = new URL(admin);
	url.pathname = `/${name}`;
	const { config } = parseConfig("demo: {enabled: false}\n", "soak.yaml", {});
	const deps: PulseDeps = {
		pool,
		monitorPool: pool,
		sql: loadSqlCatalog(sqlDir),
		config: config.pulse,
		timeZone: "UTC",
		log,
	};
	for (let i = 0; i < monitors; i++)
		await createMonitor(deps, {
			name: `soak ${i}`,
			target: { sql: `select ${i % 97} as value` },
			condition: { kind: "threshold", operator: ">", value: 1000 },
			frequency: { cron: "* * * * *", timeZone: "UTC" },
		});
	const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-soak-"));
	const file = path.join(dir, "soak.yaml");
	writeFileSync(
		file,
		`dataDir: ${dir}/data\nhttp: {port: 0}\ndemo: {enabled: false}\nqueue: {pollingIntervalSeconds: 0.5}\n`,
	);
	console.log(
		`Pulse soak: ${monitors} one-minute monitors, ${processes} bot process(es), ${minutes} min`,
	);
	const bots = Array.from({ length: processes }, () =>
		startBot(file, url.toString()),
	);
	await sleep(minutes * 60_000);
	await Promise.all(bots.map((b) => b.stop()));
	rmSync(dir, { recursive: true, force: true });

	const { rows } = await pool.query<{
		accounted: number;
		unaccounted: number;
		ran: number;
		skipped: number;
		missed: number;
	}>(
		`with l as (
				select monitor_id, scheduled_for, missed_ticks, outcome,
				       lead(scheduled_for) over (partition by monitor_id order by scheduled_for) as next
				  from pulse_execution_log where scheduled_for is not null)
			 select (count(*) + coalesce(sum(missed_ticks), 0))::int as accounted,
			        coalesce(sum(greatest(0, floor((extract(epoch from next - scheduled_for) + 1) / 60) - 1 - missed_ticks)), 0)::int as unaccounted,
			        count(*) filter (where outcome = 'ran')::int as ran,
			        count(*) filter (where outcome = 'skipped')::int as skipped,
			        coalesce(sum(missed_ticks), 0)::int as missed
			   from l`,
	);
	const r = rows[0];
	const reasons = await pool.query<{ reason: string; n: number }>(
		"select skip_reason as reason, count(*)::int as n from pulse_execution_log where outcome = 'skipped' group by 1",
	);
	// Each process's first tick is pg-boss's catch-up for the minute it started in: left out.
	const lateness = bots
		.flatMap((b) =>
			b.lines
				.filter((l) => l.msg === "pulse tick" && typeof l.time === "number")
				.slice(1),
		)
		.map((l) => ((l.time as number) % 60_000) / 1000)
		.sort((a, b) => a - b);
	const q = (p: number) =>
		lateness[Math.min(lateness.length - 1, Math.floor(p * lateness.length))] ??
		Number.NaN;
	console.log(
		`ticks accounted for: ${r?.accounted} (ran ${r?.ran}, skipped ${r?.skipped}, folded after downtime ${r?.missed})`,
	);
	console.log(`ticks unaccounted for: ${r?.unaccounted}`);
	for (const s of reasons.rows) console.log(`  skipped: ${s.n} × ${s.reason}`);
	console.log(
		`pulse-tick fired after the minute: median ${q(0.5).toFixed(1)} s, max ${q(1).toFixed(1)} s over ${lateness.length} ticks`,
	);
});
