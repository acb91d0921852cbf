import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "../../src/db/pool.ts";
import { runBatch } from "../../src/pulse/engine/batch.ts";
import {
	overdueMonitors,
	tickCounts,
} from "../../src/pulse/engine/liveness.ts";
import { runMonitor } from "../../src/pulse/engine/run.ts";
import { pauseMonitor } from "../../src/pulse/engine/service.ts";
import {
	createMonitor,
	type MonitorDefinition,
} from "../../src/pulse/engine/store.ts";
import { batchRuns, type ClaimedRun } from "../../src/pulse/engine/tick.ts";
import { type PulseTestEnv, pulseTestEnv } from "../helpers/pulse.ts";

/** Every claimed tick of every monitor ends as one execution-log row: ran, or skipped with a reason. */
describe("accounting for every monitor tick", () => {
	let env: PulseTestEnv;
	let n = 0;
	const tick = new Date("2026-06-01T07:00:00Z");

	const sqlMonitor = async (over: Partial<MonitorDefinition> = {}) => {
		const stored = await createMonitor(env.deps, {
			name: `tick monitor ${++n}`,
			target: { sql: "select 1 as value" },
			condition: { kind: "threshold", operator: ">", value: 100 },
			frequency: { cron: "0 7 1 1 *", timeZone: "UTC" },
			...over,
		});
		return stored.row;
	};
	const logOf = async (id: string) =>
		(
			await env.deps.pool.query<{
				outcome: string;
				skip_reason: string | null;
				missed_ticks: number;
				scheduled_for: Date;
			}>(
				"select outcome, skip_reason, missed_ticks, scheduled_for from pulse_execution_log where monitor_id = $1 order by id",
				[id],
			)
		).rows;

	beforeAll(async () => {
		env = await pulseTestEnv("pulse_ticks");
		// Two order lines, so revenue has a series to read.
		await env.deps.pool.query(
			`insert into transaction_data (source, order_number, line_number, customer, material_number, posting_date, year_month, net_sales, region)
			 values ('t', 'O1', 1, 'C1', 'M1', date '2026-04-10', '2026-04', 100, 'West'),
			        ('t', 'O2', 1, 'C2', 'M1', date '2026-05-10', '2026-05', 80, 'East')`,
		);
	});
	afterAll(async () => {
		await env?.close();
	});

	it("logs a tick as coalesced, without waiting, while another run of the same monitor holds it", async () => {
		const m = await sqlMonitor();
		const other = await env.deps.pool.connect();
		try {
			await other.query("begin");
			await other.query(
				"select 1 from pulse_monitors where id = $1 for no key update",
				[m.id],
			);
			const r = await runMonitor(env.deps, m.id, { scheduledFor: tick });
			expect(r.skipped).toBe(
				"coalesced: the previous run of this monitor was still running",
			);
			expect(r.skipLogged).toBe(true);
		} finally {
			await other.query("rollback");
			other.release();
		}
		expect(await logOf(m.id)).toEqual([
			{
				outcome: "skipped",
				skip_reason:
					"coalesced: the previous run of this monitor was still running",
				missed_ticks: 0,
				scheduled_for: tick,
			},
		]);
		// The same tick again is already accounted for: nothing new is written.
		const again = await runMonitor(env.deps, m.id, { scheduledFor: tick });
		expect(again).toMatchObject({
			skipped: "this tick already ran",
			skipLogged: false,
		});
		expect(await logOf(m.id)).toHaveLength(1);
	});

	it("logs the tick of a monitor paused after the tick claimed it as skipped, with the pause reason", async () => {
		const m = await sqlMonitor();
		await pauseMonitor(env.deps, m.id, "quarter-end freeze");
		const r = await runMonitor(env.deps, m.id, { scheduledFor: tick });
		expect(r.skipped).toContain("the monitor is paused");
		expect((await logOf(m.id))[0]).toMatchObject({
			outcome: "skipped",
			skip_reason: expect.stringContaining("quarter-end freeze"),
		});
	});

	it("records the ticks a downtime folded into one run on that run's row", async () => {
		const m = await sqlMonitor();
		const out = await runBatch(env.deps, [
			{ monitorId: m.id, scheduledFor: tick, missedTicks: 41 },
		]);
		expect(out.results[0]?.skipped).toBeUndefined();
		expect(await logOf(m.id)).toEqual([
			{
				outcome: "ran",
				skip_reason: null,
				missed_ticks: 41,
				scheduled_for: tick,
			},
		]);
	});

	it("reads each distinct series once for a batch of metric monitors that share it", async () => {
		const ids: string[] = [];
		for (let i = 0; i < 12; i++)
			ids.push(
				(
					await sqlMonitor({
						target: {
							metric: "revenue",
							grain: "month",
							...(i % 2
								? { filter: { dimension: "region", value: "West" } }
								: {}),
						},
						condition: { kind: "threshold", operator: "<", value: 0 },
					})
				).id,
			);
		const out = await runBatch(
			env.deps,
			ids.map((id) => ({ monitorId: id, scheduledFor: tick, missedTicks: 0 })),
			{ now: new Date("2026-06-02T12:00:00Z") },
		);
		expect(out.failures).toEqual([]);
		expect(out.results.every((r) => r.error === null && !r.skipped)).toBe(true);
		expect(out.seriesReads).toBe(2);
	});

	it("runs a metric monitor on a pool of one connection (one run holds one connection)", async () => {
		const pool = createPool(env.db.url, env.deps.log, { max: 1 });
		try {
			const m = await sqlMonitor({
				target: { metric: "revenue", grain: "month" },
				condition: { kind: "threshold", operator: "<", value: 0 },
			});
			const r = await runMonitor({ ...env.deps, pool }, m.id, {
				scheduledFor: tick,
				now: new Date("2026-06-02T12:00:00Z"),
			});
			expect(r.error).toBeNull();
			expect(r.evaluation?.breached).toBe(false);
		} finally {
			await pool.end();
		}
	});

	it("puts monitors that read the same series into the same batch", () => {
		const run = (id: string, seriesKey: string): ClaimedRun => ({
			monitorId: id,
			scheduledFor: tick,
			skipped: 0,
			seriesKey,
		});
		const claimed = [
			run("a", "revenue"),
			run("b", "orders"),
			run("c", "revenue"),
			run("d", "orders"),
			run("e", "sql:e"),
		];
		expect(batchRuns(claimed, 2).map((b) => b.map((r) => r.monitorId))).toEqual(
			[["b", "d"], ["a", "c"], ["e"]],
		);
	});

	it("reports a monitor overdue once more than one period has passed with no tick accounted for, and counts ticks by outcome", async () => {
		const m = await sqlMonitor({
			name: "every minute",
			frequency: { cron: "* * * * *", timeZone: "UTC" },
		});
		const created = new Date(m.created_at);
		const at = (minutes: number) =>
			new Date(created.getTime() + minutes * 60_000);
		const isOverdue = async (now: Date) =>
			(await overdueMonitors(env.deps.pool, now, "UTC")).some(
				(o) => o.id === m.id,
			);
		// Its first tick is due within the minute; one period later it is not yet overdue…
		expect(await isOverdue(at(2))).toBe(false);
		// …ten minutes on, with nothing run or skipped, it is.
		expect(await isOverdue(at(10))).toBe(true);
		// A tick accounted for (here: skipped) brings it back.
		const tickAt = new Date(Math.floor(at(9).getTime() / 60_000) * 60_000);
		await runMonitor(env.deps, m.id, { scheduledFor: tickAt, now: tickAt });
		expect(await isOverdue(at(10))).toBe(false);
		const ticks = await tickCounts(env.deps.pool, new Date());
		expect(ticks.ran).toBeGreaterThanOrEqual(1);
		expect(ticks.skippedBy).toMatchObject({
			coalesced: 1,
			"the monitor is paused": 1,
		});
	});
});
