import {
	existsSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	createTestDatabase,
	type TestDatabase,
	withClient,
} from "../helpers/db.ts";
import { runCli } from "../helpers/process.ts";

describe("erp-pulse CLI", () => {
	let db: TestDatabase;
	let dir: string;

	beforeAll(async () => {
		db = await createTestDatabase("cli");
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-cli-"));
	});
	afterAll(async () => {
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("rejects an unknown command with did-you-mean, the usage of that command only, and exit 2", async () => {
		const r = await runCli(["strat"]);
		expect(r.code).toBe(2);
		expect(r.stderr).toBe(
			'erp-pulse: unknown command "strat"; did you mean "start"?\n\nUsage:\n  start                          run the bot (no config: embedded Postgres + demo ERP + local channel)\n',
		);
		const far = await runCli(["frobnicate"]);
		expect(far.stderr).toContain(
			'unknown command "frobnicate". Run erp-pulse --help for the commands.',
		);
		expect(far.stderr).not.toContain("Commands:");
	});

	it("rejects an unknown flag in its own words, with the command's usage and exit 2", async () => {
		const r = await runCli(["doctor", "--verbose"]);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain("erp-pulse: unknown option --verbose.");
		expect(r.stderr).toContain("Usage:\n  doctor ");
		expect(r.stderr).not.toContain("positional");
		const near = await runCli(["ingest", "erp", "--ful"]);
		expect(near.stderr).toContain("unknown option --ful; did you mean --full?");
	});

	it("rejects a flag that belongs to another command, and a stray argument", async () => {
		expect((await runCli(["start", "--seed", "3"])).stderr).toContain(
			"option --seed does not go with start",
		);
		const stray = await runCli(["migrate", "now"]);
		expect(stray.code).toBe(2);
		expect(stray.stderr).toContain('unexpected argument "now"');
	});

	it("prints usage and exits 2 with no command, 0 when help is asked for", async () => {
		expect((await runCli([])).code).toBe(2);
		const help = await runCli(["--help"]);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain("demo-data");
	});

	it("keeps Node's compile cache in the temporary folder for the next command, and answers the same with it off", async () => {
		const on = mkdtempSync(path.join(dir, "tmp-on-"));
		const off = mkdtempSync(path.join(dir, "tmp-off-"));
		const config = path.join(dir, "no-demo.yaml");
		writeFileSync(config, "demo: {enabled: false}\n");
		const help = ["--config", config, "chat", "help"];
		const cached = await runCli(help, { TMPDIR: on });
		expect(cached.code).toBe(0);
		expect(cached.stdout).toContain("# erp-pulse commands");
		// One folder per Node version and platform, holding what the command compiled.
		const cache = path.join(on, "node-compile-cache");
		const [version] = readdirSync(cache);
		expect(readdirSync(path.join(cache, version ?? "")).length).toBeGreaterThan(
			100,
		);
		const again = await runCli(help, { TMPDIR: on });
		const uncached = await runCli(help, {
			TMPDIR: off,
			NODE_DISABLE_COMPILE_CACHE: "1",
		});
		expect([again.code, uncached.code]).toEqual([0, 0]);
		expect(again.stdout).toBe(cached.stdout);
		expect(uncached.stdout).toBe(cached.stdout);
		expect(existsSync(path.join(off, "node-compile-cache"))).toBe(false);
	});

	it("exits non-zero on a bad config, naming the key, without touching the database", async () => {
		const file = path.join(dir, "bad.yaml");
		writeFileSync(file, "http:\n  port: 99999\n");
		const r = await runCli(["--config", file, "start"], {
			DATABASE_URL: db.url,
		});
		expect(r.code).toBe(1);
		expect(r.stderr).toContain(
			"http.port: expected a port from 0 to 65535; got 99999 (number)",
		);
		const tables = await withClient(db.url, (c) =>
			c.query(
				"select 1 from pg_tables where schemaname not in ('pg_catalog', 'information_schema')",
			),
		);
		expect(tables.rowCount).toBe(0);
	});

	it("says plainly when the config file named does not exist", async () => {
		const r = await runCli(["migrate", "-c", path.join(dir, "nope.yaml")]);
		expect(r.code).toBe(1);
		expect(r.stderr).toContain("nope.yaml does not exist");
	});

	it("migrates on request, then reports the schema up to date", async () => {
		const first = await runCli(["migrate"], { DATABASE_URL: db.url });
		expect(first.code).toBe(0);
		expect(first.stdout).toMatch(/^applied \d+ migration\(s\): 001_/);
		const again = await runCli(["migrate"], { DATABASE_URL: db.url });
		expect(again.stdout).toMatch(/^schema up to date/);
	});

	it("doctor reports each part in plain words and fails on an unreachable database", async () => {
		const ok = await runCli(["doctor"], { DATABASE_URL: db.url });
		expect(ok.code).toBe(0);
		expect(ok.stdout).toMatch(/^ok +node: v\d+/m);
		expect(ok.stdout).toContain("database: postgres://");
		expect(ok.stdout).toContain("schema up to date");
		expect(ok.stdout).toContain("warn  chat: no chat credentials");
		const down = await runCli(["doctor"], {
			DATABASE_URL: "postgres://nobody:pw@127.0.0.1:1/x",
		});
		expect(down.code).toBe(1);
		expect(down.stdout).toContain(
			"FAIL  database: cannot reach postgres://nobody:***@127.0.0.1:1/x",
		);
		expect(down.stdout).not.toContain(":pw@");
	});

	it("doctor fails each chat credential that start would refuse, with the sentence start says", async () => {
		const config = path.join(dir, "no-demo.yaml");
		writeFileSync(config, "demo: {enabled: false}\nhttp: {port: 0}\n");
		const cases: [NodeJS.ProcessEnv, string, string][] = [
			[
				{ SLACK_BOT_TOKEN: "xoxb-1" },
				"chat: Slack",
				"SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP events) nor SLACK_APP_TOKEN (Socket Mode) is.",
			],
			[
				{
					SLACK_BOT_TOKEN: "not-a-token",
					SLACK_SIGNING_SECRET: "s3cret-s3cret",
				},
				"chat: Slack",
				"SLACK_BOT_TOKEN is not a bot token (it starts with xoxb-).",
			],
			[
				{ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xoxb-2" },
				"chat: Slack",
				"SLACK_APP_TOKEN is not an app-level token (it starts with xapp-).",
			],
			[
				{ DISCORD_BOT_TOKEN: "t0ken", DISCORD_APPLICATION_ID: "app" },
				"chat: Discord",
				"DISCORD_BOT_TOKEN is set but DISCORD_APPLICATION_ID is missing or not a Discord id.",
			],
			[
				{
					DISCORD_BOT_TOKEN: "t0ken",
					DISCORD_APPLICATION_ID: "112233445566778899",
					DISCORD_PUBLIC_KEY: "not-hex",
				},
				"chat: Discord",
				"DISCORD_PUBLIC_KEY must be 64 hex characters.",
			],
		];
		for (const [env, check, sentence] of cases) {
			const doctor = await runCli(["-c", config, "doctor"], {
				DATABASE_URL: db.url,
				...env,
			});
			expect(doctor.code, sentence).toBe(1);
			expect(doctor.stdout).toContain(`FAIL  ${check}: ${sentence}`);
			const start = await runCli(["-c", config, "start"], {
				DATABASE_URL: db.url,
				...env,
			});
			expect(start.code, sentence).toBe(1);
			expect(start.stderr + start.stdout).toContain(sentence);
		}
		const good = await runCli(["-c", config, "doctor"], {
			DATABASE_URL: db.url,
			SLACK_BOT_TOKEN: "xoxb-1",
			SLACK_SIGNING_SECRET: "s3cret-s3cret",
		});
		expect(good.stdout).toMatch(/^ok +chat: Slack: HTTP events/m);
		// Eleven CLI processes one after another: 51–53 s when both suites ran at once on 2 cores,
		// and past the default 60 s in a later such run.
	}, 240_000);
});
