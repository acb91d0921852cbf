import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { runDoctor } from "../../src/doctor.ts";
import {
	MONITOR_ROLE,
	runGuarded,
	runWarehouseSql,
} from "../../src/pulse/engine/execute-sql.ts";
import {
	monitorLogin,
	monitorLoginProblems,
} from "../../src/pulse/engine/monitor-login.ts";
import { createTestDatabase, withClient } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { pulseDepsAt } from "../helpers/pulse.ts";

/**
 * Monitor SQL a hostile or careless admin could write: 70 attempts, each refused by the pre-check
 * with a sentence or contained by the server (read-only transaction, permission denied, timeout,
 * row cap), run once with the pre-check and once without it (the server's guards alone). Run for a
 * bot whose own login is a superuser (as the embedded default) and for one that is not: monitor
 * SQL logs in as erp_pulse_monitor either way, so there is no more privileged role to go back to.
 */
const ATTEMPTS: string[] = [
	// several statements, transaction control
	"select 1; drop table transaction_data",
	"select 1; commit; drop table transaction_data",
	"commit",
	"rollback",
	"begin",
	"savepoint s",
	"set transaction read write",
	"start transaction read write",
	// DDL and DML, also inside CTEs and SELECT INTO
	"drop table transaction_data",
	"truncate transaction_data",
	"delete from transaction_data",
	"update customer_master set customer = 'x'",
	"insert into deliveries (idempotency_key, channel_kind, channel_id, kind, payload) values ('z', 'local', 'x', 'reply', '{}')",
	"create table sneaky (a int)",
	"alter table transaction_data add column sneaky int",
	"create index sneaky_idx on transaction_data (customer)",
	"with d as (delete from transaction_data returning 1) select count(*) from d",
	"with u as (update pulse_monitors set name = 'x' returning 1) select * from u",
	"select * into sneaky_copy from transaction_data",
	// locking clauses
	"select * from transaction_data for update",
	"select * from transaction_data for share",
	"lock table transaction_data",
	// sequences
	"select nextval('deliveries_id_seq')",
	"select setval('deliveries_id_seq', 1)",
	// advisory locks, plain and through functions that run SQL text
	"select pg_advisory_lock(42)",
	"select pg_try_advisory_lock(43)",
	"select pg_advisory_lock_shared(44)",
	"select pg_advisory_xact_lock(45)",
	"select query_to_xml('select pg_advisory_lock(46)', true, true, '')",
	"select * from ts_stat('select to_tsvector(pg_try_advisory_lock(47)::text)')",
	// role and setting changes: plain, quoted, U&-escaped, set_config, through SQL-text executors
	"set role postgres",
	"reset role",
	"set session authorization postgres",
	"select set_config('role', 'postgres', false)",
	"select \"set_config\"('role', 'postgres', false)",
	"select U&\"set\\005fconfig\"('role', 'postgres', false)",
	"select pg_catalog.set_config('role', 'postgres', false)",
	"set statement_timeout = 0",
	"select set_config('statement_timeout', '0', false)",
	"select set_config('transaction_read_only', 'off', false)",
	"set transaction_read_only = off",
	"select query_to_xml('select set_config(''role'', ''postgres'', false)', true, true, '')",
	"select * from ts_stat('select to_tsvector(set_config(''role'', ''postgres'', false))')",
	"select table_to_xml('pulse_monitors', true, true, '')",
	// files, large objects, COPY … PROGRAM
	"select pg_read_file('/etc/passwd')",
	"select pg_read_binary_file('/etc/passwd')",
	"select pg_ls_dir('.')",
	"select pg_stat_file('postgresql.conf')",
	"copy transaction_data to '/tmp/erp-pulse-sneaky'",
	"copy (select 1) to program 'id'",
	"select lo_import('/etc/passwd')",
	"select lo_create(0)",
	"select lo_from_bytea(0, 'x')",
	// backends and the server
	// Postgres lets a role signal its own sessions: run without the pre-check, this ends the
	// monitor sessions of this test's database (its own included), and nothing else. Scoped to
	// this database so monitor runs of other test files on the same server are not cut off.
	"select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database()",
	"select pg_cancel_backend(1)",
	"select pg_reload_conf()",
	// dblink, DO, CALL, CREATE FUNCTION
	"select * from dblink('dbname=postgres', 'select 1') as t(a int)",
	"create extension dblink",
	"do $$ begin perform 1; end $$",
	"call sneaky()",
	"create function sneaky() returns int as 'select 1' language sql",
	// reads beyond the warehouse: pg-boss, engine and catalog tables
	"select * from pgboss.job",
	"select * from pulse_monitors",
	"select * from deliveries",
	"select * from ingest_sources",
	"select * from schema_migrations",
	"select rolpassword from pg_authid",
	"select * from pg_shadow",
	// time and size
	"select pg_sleep(60)",
	"select count(*) from generate_series(1, 1000000000)",
	"with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r",
	"select count(*) from transaction_data a, transaction_data b, transaction_data c, transaction_data d",
];

