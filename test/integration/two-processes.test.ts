import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/db.ts";
import {
	fleetConfig,
	fleetEnv,
	minuteMonitors,
	orphanedActiveJobs,
	unaccountedTicks,
} from "../helpers/fleet.ts";
import { type RunningBot, startBot } from "../helpers/process.ts";
import { type PulseTestEnv, pulseTestEnv } from "../helpers/pulse.ts";
import {
	type SlackStandIn,
	startSlackStandIn,
} from "../helpers/slack-standin.ts";

const MONITORS = 200;

/** Batches of pulse-run a bot process completed that ran at least one monitor. */
function batchesRun(bot: RunningBot): number {
	return bot
		.logs()
		.filter((l) => l.queue === "pulse-run" && l.msg === "job completed").length;
}

/**
 * Two real bot processes (separate `node` processes) on one database with 200 one-minute
 * monitors: every tick runs exactly once across both, both do work, and after one is killed with
 * SIGKILL the other does all of it.
 */
describe("two bot processes sharing 200 one-minute monitors", () => {
	let env: PulseTestEnv;
	let slack: SlackStandIn;
	let dir: string;
	let config: string;
	const bots: RunningBot[] = [];

	beforeAll(async () => {
		env = await pulseTestEnv("two_processes");
		slack = await startSlackStandIn();
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-two-"));
		// debug: each completed pulse-run batch is logged, and the test counts them per process.
		config = fleetConfig(dir, "log: {level: debug}");
		await minuteMonitors(env.deps, MONITORS, 0, false);
	}, 120_000);
	afterAll(async () => {
		for (const b of bots)
			if (b.child.exitCode === null) await b.stop("SIGKILL");
		await slack?.close();
		await env?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	const ticksRun = async (after: Date) => {
		const { rows } = await env.deps.pool.query<{
			tick: Date;
			ran: number;
			rows: number;
			monitors: number;
		}>(
			`select scheduled_for as tick, count(*) filter (where outcome = 'ran')::int as ran,
			        count(*)::int as rows, count(distinct monitor_id)::int as monitors
			   from pulse_execution_log where scheduled_for > $1 group by 1 order by 1`,
			[after],
		);
		return rows;
	};

	it("runs every tick exactly once across both, both doing work, and one carries on alone after the other is killed", async () => {
		const { pool } = env.deps;
		const started = new Date();
		bots.push(
			...(await Promise.all(
				[0, 1].map(() =>
					startBot(["--config", config], fleetEnv(env.db.url, slack)),
				),
			)),
		);
		const [a, b] = bots as [RunningBot, RunningBot];
		// Two full ticks on the minute (the first may be a catch-up for a never-run monitor).
		const twoTicks = await eventually(
			async () => {
				const ticks = (await ticksRun(started)).filter(
					(t) => t.tick.getUTCSeconds() === 0 && t.ran === MONITORS,
				);
				return ticks.length >= 2 ? ticks : undefined;
			},
			180_000,
			500,
		);
		for (const t of twoTicks)
			expect(t).toMatchObject({
				ran: MONITORS,
				rows: MONITORS,
				monitors: MONITORS,
			});
		expect(batchesRun(a), "the first process ran batches").toBeGreaterThan(0);
		expect(batchesRun(b), "the second process ran batches").toBeGreaterThan(0);
		expect(await unaccountedTicks(pool)).toBe(0);

		const killedAt = new Date();
		await a.stop("SIGKILL");
		const bBefore = batchesRun(b);
		// The survivor runs every monitor's next tick on its own, and whatever the dead process
		// held is freed by its heartbeat.
		const next = await eventually(
			async () => {
				const ticks = (await ticksRun(killedAt)).filter(
					(t) => t.ran === MONITORS,
				);
				const orphans = await orphanedActiveJobs(pool, killedAt);
				return ticks.length >= 1 && orphans.length === 0 ? ticks : undefined;
			},
			120_000,
			500,
		);
		expect(next[0]).toMatchObject({ ran: MONITORS, rows: MONITORS });
		const doneAfter =
			(Date.now() - (next[0]?.tick.getTime() ?? Date.now())) / 1000;
		console.log(
			`two processes: after the kill, the survivor ran all ${MONITORS} monitors of the next tick within ${doneAfter.toFixed(1)} s of it`,
		);
		expect(batchesRun(b)).toBeGreaterThan(bBefore);
		expect(await unaccountedTicks(pool)).toBe(0);
		// Nothing ran twice: one row per monitor and tick, by the log's unique key and by count.
		const { rows } = await pool.query<{ n: number }>(
			"select count(*)::int as n from (select monitor_id, scheduled_for from pulse_execution_log group by 1, 2 having count(*) > 1) d",
		);
		expect(rows[0]?.n).toBe(0);
	}, 420_000);
});
