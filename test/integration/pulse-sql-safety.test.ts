import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	runGuarded,
	runWarehouseSql,
	type SqlOutcome,
} from "../../src/pulse/engine/execute-sql.ts";
import {
	type PulseTestEnv,
	pulseTestEnv,
	tableChecksum,
} from "../helpers/pulse.ts";

const TABLES = [
	"transaction_data",
	"customer_master",
	"pulse_monitors",
	"deliveries",
	"ingest_sources",
	"pgboss.job",
];

/**
 * Monitor SQL is user-written: each way of abusing it is refused before it runs, or stopped by
 * the read-only transaction, the restricted role, the statement timeout or the row cap — and
 * leaves every table exactly as it was.
 */
describe("running monitor SQL safely", () => {
	let env: PulseTestEnv;
	let before: Record<string, string>;
	const limits = { statementTimeoutMs: 1500, rowCap: 1000 };
	const asOf = { now: new Date("2026-06-01T07:00:00Z"), date: "2026-06-01" };
	const run = (sql: string) =>
		runWarehouseSql(env.deps.monitorPool, sql, limits, asOf);
	const guarded = (sql: string) =>
		runGuarded(env.deps.monitorPool, sql, limits, asOf);
	const failure = (o: SqlOutcome) => (o.ok ? "ok" : o.failure);
	const reason = (o: SqlOutcome) => (o.ok ? "" : o.reason);

	async function checksums(): Promise<Record<string, string>> {
		const out: Record<string, string> = {};
		for (const t of TABLES) out[t] = await tableChecksum(env.deps.pool, t);
		return out;
	}

	beforeAll(async () => {
		env = await pulseTestEnv("pulse_sql_safety");
		const boss = new PgBoss({ connectionString: env.db.url, schema: "pgboss" });
		await boss.start();
		await boss.createQueue("probe");
		await boss.send("probe", { secret: "job payload" });
		await boss.stop({ graceful: false, close: true });
		const pool = env.deps.pool;
		await pool.query(
			`insert into transaction_data (source, order_number, line_number, customer, posting_date, year_month, net_sales)
			 select 'erp', 'SO' || g, 1, 'C' || (g % 40), date '2026-01-01' + g % 150, to_char(date '2026-01-01' + g % 150, 'YYYY-MM'), g
			 from generate_series(1, 3000) g`,
		);
		await pool.query(
			"insert into customer_master (source, customer) values ('erp', 'C1')",
		);
		await pool.query(
			"insert into ingest_sources (name, kind) values ('erp', 'sqlite')",
		);
		await pool.query(
			"insert into pulse_monitors (name, sql_query) values ('probe', 'select 1')",
		);
		await pool.query(
			"insert into deliveries (idempotency_key, channel_kind, channel_id, kind, payload) values ('k', 'local', 'pulse', 'reply', '{}')",
		);
		before = await checksums();
	});

	afterAll(async () => {
		await env?.close();
	});

	it("runs a plain SELECT under the restricted role, as of the run's date", async () => {
		const o = await run(
			"select current_user as who, pulse_as_of()::text as d, count(*)::int as n from transaction_data",
		);
		expect(o.ok && o.rows[0]).toMatchObject({
			who: "erp_pulse_monitor",
			n: 3000,
		});
		expect(o.ok && o.rows[0]?.d).toBe("2026-06-01");
	});

	it.each([
		[
			"insert into transaction_data (source) values ('x')",
			"INSERT statement, which changes data",
		],
		[
			"update transaction_data set net_sales = 0",
			"UPDATE statement, which changes data",
		],
		["delete from transaction_data", "DELETE statement, which changes data"],
		["drop table transaction_data", "DROP statement, which changes the schema"],
		["create table x (a int)", "CREATE statement"],
		["truncate deliveries", "TRUNCATE statement"],
		[
			"with d as (delete from deliveries returning *) select * from d",
			"data-modifying CTE",
		],
		["select 1; select 2", "2 statements"],
		[
			"select 1; commit; begin read write; delete from transaction_data",
			"4 statements",
		],
		["select pg_sleep(60)", "pg_sleep()"],
		["select set_config('role', 'postgres', true)", "set_config()"],
	])("refuses %s before running anything", async (sql, expected) => {
		const o = await run(sql);
		expect(failure(o)).toBe("refused");
		expect(reason(o)).toContain(expected);
	});

	it("stops a write the pre-check did not see, with the read-only transaction", async () => {
		const o = await guarded(
			"select * from (select * from transaction_data limit 1 for update) q",
		);
		expect(failure(o)).toBe("read_only");
		expect(reason(o)).toContain("read-only transaction");
	});

	it("stops a switch back to the bot's role the pre-check did not see: tables are checked before it runs", async () => {
		const o = await guarded(
			"select set_config('role', 'postgres', true) as r, (select count(*) from deliveries) as n",
		);
		expect(failure(o)).toBe("permission");
	});

	it("cannot smuggle a second statement past the row-cap wrapper (extended protocol: one statement)", async () => {
		const o = await guarded(
			"select 1 as x) as q; commit; begin read write; delete from transaction_data; select * from (select 1",
		);
		expect(failure(o)).toBe("error");
		expect(reason(o)).toContain(
			"cannot insert multiple commands into a prepared statement",
		);
	});

	it("cuts pg_sleep(60) off at the statement timeout with a clear reason", async () => {
		const started = Date.now();
		const o = await guarded("select pg_sleep(60)");
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(failure(o)).toBe("timeout");
		expect(reason(o)).toContain("longer than the 1500 ms statement timeout");
	});

	it("cuts a slow query off at the statement timeout", async () => {
		const o = await run(
			"select count(*) from generate_series(1, 2000000000) g",
		);
		expect(failure(o)).toBe("timeout");
	});

	it("cuts a cartesian join of millions of rows off at the row cap and says so", async () => {
		const o = await run(
			"select a.order_number, b.order_number as other from transaction_data a cross join transaction_data b",
		);
		expect(o.ok).toBe(true);
		expect(o.ok && o.capped).toBe(true);
		expect(o.ok && o.rows.length).toBe(1000);
	});

	it.each([
		"select * from pgboss.job",
		"select * from ingest_sources",
		"select * from pulse_monitors",
		"select * from deliveries",
		"select * from pulse_alerts",
	])("denies %s with a clear reason", async (sql) => {
		const o = await run(sql);
		expect(failure(o)).toBe("permission");
		expect(reason(o)).toMatch(
			/^Permission denied: monitor queries may read only the warehouse/,
		);
	});

	it("leaves every table exactly as it was", async () => {
		expect(await checksums()).toEqual(before);
	});

	it("leaves the pooled connection clean (no role, timeout or read-only carried over)", async () => {
		const { rows } = await env.deps.monitorPool.query(
			"select current_user = session_user as own_role, current_setting('statement_timeout') as t, current_setting('transaction_read_only') as ro",
		);
		// Back to the login's own role (postgres on the machine's server, erp_pulse embedded).
		expect(rows[0]).toEqual({ own_role: true, t: "0", ro: "off" });
	});
});
