import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../../src/db/embedded.ts";
import type { Pool } from "../../src/db/pool.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { createTestDatabase, eventually } from "../helpers/db.ts";
import {
	fleetEnv,
	minuteMonitors,
	monitorsRunSince,
	orphanedActiveJobs,
} from "../helpers/fleet.ts";
import { memoryLogger } from "../helpers/log.ts";
import { freePort, type RunningBot, startBot } from "../helpers/process.ts";
import { pulseDepsAt } from "../helpers/pulse.ts";
import {
	type SlackStandIn,
	startSlackStandIn,
} from "../helpers/slack-standin.ts";

/** The backend running the ingest's COPY, once it is under way. */
async function copyBackend(pool: Pool): Promise<number> {
	return eventually(
		async () => {
			const { rows } = await pool.query<{ pid: number }>(
				// A first load COPYs straight into transaction_data; a later one into its staging table.
				"select pid from pg_stat_activity where datname = current_database() and query ~* '^copy (stage_)?transaction_data ' and state = 'active'",
			);
			return rows[0]?.pid;
		},
		120_000,
		50,
	);
}

async function ingestJobs(pool: Pool) {
	const { rows } = await pool.query<{ state: string; retry_count: number }>(
		"select state::text, retry_count from pgboss.job where name = 'ingest' order by created_on",
	);
	return rows;
}

/**
 * The first ingest of a real ERP, inside a real bot process, when Postgres ends its COPY: a
 * cancel (what a statement timeout or pg_cancel_backend does) and a Postgres restart. The ingest
 * job fails and is retried, and succeeds; the process stays up and keeps running its monitors;
 * no job is left `active`.
 */
