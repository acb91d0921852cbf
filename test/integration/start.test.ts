import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { type RunningBot, startBot } from "../helpers/process.ts";

describe("erp-pulse start (a real bot process)", () => {
	let db: TestDatabase;
	let dir: string;
	let config: string;
	let url: string;

	beforeAll(async () => {
		db = await createTestDatabase("start");
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-start-"));
		config = path.join(dir, "erp-pulse.yaml");
		writeFileSync(
			config,
			`dataDir: ${dir}/data\nhttp: {port: 0}\ndemo: {enabled: false}\nshutdownTimeoutMs: 10000\n`,
		);
		// The test server trusts local connections, so a password here is never checked: it stands in
		// for a real secret that must not reach the log.
		const u = new URL(db.url);
		if (!u.password) u.password = "decoy-secret-4821";
		url = u.toString();
	});
	afterAll(async () => {
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	const get = (bot: RunningBot, p: string) =>
		fetch(`http://127.0.0.1:${bot.port}${p}`);

	it("serves /healthz and /metrics, then stops cleanly on SIGTERM without leaking the database password", async () => {
		const bot = await startBot(["--config", config], { DATABASE_URL: url });
		const health = await get(bot, "/healthz");
		expect(health.status).toBe(200);
		const report = (await health.json()) as {
			ok: boolean;
			db: { kind: string };
			queue: { queues: Record<string, unknown> };
		};
		expect(report.ok).toBe(true);
		expect(report.db.kind).toBe("env");
		expect(Object.keys(report.queue.queues)).toEqual(
			expect.arrayContaining(["housekeeping", "dead-letter"]),
		);
		const metrics = await (await get(bot, "/metrics")).text();
		expect(metrics).toContain("erp_pulse_database_up 1");
		expect(metrics).toMatch(
			/erp_pulse_queue_jobs\{queue="housekeeping",state="queued"\} \d+/,
		);
		expect((await get(bot, "/nowhere")).status).toBe(404);
		expect(await bot.stop("SIGTERM")).toBe(0);
		const logs = bot.logs();
		expect(logs.map((l) => l.msg)).toContain("stopped cleanly");
		expect(
			logs.find((l) => l.msg === "migrations checked")?.applied,
		).toBeGreaterThan(0);
		expect(JSON.stringify(logs)).not.toContain(new URL(url).password);
	});

	it("applies no migration on a second start and stops on Ctrl-C", async () => {
		const bot = await startBot(["--config", config], { DATABASE_URL: url });
		expect((await get(bot, "/healthz")).status).toBe(200);
		expect(await bot.stop("SIGINT")).toBe(0);
		const checked = bot.logs().find((l) => l.msg === "migrations checked");
		expect(checked?.applied).toBe(0);
	});

	it("runs several bot processes against one Postgres", async () => {
		const other = await createTestDatabase("start_multi");
		try {
			const bots = await Promise.all(
				[1, 2].map(() =>
					startBot(["--config", config], { DATABASE_URL: other.url }),
				),
			);
			for (const bot of bots)
				expect((await get(bot, "/healthz")).status).toBe(200);
			const applied = bots.map(
				(b) =>
					b.logs().find((l) => l.msg === "migrations checked")
						?.applied as number,
			);
			expect(Math.min(...applied)).toBe(0);
			expect(Math.max(...applied)).toBeGreaterThan(0);
			expect(await Promise.all(bots.map((b) => b.stop("SIGTERM")))).toEqual([
				0, 0,
			]);
		} finally {
			await other.drop();
		}
	});
});
