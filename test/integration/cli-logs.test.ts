import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { runCli, runCliOnTerminal } from "../helpers/process.ts";

/** Migrations a fresh database gets: every NNN_name.sql in migrations/. */
const MIGRATIONS = readdirSync(migrationsDir).filter((f) =>
	/^\d{3,}_[\w-]+\.sql$/.test(f),
).length;

/** ANSI colour codes, which only a terminal should get. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const ANSI = /\u001b\[[0-9;]*m/g;

const parsesAsJson = (line: string) => {
	try {
		JSON.parse(line);
		return true;
	} catch {
		return false;
	}
};

describe("the CLI's logs: JSON for machines, readable lines for a person at a terminal", () => {
	let dir: string;
	let config: string;
	const dbs: TestDatabase[] = [];

	beforeAll(() => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-logs-"));
		config = path.join(dir, "erp-pulse.yaml");
		// debug: a one-shot command logs only warnings at the default level.
		writeFileSync(config, "demo: {enabled: false}\nlog: {level: debug}\n");
	});
	afterAll(async () => {
		for (const db of dbs) await db.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	async function freshDatabase(): Promise<string> {
		const db = await createTestDatabase("cli_logs");
		dbs.push(db);
		return db.url;
	}

	it("writes JSON log lines to a pipe, and the answer alone to stdout", async () => {
		const r = await runCli(["-c", config, "migrate"], {
			DATABASE_URL: await freshDatabase(),
		});
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(
			new RegExp(`^applied ${MIGRATIONS} migration\\(s\\): 001_warehouse.sql`),
		);
		const lines = r.stderr.trim().split("\n");
		expect(lines.length).toBeGreaterThan(5);
		expect(lines.every(parsesAsJson)).toBe(true);
		expect(lines.map((l) => JSON.parse(l).msg)).toContain("applied migration");
	});

	it("writes one readable, coloured line per event on a terminal", async () => {
		const r = await runCliOnTerminal(["-c", config, "migrate"], {
			DATABASE_URL: await freshDatabase(),
		});
		expect(r.code).toBe(0);
		const lines = r.stdout.trim().split("\n");
		const logLines = lines.filter((l) => l.includes("applied migration"));
		expect(logLines.length).toBe(MIGRATIONS);
		expect(logLines[0]).toMatch(ANSI);
		expect(logLines[0]?.replace(ANSI, "")).toMatch(
			/^\[\d\d:\d\d:\d\d\] INFO: applied migration \{"migration":"001_warehouse.sql"\}$/,
		);
		expect(lines.some(parsesAsJson)).toBe(false);
		expect(lines.at(-1)).toMatch(
			new RegExp(`^applied ${MIGRATIONS} migration\\(s\\)`),
		);
	});

	it("gives LOG_FORMAT the last word: readable on a pipe (no colours), JSON on a terminal", async () => {
		const pretty = await runCli(["-c", config, "migrate"], {
			DATABASE_URL: await freshDatabase(),
			LOG_FORMAT: "pretty",
		});
		const line = pretty.stderr.split("\n")[0] ?? "";
		expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: applied migration/);
		expect(line).not.toMatch(ANSI);
		const json = await runCliOnTerminal(["-c", config, "migrate"], {
			DATABASE_URL: await freshDatabase(),
			LOG_FORMAT: "json",
		});
		const first = json.stdout.split("\n")[0] ?? "";
		expect(JSON.parse(first).msg).toBe("applied migration");
	});

	it("answers a typo with did-you-mean and exit 2, on a pipe and on a terminal alike", async () => {
		const piped = await runCli(["strat"]);
		const tty = await runCliOnTerminal(["strat"]);
		for (const r of [piped, tty]) {
			expect(r.code).toBe(2);
			expect(r.stdout + r.stderr).toContain(
				'erp-pulse: unknown command "strat"; did you mean "start"?',
			);
		}
	});
});