/** Everything monitor SQL must leave as it found it, read on a fresh admin connection. */
async function fingerprint(adminUrl: string): Promise<Record<string, unknown>> {
	return withClient(adminUrl, async (c) => {
		const one = async (sql: string) => (await c.query(sql)).rows[0];
		return {
			rows: await one(
				"select (select count(*) from transaction_data) as lines, (select count(*) from deliveries) as deliveries, (select string_agg(name, ',' order by name) from pulse_monitors) as monitors",
			),
			relations: await one(
				"select count(*) as n from pg_class where relnamespace = 'public'::regnamespace",
			),
			roles: await one(
				"select md5(string_agg(format('%s %s %s %s', rolname, rolsuper, rolcanlogin, rolcreaterole), ',' order by rolname)) as v from pg_roles",
			),
			settings: await one(
				"select md5(string_agg(name || '=' || setting, ',' order by name)) as v from pg_settings where context in ('user', 'superuser', 'sighup')",
			),
			sequences: await one(
				"select md5(string_agg(format('%s:%s', sequencename, last_value), ',' order by sequencename)) as v from pg_sequences",
			),
			largeObjects: await one(
				"select count(*) as n from pg_largeobject_metadata",
			),
			functions: await one(
				"select count(*) as n from pg_proc where pronamespace = 'public'::regnamespace",
			),
		};
	});
}

/**
 * Waits until the pool's connections answer again: after a statement ended the monitor sessions,
 * the pool drops the dead ones as their sockets close, and hands out fresh ones.
 */