describe("an ingest whose COPY Postgres ends, inside a running bot", () => {
	const { log } = memoryLogger();
	let dir: string;
	let slack: SlackStandIn;
	const bots: RunningBot[] = [];

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-ingest-faults-"));
		chmodSync(dir, 0o755);
		// Big enough that the first load's COPY is still running when each test ends it (a
		// cancel, a restart, a stop whose grace is 1-3 s): 40,000 lines now load in about a second,
		// since a first load COPYs straight into transaction_data.
		await generateDemoErp({
			file: path.join(dir, "erp.sqlite"),
			seed: 5,
			lines: 400_000,
		});
		slack = await startSlackStandIn();
	}, 120_000);
	afterAll(async () => {
		for (const b of bots)
			if (b.child.exitCode === null) await b.stop("SIGKILL");
		await slack?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	function config(name: string): string {
		const file = path.join(dir, `${name}.yaml`);
		writeFileSync(
			file,
			[
				`dataDir: ${dir}/${name}`,
				"http: {port: 0}",
				"demo: {enabled: false}",
				"queue: {pollingIntervalSeconds: 0.5}",
				'pulse: {defaultChannel: "slack:C0INGEST1"}',
				"sources:",
				"  erp:",
				`    connection: {kind: sqlite, file: ${dir}/erp.sqlite}`,
				"    mapping: demo-erp",
				"    schedule: '0 3 * * *'",
			].join("\n"),
		);
		return file;
	}

	/** `faultAt`: when Postgres ended the COPY; no job that started before it may still be active. */
	async function expectRetriedAndAlive(
		bot: RunningBot,
		pool: Pool,
		since: Date,
		faultAt: Date,
	) {
		// The failed attempt is handed back for retry (not dead-lettered, not left active)…
		await eventually(
			async () =>
				bot
					.logs()
					.some(
						(l) => l.queue === "ingest" && l.msg === "job failed; will retry",
					)
					? true
					: undefined,
			60_000,
			200,
		);
		// …the process keeps serving and running its monitors meanwhile…
		expect(bot.child.exitCode).toBeNull();
		expect((await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status).toBe(
			200,
		);
		await eventually(
			async () =>
				(await monitorsRunSince(pool, since)) === 3 ? true : undefined,
			120_000,
			500,
		);
		// …and the retry loads the source.
		const jobs = await eventually(
			async () => {
				const j = await ingestJobs(pool);
				return j.some((x) => x.state === "completed") ? j : undefined;
			},
			180_000,
			500,
		);
		expect(
			jobs.find((j) => j.state === "completed")?.retry_count,
		).toBeGreaterThanOrEqual(1);
		expect(await orphanedActiveJobs(pool, faultAt)).toEqual([]);
		const runs = await pool.query<{ status: string }>(
			"select status from ingest_runs where status = 'succeeded'",
		);
		expect(runs.rowCount).toBe(1);
		const lines = await pool.query<{ n: number }>(
			"select count(*)::int as n from transaction_data",
		);
		expect(lines.rows[0]?.n).toBeGreaterThan(30_000);
		expect(bot.child.exitCode).toBeNull();
	}

	it("retries an ingest whose COPY was cancelled, and the bot keeps running", async () => {
		const db = await createTestDatabase("ingest_cancel");
		const engine = await pulseDepsAt(db.url);
		try {
			await minuteMonitors(engine.deps, 3);
			const since = new Date();
			const bot = await startBot(
				["--config", config("cancel")],
				fleetEnv(db.url, slack),
			);
			bots.push(bot);
			const pid = await copyBackend(engine.deps.pool);
			await engine.deps.pool.query("select pg_cancel_backend($1)", [pid]);
			await expectRetriedAndAlive(bot, engine.deps.pool, since, new Date());
			expect(
				bot
					.logs()
					.find(
						(l) => l.queue === "ingest" && l.msg === "job failed; will retry",
					)?.err,
			).toMatch(/canceling statement/);
			expect(await bot.stop("SIGTERM")).toBe(0);
		} finally {
			await engine.close();
			await db.drop();
		}
	}, 420_000);

	it("retries an ingest whose Postgres restarted mid-COPY, and the bot keeps running", async () => {
		const port = await freePort();
		const pgDir = path.join(dir, "pg");
		let pg = await startEmbeddedPostgres(pgDir, port, log);
		let engine = await pulseDepsAt(pg.url);
		try {
			await minuteMonitors(engine.deps, 3);
			const since = new Date();
			const bot = await startBot(
				["--config", config("restart")],
				fleetEnv(pg.url, slack),
			);
			bots.push(bot);
			await copyBackend(engine.deps.pool);
			await engine.close();
			await pg.stop();
			await sleep(3000);
			pg = await startEmbeddedPostgres(pgDir, port, log);
			const back = new Date();
			engine = await pulseDepsAt(pg.url);
			await expectRetriedAndAlive(bot, engine.deps.pool, since, back);
			expect(await bot.stop("SIGTERM")).toBe(0);
		} finally {
			await engine.close().catch(() => {});
			await pg.stop();
		}
	}, 420_000);

	it("hands a running ingest back for retry when the bot is stopped with SIGTERM, instead of leaving it active", async () => {
		const db = await createTestDatabase("ingest_sigterm");
		const engine = await pulseDepsAt(db.url);
		try {
			const bot = await startBot(
				["--config", config("sigterm")],
				fleetEnv(db.url, slack),
			);
			bots.push(bot);
			await copyBackend(engine.deps.pool);
			expect(await bot.stop("SIGTERM")).toBe(0);
			expect(bot.logs().map((l) => l.msg)).toContain("stopped cleanly");
			const jobs = await ingestJobs(engine.deps.pool);
			// Failed back to pg-boss (state retry), to be claimed again; not active until its expiry.
			expect(jobs).toEqual([{ state: "retry", retry_count: 0 }]);
			const runs = await engine.deps.pool.query<{ status: string }>(
				"select status from ingest_runs",
			);
			expect(runs.rows.map((r) => r.status)).not.toContain("succeeded");
		} finally {
			await engine.close();
			await db.drop();
		}
	}, 180_000);
});
