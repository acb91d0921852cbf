import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	acceptTuning,
	actOnAlert,
	tuningProposal,
} from "../../src/pulse/engine/feedback.ts";
import { runMonitor } from "../../src/pulse/engine/run.ts";
import { pauseMonitor } from "../../src/pulse/engine/service.ts";
import {
	createMonitor,
	findMonitor,
	listVersions,
	type MonitorDefinition,
	rollbackMonitor,
	updateMonitor,
} from "../../src/pulse/engine/store.ts";
import { createConnector } from "../../src/sources/index.ts";
import { type PulseTestEnv, pulseTestEnv } from "../helpers/pulse.ts";

const BASE = Date.parse("2026-06-01T07:00:00Z");
/** The run "as of" minute i reads the value planted for minute i. */
const at = (minute: number) => new Date(BASE + minute * 60_000);
const VALUE_SQL = `select net_sales::float8 as value from transaction_data
	where source = 'series' and line_number = (extract(epoch from pulse_now() - timestamptz '2026-06-01T07:00:00Z') / 60)::int`;

function definition(over: Partial<MonitorDefinition> = {}): MonitorDefinition {
	return {
		name: "value above 100",
		target: { sql: VALUE_SQL, valueColumn: "value" },
		condition: { kind: "threshold", operator: ">", value: 100 },
		channels: ["local:finance"],
		cooldownMinutes: 0,
		...over,
	};
}