async function settled(pool: Pool): Promise<void> {
	for (let tries = 0; ; tries++) {
		try {
			await pool.query("select 1");
			const again = await Promise.allSettled(
				Array.from({ length: 4 }, () => pool.query("select 1")),
			);
			if (again.every((r) => r.status === "fulfilled")) return;
		} catch (err) {
			// A session ended under the pool: 57P01, or the socket closing mid-query.
			if (tries > 20) throw err;
		}
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** Advisory locks held by monitor sessions in this test's database (others run beside it). */
async function advisoryLocks(adminUrl: string): Promise<number> {
	return withClient(adminUrl, async (c) =>
		Number(
			(
				await c.query(
					`select count(*)::int as n
					   from pg_locks l join pg_stat_activity a on a.pid = l.pid
					  where l.locktype = 'advisory' and a.usename = $1 and a.datname = current_database()`,
					[MONITOR_ROLE],
				)
			).rows[0]?.n,
		),
	);
}

async function seed(pool: Pool): Promise<void> {
	await pool.query(
		`insert into transaction_data (source, order_number, line_number, customer, posting_date, year_month, net_sales)
		 select 'erp', 'SO' || g, 1, 'C' || (g % 40), date '2026-01-01' + g % 150, to_char(date '2026-01-01' + g % 150, 'YYYY-MM'), g
		   from generate_series(1, 300) g`,
	);
	await pool.query(
		"insert into pulse_monitors (name, sql_query) values ('probe', 'select 1')",
	);
	await pool.query(
		"insert into deliveries (idempotency_key, channel_kind, channel_id, kind, payload) values ('k', 'local', 'pulse', 'reply', '{}')",
	);
}

const limits = { statementTimeoutMs: 1500, rowCap: 1000 };
const asOf = { now: new Date("2026-06-01T07:00:00Z"), date: "2026-06-01" };

describe.each([
	{ bot: "a superuser (the embedded default)", superuser: true },
	{ bot: "not a superuser (CREATEROLE only)", superuser: false },
])("monitor SQL when the bot's login is $bot", ({ superuser }) => {
	let adminUrl: string;
	let engine: Awaited<ReturnType<typeof pulseDepsAt>>;
	let drop: () => Promise<void>;
	let before: Record<string, unknown>;

	beforeAll(async () => {
		const db = await createTestDatabase(
			superuser ? "sandbox_super" : "sandbox_plain",
		);
		adminUrl = db.url;
		let botUrl = db.url;
		let dropRole = async () => {};
		if (!superuser) {
			// A bot login that may manage roles but is no superuser, owning its database.
			const role = `erp_pulse_t_bot_${randomBytes(4).toString("hex")}`;
			await withClient(db.url, async (c) => {
				await c.query(
					`create role ${role} login nosuperuser createrole password 'x'`,
				);
				await c.query(`alter database ${db.name} owner to ${role}`);
				await c.query(`alter schema public owner to ${role}`);
				// Postgres 16 and later let a CREATEROLE login grant and alter only the roles it has
				// ADMIN OPTION on: when erp_pulse_monitor was made by someone else (here: another test
				// database's migrations on the same cluster), the DBA grants it, as the README says.
				await c.query(
					"do $$ begin if not exists (select from pg_roles where rolname = 'erp_pulse_monitor') then create role erp_pulse_monitor nologin noinherit; end if; exception when duplicate_object or unique_violation then null; end $$",
				);
				await c.query(`grant erp_pulse_monitor to ${role} with admin option`);
			});
			const u = new URL(db.url);
			u.username = role;
			u.password = "x";
			botUrl = u.toString();
			dropRole = () =>
				withClient(db.url, async (c) => {
					await c.query(`reassign owned by ${role} to current_user`);
					await c.query(`drop owned by ${role}`);
					await c.query(`drop role ${role}`);
				});
		}
		engine = await pulseDepsAt(botUrl);
		const { rows } = await engine.deps.pool.query<{ su: boolean }>(
			"select rolsuper as su from pg_roles where rolname = current_user",
		);
		expect(rows[0]?.su).toBe(superuser);
		await seed(engine.deps.pool);
		drop = async () => {
			await engine.close();
			await dropRole();
			await db.drop();
		};
		before = await fingerprint(adminUrl);
	}, 120_000);
	afterAll(async () => {
		await drop?.();
	});

	it("logs monitor SQL in as erp_pulse_monitor, which can become nothing more privileged", async () => {
		const { rows } = await engine.deps.monitorPool.query<{
			who: string;
			login: string;
		}>("select current_user as who, session_user as login");
		expect(rows[0]).toEqual({ who: MONITOR_ROLE, login: MONITOR_ROLE });
		const u = new URL(
			(
				engine.deps.monitorPool as unknown as {
					options: { connectionString: string };
				}
			).options.connectionString,
		);
		expect(u.username).toBe(MONITOR_ROLE);
		expect(await monitorLoginProblems(u.toString())).toEqual([]);
	});

	it(`refuses or contains each of ${ATTEMPTS.length} attempts, with the pre-check and without it`, async () => {
		expect(ATTEMPTS.length).toBeGreaterThanOrEqual(60);
		for (const sql of ATTEMPTS) {
			const checked = await runWarehouseSql(
				engine.deps.monitorPool,
				sql,
				limits,
				asOf,
			);
			expect(checked.ok, `pre-check + guards let through: ${sql}`).toBe(false);
			if (!checked.ok) expect(checked.reason.length, sql).toBeGreaterThan(10);
			// The server's guards alone: whatever the statement does is undone or refused (or, for
			// backend signalling, it ends only monitor sessions, its own included).
			const guarded = await runGuarded(
				engine.deps.monitorPool,
				sql,
				limits,
				asOf,
			).catch((err: { code?: string }) => {
				if (err.code !== "57P01") throw err;
				return { ok: false as const, reason: "ended its own session" };
			});
			await settled(engine.deps.monitorPool);
			if (guarded.ok)
				expect(
					JSON.stringify(guarded.rows),
					`read something it should not: ${sql}`,
				).not.toMatch(/job payload|rolpassword|SCRAM|postgres:x|probe|"k"/);
			const { rows } = await engine.deps.monitorPool.query<{ who: string }>(
				"select current_user as who",
			);
			expect(rows[0]?.who, `role after: ${sql}`).toBe(MONITOR_ROLE);
			expect(
				await advisoryLocks(adminUrl),
				`advisory lock left by: ${sql}`,
			).toBe(0);
		}
		expect(await fingerprint(adminUrl)).toEqual(before);
	}, 180_000);
});

describe("doctor on the monitor role", () => {
	let url: string;
	let drop: () => Promise<void>;
	const evil = `erp_pulse_t_evil_${randomBytes(4).toString("hex")}`;
	const member = `erp_pulse_t_member_${randomBytes(4).toString("hex")}`;
	const roleUrl = (role: string) => {
		const u = new URL(url);
		u.username = role;
		u.password = "x";
		return u.toString();
	};

	beforeAll(async () => {
		const db = await createTestDatabase("doctor_monitor");
		url = db.url;
		await withClient(url, async (c) => {
			await c.query(`create role ${evil} login superuser password 'x'`);
			await c.query(`create role ${member} login password 'x'`);
			await c.query(`grant pg_write_server_files to ${member}`);
		});
		drop = async () => {
			await withClient(url, async (c) => {
				await c.query(`drop role ${evil}`);
				await c.query(`drop role ${member}`);
			});
			await db.drop();
		};
	});
	afterAll(async () => {
		await drop?.();
	});

	const monitorCheck = async (env: NodeJS.ProcessEnv) => {
		const checks = await runDoctor(undefined, { ...env, DATABASE_URL: url });
		return checks.find((c) => c.name === "monitor role");
	};

	it("reports the role's privileges, ok when it has none beyond its grants", async () => {
		expect(await monitorCheck({})).toMatchObject({
			status: "ok",
			detail: expect.stringContaining("no role attributes and no memberships"),
		});
	});

	it("fails a monitor login that is a superuser or can switch to another role", async () => {
		expect(
			await monitorCheck({ MONITOR_DATABASE_URL: roleUrl(evil) }),
		).toMatchObject({
			status: "fail",
			detail: expect.stringContaining(`the role ${evil} has superuser`),
		});
		expect(
			await monitorCheck({ MONITOR_DATABASE_URL: roleUrl(member) }),
		).toMatchObject({
			status: "fail",
			detail: expect.stringContaining(
				`the role ${member} can switch to pg_write_server_files`,
			),
		});
		// The bot refuses to start with such a login rather than run monitor SQL under it.
		const pool = createPool(url, memoryLogger().log, { max: 1 });
		try {
			await expect(
				monitorLogin(pool, url, {
					env: { MONITOR_DATABASE_URL: roleUrl(evil) },
				}),
			).rejects.toThrow(/MONITOR_DATABASE_URL: the role .* has superuser/);
		} finally {
			await pool.end();
		}
	});
});
