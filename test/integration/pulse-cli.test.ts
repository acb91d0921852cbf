import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { migrationsDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { runCli } from "../helpers/process.ts";

/**
 * `erp-pulse pulse …` is the chat command (commands/pulse.ts) run from the terminal: the same
 * verbs, words and replies, through the real CLI process. The person at the terminal runs the bot,
 * so a monitorAdmins list that does not name them does not stop them.
 */
describe("erp-pulse pulse: the chat grammar at the terminal", () => {
	const { log } = memoryLogger();
	let db: TestDatabase;
	let pool: Pool;
	let dir: string;
	let env: NodeJS.ProcessEnv;

	beforeAll(async () => {
		db = await createTestDatabase("pulse_cli");
		pool = createPool(db.url, log, { max: 2 });
		await migrate(pool, migrationsDir, log);
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-pulse-cli-"));
		const config = path.join(dir, "erp-pulse.yaml");
		writeFileSync(
			config,
			"demo: {enabled: false}\nchat:\n  monitorAdmins: [U0ADMIN]\n",
		);
		env = { DATABASE_URL: db.url, ERP_PULSE_CONFIG: config, USER: "ops" };
	}, 60_000);
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("adds, lists, tests, runs and pauses a monitor with chat's verbs, and says what is wrong in chat's words", async () => {
		const templates = await runCli(["pulse", "templates"], env);
		expect(templates.code).toBe(0);
		expect(templates.stdout).toMatch(/^# Monitor templates \(\d+\)$/m);
		expect(templates.stdout).toMatch(/^margin-drop-by-region +/m);

		const added = await runCli(
			["pulse", "add", "revenue-down-week-over-week", "drop_pct=20"],
			env,
		);
		expect(added.code, added.stderr).toBe(0);
		expect(added.stdout).toMatch(/^# Monitor created: /m);
		const id = /\*\*Id:\*\* (\S+)/.exec(added.stdout)?.[1] as string;
		const { rows } = await pool.query<{ user_id: string; c: unknown }>(
			"select user_id, alert_condition as c from pulse_monitors where id::text = $1",
			[id],
		);
		expect(rows[0]?.user_id).toBe("cli:ops");
		expect(rows[0]?.c).toMatchObject({ percent: 20 });

		const list = await runCli(["pulse", "list"], env);
		expect(list.stdout).toMatch(/^# Monitors \(1\)$/m);
		expect(list.stdout).toContain(id);

		const tested = await runCli(
			["pulse", "test", id, "--as-of", "2026-10-31"],
			env,
		);
		expect(tested.stdout).toMatch(/^# .*: test (ok|BREACH|ERROR)$/m);
		expect(tested.code).toBe(/: test ERROR$/m.test(tested.stdout) ? 1 : 0);
		const logged = async () =>
			(
				await pool.query(
					"select 1 from pulse_execution_log where monitor_id::text = $1",
					[id],
				)
			).rowCount;
		expect(await logged()).toBe(0);
		await runCli(["pulse", "run", id, "--as-of", "2026-10-31"], env);
		expect(await logged()).toBe(1);

		const paused = await runCli(["pulse", "pause", id], env);
		expect(paused.code).toBe(0);
		expect(paused.stdout).toMatch(/: paused$/m);
		const reason = await pool.query<{ r: string }>(
			"select paused_reason as r from pulse_monitors where id::text = $1",
			[id],
		);
		expect(reason.rows[0]?.r).toBe("paused by cli:ops");

		const unknown = await runCli(["pulse", "add-template", "x"], env);
		expect(unknown.code).toBe(2);
		expect(unknown.stdout).toBe("");
		expect(unknown.stderr).toContain(
			"`pulse add-template` is not a command. `pulse` needs one of: `pulse status`, `pulse list`",
		);
		const missing = await runCli(["pulse", "show", "nosuch"], env);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain(
			'No monitor "nosuch". `pulse list` shows the monitors.',
		);
		const status = await runCli(["pulse", "status", "--errors", "2"], env);
		expect(status.code, status.stderr).toBe(0);
		expect(status.stdout).toMatch(/^# /m);
	}, 120_000);

	it("says plainly when the database cannot be reached, exit 1, as the other commands do", async () => {
		const r = await runCli(["pulse", "list"], {
			...env,
			DATABASE_URL: "postgres://postgres@127.0.0.1:9/nowhere",
		});
		expect(r.code).toBe(1);
		expect(r.stderr).toContain(
			"erp-pulse: Cannot reach Postgres at postgres://postgres@127.0.0.1:9/nowhere",
		);
		expect(r.stdout).toBe("");
	});
});
