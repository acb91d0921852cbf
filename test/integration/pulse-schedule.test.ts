import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../../jobs/index.ts";
import { pulseTick } from "../../jobs/pulse-tick.ts";
import { parseConfig } from "../../src/config/load.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { createMonitor } from "../../src/pulse/engine/store.ts";
import { type QueueRuntime, startQueue } from "../../src/queue/boss.ts";
import type { JobContext } from "../../src/queue/job.ts";
import { eventually } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { type PulseTestEnv, pulseTestEnv } from "../helpers/pulse.ts";

const MONITORS = 200;

/**
 * Two bot processes (two pg-boss instances with their own pools and workers) tick at the same
 * moment over 200 due monitors: every monitor runs exactly once per tick.
 */
describe("scheduling Pulse monitors from several bot processes", () => {
	let env: PulseTestEnv;
	const processes: { queue: QueueRuntime; pool: Pool; ctx: JobContext }[] = [];
	const { log } = memoryLogger();

	beforeAll(async () => {
		env = await pulseTestEnv("pulse_schedule");
		const { config } = parseConfig(
			"demo: {enabled: false}\nqueue: {pollingIntervalSeconds: 0.5}\nschedules:\n  pulse-tick: {cron: '* * * * *', enabled: false}\n  housekeeping: {cron: '15 3 * * *', enabled: false}\n",
			"test.yaml",
			{},
		);
		for (let i = 0; i < 2; i++) {
			const pool = createPool(env.db.url, log, { max: 6 });
			const deps = {
				pool,
				config,
				sql: env.deps.sql,
				catalog: env.deps.catalog,
				env: {},
			};
			const queue = await startQueue({
				url: env.db.url,
				config,
				jobs,
				log,
				deps,
			});
			const ctx: JobContext = {
				...deps,
				send: queue.send,
				sendMany: queue.sendMany,
				log,
				signal: new AbortController().signal,
				jobId: `tick-${i}`,
				attempt: 1,
			};
			processes.push({ queue, pool, ctx });
		}
		for (let i = 0; i < MONITORS; i++)
			await createMonitor(env.deps, {
				name: `monitor ${i}`,
				target: { sql: `select ${i} as value` },
				condition: { kind: "threshold", operator: ">", value: 1000 },
				// Once a year, so no real tick falls inside the test (an hourly one can cross the hour).
				frequency: { cron: "0 7 1 1 *", timeZone: "UTC" },
			});
	}, 180_000);

	afterAll(async () => {
		for (const p of processes) {
			await p.queue.stop(5000);
			await p.pool.end();
		}
		await env?.close();
	});

	async function runsPerMonitor(): Promise<Map<number, number>> {
		const { rows } = await env.deps.pool.query<{
			runs: number;
			monitors: number;
		}>(
			`select runs, count(*)::int as monitors from (
				select m.id, count(l.id)::int as runs from pulse_monitors m
				left join pulse_execution_log l on l.monitor_id = m.id group by m.id) x group by runs`,
		);
		return new Map(rows.map((r) => [r.runs, r.monitors]));
	}

	async function tickBothAndDrain(expectedRuns: number) {
		const results = (await Promise.all(
			processes.map((p) => pulseTick.handler({}, p.ctx)),
		)) as { claimed: number; batches: number }[];

		await eventually(
			async () => {
				const { rows } = await env.deps.pool.query<{ n: number }>(
					"select count(*)::int as n from pulse_execution_log",
				);
				return (rows[0]?.n ?? 0) >= expectedRuns ? true : undefined;
			},
			120_000,
			250,
		);
		// Let any duplicate that might still be queued run too, then count.
		await new Promise((r) => setTimeout(r, 1500));
		return results;
	}

	it("runs each due monitor exactly once when two processes tick at the same moment", async () => {
		const ticks = await tickBothAndDrain(MONITORS);
		expect(ticks.reduce((s, t) => s + t.claimed, 0)).toBe(MONITORS);
		expect(await runsPerMonitor()).toEqual(new Map([[1, MONITORS]]));
	}, 180_000);

	it("runs each monitor exactly once more on the next due tick, and not at all in between", async () => {
		const idle = await Promise.all(
			processes.map((p) => pulseTick.handler({}, p.ctx)),
		);
		expect(idle).toEqual([
			{ claimed: 0, batches: 0, missed: 0 },
			{ claimed: 0, batches: 0, missed: 0 },
		]);
		// Time passes: the next run falls due, and the last run lies before it.
		await env.deps.pool.query(
			"update pulse_monitors set next_run = now() - interval '1 second', last_run = last_run - interval '1 hour'",
		);
		const ticks = await tickBothAndDrain(2 * MONITORS);
		expect(ticks.reduce((s, t) => s + t.claimed, 0)).toBe(MONITORS);
		expect(await runsPerMonitor()).toEqual(new Map([[2, MONITORS]]));
	}, 180_000);

	it("catches up once after downtime instead of once per missed tick", async () => {
		await env.deps.pool.query(
			"update pulse_monitors set next_run = now() - interval '30 hours', last_run = now() - interval '31 hours'",
		);
		const ticks = await tickBothAndDrain(3 * MONITORS);
		expect(ticks.reduce((s, t) => s + t.claimed, 0)).toBe(MONITORS);
		expect(await runsPerMonitor()).toEqual(new Map([[3, MONITORS]]));
		const { rows } = await env.deps.pool.query<{ n: number }>(
			"select count(*)::int as n from pulse_monitors where next_run <= now()",
		);
		expect(rows[0]?.n).toBe(0);
	}, 180_000);
});