describe("Pulse monitors in the database", () => {
	let env: PulseTestEnv;
	let seriesName = 0;

	/** Plants one value per minute under its own order number, so each test has its own series. */
	async function plant(values: (number | null)[]): Promise<string> {
		const order = `S${++seriesName}`;
		await env.deps.pool.query(
			"delete from transaction_data where source = 'series'",
		);
		await env.deps.pool.query(
			`insert into transaction_data (source, order_number, line_number, posting_date, year_month, net_sales)
			 select 'series', $1, i - 1, date '2026-06-01', '2026-06', v from unnest($2::numeric[]) with ordinality as u (v, i) where v is not null`,
			[order, values],
		);
		return order;
	}

	async function runMinutes(id: string, from: number, to: number) {
		const out = [];
		for (let m = from; m <= to; m++)
			out.push(await runMonitor(env.deps, id, { now: at(m) }));
		return out;
	}

	const count = async (sql: string, params: unknown[]) =>
		Number((await env.deps.pool.query(sql, params)).rows[0]?.n);

	beforeAll(async () => {
		env = await pulseTestEnv("pulse_engine", { maxConsecutiveErrors: 3 });
	});
	afterAll(async () => {
		await env?.close();
	});

	describe("storing monitors", () => {
		it("names the field of a bad condition and stores nothing", async () => {
			await expect(
				createMonitor(
					env.deps,
					definition({
						condition: {
							kind: "threshold",
							operator: ">",
							value: "lots" as unknown as number,
						},
					}),
				),
			).rejects.toThrow(
				/condition\.value: expected a number \(the threshold\); got "lots"/,
			);
			await expect(
				createMonitor(env.deps, definition({ channels: ["#general"] })),
			).rejects.toThrow(/channels\.0: expected a channel/);
			expect(await count("select count(*) as n from pulse_monitors", [])).toBe(
				0,
			);
		});

		it("refuses SQL that is not one SELECT, naming target.sql", async () => {
			await expect(
				createMonitor(
					env.deps,
					definition({ target: { sql: "delete from transaction_data" } }),
				),
			).rejects.toThrow(/target\.sql: The query is a DELETE statement/);
		});

		it("versions every SQL or condition edit with its reason, and rolls back as a new version", async () => {
			const m = await createMonitor(
				env.deps,
				definition({ name: "versioned" }),
			);
			expect(m.row.query_version).toBe(1);
			await updateMonitor(
				env.deps,
				m.row.id,
				{ condition: { kind: "threshold", operator: ">", value: 120 } },
				"fewer alerts",
			);
			await updateMonitor(
				env.deps,
				"versioned",
				{ severity: "high" },
				"louder",
			);
			const edited = await updateMonitor(
				env.deps,
				m.row.id,
				{ target: { sql: `${VALUE_SQL} and true`, valueColumn: "value" } },
				"narrower query",
			);
			expect(edited.row.query_version).toBe(3);
			expect(edited.monitor?.severity).toBe("high");
			const back = await rollbackMonitor(env.deps, m.row.id, 1);
			expect(back.row.query_version).toBe(4);
			expect(back.row.sql_query).toBe(VALUE_SQL);
			expect(back.row.alert_condition).toEqual({
				kind: "threshold",
				operator: ">",
				value: 100,
			});
			const versions = await listVersions(env.deps, m.row.id);
			expect(versions.map((v) => [v.version, v.change_reason])).toEqual([
				[1, "created"],
				[2, "fewer alerts"],
				[3, "narrower query"],
				[4, "rollback to version 1"],
			]);
			await expect(rollbackMonitor(env.deps, m.row.id, 9)).rejects.toThrow(
				/has no version 9; it has 1, 2, 3, 4/,
			);
		});
	});

	describe("running a monitor", () => {
		it("opens one alert stamped with version, observed value and fingerprint, folds repeats and resolves", async () => {
			await plant([50, 150, 160, 40]);
			const m = await createMonitor(
				env.deps,
				definition({ name: "lifecycle" }),
			);
			const runs = await runMinutes(m.row.id, 0, 3);
			expect(runs.map((r) => r.actions.map((a) => a.type).join())).toEqual([
				"none",
				"open_alert",
				"refire",
				"resolve",
			]);
			const { rows: alerts } = await env.deps.pool.query(
				"select * from pulse_alerts where monitor_id = $1",
				[m.row.id],
			);
			expect(alerts).toHaveLength(1);
			expect(alerts[0]).toMatchObject({
				query_version: 1,
				observed_value: 160,
				count: 2,
				fingerprint: expect.stringMatching(
					new RegExp(`^${m.row.id}:[0-9a-f]{12}:-$`),
				),
				resolved_at: at(3),
				severity: "medium",
			});
			expect(alerts[0].message).toContain("160 is above 100");
			// The resolved card still shows the breach it was about (the last breaching run's rows),
			// not the all-clear run's 40.
			expect(alerts[0].data.detail).toContain("160 is above 100");
			expect(JSON.stringify(alerts[0].data.rows)).toContain("160");
			expect(JSON.stringify(alerts[0].data.rows)).not.toContain("40");
			const { rows: log } = await env.deps.pool.query(
				"select observed_value, alert_triggered, rows_returned, error_message from pulse_execution_log where monitor_id = $1 order by id",
				[m.row.id],
			);
			expect(
				log.map((l) => [
					l.observed_value,
					l.alert_triggered,
					l.rows_returned,
					l.error_message,
				]),
			).toEqual([
				[50, false, 1, null],
				[150, true, 1, null],
				[160, true, 1, null],
				[40, false, 1, null],
			]);
			const { rows: out } = await env.deps.pool.query(
				"select idempotency_key, kind, channel_kind, channel_id, payload from deliveries where alert_id = $1 order by id",
				[alerts[0].id],
			);
			expect(
				out.map((d) => [d.kind, d.payload.event, d.payload.notify]),
			).toEqual([
				["alert", "alert_opened", true],
				["thread_reply", "alert_refired", false],
				["thread_reply", "alert_resolved", false],
				["alert_update", "alert_resolved", false],
			]);
			expect(out[0]).toMatchObject({
				channel_kind: "local",
				channel_id: "finance",
			});
			expect(out[0].idempotency_key).toBe(
				`pulse:alert:${alerts[0].id}:open:local:finance`,
			);
		});

		it("folds a breach within the cooldown after resolving into the same alert, without a ping", async () => {
			await plant([150, 40, 150]);
			const m = await createMonitor(
				env.deps,
				definition({ name: "cooldown", cooldownMinutes: 60 }),
			);
			const runs = await runMinutes(m.row.id, 0, 2);
			expect(runs.map((r) => r.actions[0]?.type)).toEqual([
				"open_alert",
				"resolve",
				"refire",
			]);
			const { rows } = await env.deps.pool.query(
				"select count, resolved_at from pulse_alerts where monitor_id = $1",
				[m.row.id],
			);
			expect(rows).toEqual([{ count: 2, resolved_at: null }]);
			expect(runs[2]?.actions[0]).toMatchObject({
				reopened: true,
				notify: false,
			});
		});

		it("does not ping again for an acknowledged alert, and a double click changes it once", async () => {
			await plant([150, 150, 150]);
			const m = await createMonitor(
				env.deps,
				definition({ name: "acked", renotifyMinutes: 1, cooldownMinutes: 30 }),
			);
			const [first] = await runMinutes(m.row.id, 0, 0);
			const alertId = first?.alertId as string;
			const ack = await actOnAlert(
				env.deps,
				alertId,
				"U1",
				{ type: "acknowledge" },
				at(0),
			);
			const again = await actOnAlert(
				env.deps,
				alertId,
				"U2",
				{ type: "acknowledge" },
				at(0),
			);
			expect([ack.changed, again.changed]).toEqual([true, false]);
			expect(again.message).toBe("Already acknowledged by U1.");
			const later = await runMinutes(m.row.id, 1, 2);
			expect(later.map((r) => r.actions[0])).toMatchObject([
				{ type: "refire", notify: false },
				{ type: "refire", notify: false },
			]);
			expect(
				await count(
					"select count(*) as n from deliveries where alert_id = $1 and kind = 'alert_update'",
					[alertId],
				),
			).toBe(1);
		});

		it("skips a second run for the same scheduler tick", async () => {
			await plant([150]);
			const m = await createMonitor(
				env.deps,
				definition({ name: "tick once" }),
			);
			const tick = at(0);
			const a = await runMonitor(env.deps, m.row.id, {
				now: tick,
				scheduledFor: tick,
			});
			const b = await runMonitor(env.deps, m.row.id, {
				now: tick,
				scheduledFor: tick,
			});
			expect([a.skipped, b.skipped]).toEqual([
				undefined,
				"this tick already ran",
			]);
			expect(
				await count(
					"select count(*) as n from pulse_execution_log where monitor_id = $1",
					[m.row.id],
				),
			).toBe(1);
		});

		it("pauses a monitor after 3 failed runs in a row and tells its channel why", async () => {
			const m = await createMonitor(
				env.deps,
				definition({
					name: "broken",
					target: { sql: "select no_such_column from transaction_data" },
				}),
			);
			const runs = await runMinutes(m.row.id, 0, 2);
			expect(runs.map((r) => r.paused !== null)).toEqual([false, false, true]);
			expect(runs[0]?.error).toContain(
				'column "no_such_column" does not exist',
			);
			const after = await findMonitor(env.deps, m.row.id);
			expect(after.row.paused_reason).toMatch(
				/^3 runs in a row failed; the last error: The query failed/,
			);
			const { rows } = await env.deps.pool.query(
				"select kind, payload from deliveries where payload->'monitor'->>'id' = $1",
				[m.row.id],
			);
			expect(rows).toHaveLength(1);
			expect(rows[0].payload).toMatchObject({
				event: "monitor_paused",
				notify: true,
			});
			const skipped = await runMonitor(env.deps, m.row.id, {
				scheduledFor: at(5),
			});
			expect(skipped.skipped).toMatch(/^the monitor is paused/);
			const resumed = await pauseMonitor(env.deps, m.row.id, null);
			expect([
				resumed.row.paused_reason,
				resumed.row.consecutive_errors,
			]).toEqual([null, 0]);
		});
	});

	describe("monitors on an ERP source", () => {
		it("run their SQL through the source's read-only connector, with the same pre-check and row cap", async () => {
			const dir = mkdtempSync(path.join(tmpdir(), "pulse-src-"));
			const file = path.join(dir, "erp.sqlite");
			const db = new DatabaseSync(file);
			db.exec("create table invoices (id integer primary key, amount real)");
			db.exec(
				"with recursive n(v) as (select 1 union all select v + 1 from n where v < 50) insert into invoices (amount) select v from n",
			);
			db.close();
			const deps = {
				...env.deps,
				config: { ...env.deps.config, rowCap: 20 },
				connectorFor: () =>
					createConnector({
						kind: "sqlite",
						file,
						queryTimeoutMs: 5000,
						batchSize: 100,
					}),
			};
			try {
				const total = await createMonitor(
					deps,
					definition({
						name: "erp total",
						target: {
							sql: "select sum(amount) as total from invoices",
							source: "erp",
						},
						condition: { kind: "threshold", operator: ">", value: 1000 },
					}),
				);
				const r = await runMonitor(deps, total.row.id, { now: at(0) });
				expect(r.evaluation).toMatchObject({ breached: true, observed: 1275 });
				const all = await createMonitor(
					deps,
					definition({
						name: "erp rows",
						target: { sql: "select id from invoices", source: "erp" },
						condition: { kind: "row_count", operator: ">", value: 5 },
					}),
				);
				const capped = await runMonitor(deps, all.row.id, { now: at(0) });
				expect(capped.evaluation?.observed).toBe(20);
				expect(capped.evaluation?.detail).toContain(
					"cut off at the 20-row cap",
				);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		});
	});

	describe("feedback that tunes", () => {
		it("proposes a threshold that drops the false alarms and keeps the real ones, and applies it as a new version", async () => {
			// Five separate alerts: 105, 110 and 108 were false alarms, 150 and 160 real issues.
			const values = [105, 40, 110, 40, 108, 40, 150, 40, 160, 40];
			await plant(values);
			const m = await createMonitor(env.deps, definition({ name: "tuned" }));
			const runs = await runMinutes(m.row.id, 0, values.length - 1);
			const alertIds = runs
				.filter((r) => r.actions[0]?.type === "open_alert")
				.map((r) => r.alertId as string);
			expect(alertIds).toHaveLength(5);
			const [f1, f2, f3, r1, r2] = alertIds as [
				string,
				string,
				string,
				string,
				string,
			];
			await actOnAlert(env.deps, r1, "U1", {
				type: "feedback",
				verdict: "real",
			});
			await actOnAlert(env.deps, r2, "U1", {
				type: "feedback",
				verdict: "real",
			});
			const one = await actOnAlert(env.deps, f1, "U1", {
				type: "feedback",
				verdict: "false_alarm",
			});
			await actOnAlert(env.deps, f2, "U1", {
				type: "feedback",
				verdict: "false_alarm",
			});
			expect(one.tuning?.proposal).toBeNull();
			const third = await actOnAlert(env.deps, f3, "U2", {
				type: "feedback",
				verdict: "false_alarm",
			});
			const proposal = third.tuning?.proposal;
			expect(proposal).toMatchObject({
				from: 100,
				keptReal: 2,
				droppedFalse: 3,
				remainingFalse: 0,
			});
			expect(proposal?.to).toBeGreaterThanOrEqual(110);
			expect(proposal?.to).toBeLessThan(150);
			const monitor = await findMonitor(env.deps, m.row.id);
			expect([monitor.row.true_positives, monitor.row.false_positives]).toEqual(
				[2, 3],
			);
			expect(
				await count(
					"select count(*) as n from deliveries where payload->>'event' = 'tuning_proposal' and alert_id = $1",
					[f3],
				),
			).toBe(1);
			expect((await tuningProposal(env.deps, m.row.id)).proposal?.to).toBe(
				proposal?.to,
			);

			const accepted = await acceptTuning(env.deps, m.row.id);
			expect(accepted.monitor.row.query_version).toBe(2);
			expect(
				(await listVersions(env.deps, m.row.id)).at(-1)?.change_reason,
			).toMatch(/^tuning accepted: Raising the threshold from 100 to/);
			// Replaying the same history on the tuned monitor raises only the two real alerts.
			const replay = await runMinutes(m.row.id, 0, values.length - 1);
			const opened = replay
				.filter((r) => r.actions[0]?.type === "open_alert")
				.map((r) => r.evaluation?.observed);
			expect(opened).toEqual([150, 160]);
		});
	});
});
