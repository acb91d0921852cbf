import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	type EmbeddedPostgres,
	startEmbeddedPostgres,
} from "../../src/db/embedded.ts";
import type { PulseDeps } from "../../src/pulse/engine/deps.ts";
import { eventually } from "../helpers/db.ts";
import {
	ALERT_CHANNEL,
	doublePosts,
	fleetConfig,
	fleetEnv,
	minuteMonitors,
	monitorsRunSince,
	orphanedActiveJobs,
	unaccountedTicks,
} from "../helpers/fleet.ts";
import { memoryLogger } from "../helpers/log.ts";
import { freePort, type RunningBot, startBot } from "../helpers/process.ts";
import { pulseDepsAt } from "../helpers/pulse.ts";
import {
	type SlackStandIn,
	startSlackStandIn,
} from "../helpers/slack-standin.ts";

const MONITORS = 20;

async function postmasterStart(deps: PulseDeps): Promise<Date | undefined> {
	const { rows } = await deps.pool.query<{ t: Date }>(
		"select pg_postmaster_start_time() as t",
	);
	return rows[0]?.t;
}

/**
 * The Postgres the bot uses (a private cluster this test starts, never the machine's) restarts
 * while the bot is posting alerts and running monitors: within a minute of Postgres being back,
 * deliveries resume and every monitor runs again, nothing lost and nothing posted twice, and no
 * job is left `active` from before the restart.
 */
describe("a Postgres restart under load", () => {
	const { log } = memoryLogger();
	let dir: string;
	let port: number;
	let pg: EmbeddedPostgres;
	let slack: SlackStandIn;
	let engine: { deps: PulseDeps; close(): Promise<void> };
	let bot: RunningBot | undefined;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-pgrestart-"));
		chmodSync(dir, 0o755);
		port = await freePort();
		pg = await startEmbeddedPostgres(path.join(dir, "pg"), port, log);
		engine = await pulseDepsAt(pg.url);
		await minuteMonitors(engine.deps, MONITORS, 2_000_000);
		slack = await startSlackStandIn();
		slack.slowDown("chat.postMessage", 1500);
	}, 180_000);
	afterAll(async () => {
		if (bot && bot.child.exitCode === null) await bot.stop("SIGKILL");
		await engine?.close().catch(() => {});
		await pg?.stop();
		await slack?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it("resumes deliveries and monitor runs within 60 s of Postgres coming back, losing and doubling nothing", async () => {
		const config = fleetConfig(dir);
		bot = await startBot(["--config", config], fleetEnv(pg.url, slack));
		const running = bot;
		await eventually(
			async () =>
				slack
					.callsOf("chat.postMessage")
					.filter((c) => c.args.channel === ALERT_CHANNEL).length >= 3
					? true
					: undefined,
			100_000,
			100,
		);
		// Restart Postgres (a fast shutdown, 4 s down as for a minor upgrade, then start) while
		// posts and the batch are under way.
		const startedBefore = await postmasterStart(engine.deps);
		await engine.close();
		const down = new Date();
		await pg.stop();
		await sleep(4000);
		pg = await startEmbeddedPostgres(path.join(dir, "pg"), port, log);
		const back = new Date();
		console.log(
			`postgres restart: down for ${((back.getTime() - down.getTime()) / 1000).toFixed(1)} s`,
		);
		engine = await pulseDepsAt(pg.url);
		const { pool } = engine.deps;
		expect(await postmasterStart(engine.deps)).not.toEqual(startedBefore);
		slack.slowDown("chat.postMessage", 0);
		await eventually(
			async () => {
				const { rows } = await pool.query<{ n: number }>(
					"select count(*)::int as n from deliveries where status <> 'sent'",
				);
				const all = await pool.query<{ n: number }>(
					"select count(*)::int as n from deliveries",
				);
				const left = await orphanedActiveJobs(pool, down);
				return rows[0]?.n === 0 &&
					(all.rows[0]?.n ?? 0) > 0 &&
					left.length === 0
					? true
					: undefined;
			},
			60_000,
			250,
		);
		const resumed = (Date.now() - back.getTime()) / 1000;
		console.log(
			`postgres restart: deliveries resumed and no job of before the restart left active ${resumed.toFixed(1)} s after Postgres was back`,
		);
		// Every monitor runs again (its next tick, or the interrupted one retried).
		await eventually(
			async () =>
				(await monitorsRunSince(pool, back)) === MONITORS ? true : undefined,
			120_000,
			250,
		);
		expect(running.child.exitCode, "the bot stayed up").toBeNull();
		const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
		expect(health.status).toBe(200);
		// Every monitor's alert is raised and delivered once (a run the restart interrupted is
		// retried, not counted against the monitor).
		await eventually(
			async () => {
				const { rows } = await pool.query<{ n: number; sent: number }>(
					"select count(*)::int as n, count(*) filter (where status = 'sent')::int as sent from deliveries where kind = 'alert'",
				);
				return rows[0]?.n === MONITORS && rows[0]?.sent === MONITORS
					? true
					: undefined;
			},
			120_000,
			250,
		);
		expect(doublePosts(slack)).toEqual([]);
		const blamed = await pool.query<{ n: number }>(
			"select count(*)::int as n from pulse_monitors where consecutive_errors > 0 or paused_reason is not null",
		);
		expect(blamed.rows[0]?.n, "monitors blamed for the restart").toBe(0);
		expect(await unaccountedTicks(pool)).toBe(0);
		expect(await running.stop("SIGTERM")).toBe(0);
	}, 360_000);
});
