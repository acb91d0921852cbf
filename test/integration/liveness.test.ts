import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/db.ts";
import {
	ALERT_CHANNEL,
	doublePosts,
	fleetConfig,
	fleetEnv,
	minuteMonitors,
	monitorsRunSince,
	orphanedActiveJobs,
	setMonitorWork,
	unaccountedTicks,
} from "../helpers/fleet.ts";
import { type RunningBot, startBot } from "../helpers/process.ts";
import { type PulseTestEnv, pulseTestEnv } from "../helpers/pulse.ts";
import {
	type SlackStandIn,
	startSlackStandIn,
} from "../helpers/slack-standin.ts";

const MONITORS = 20;

/**
 * A real bot process killed with SIGKILL while it is posting alerts and running a batch of
 * monitors. Its pg-boss jobs stay `active` in the database; the restarted bot must notice (the
 * heartbeat), deliver what was pending without posting anything twice, and run every monitor
 * again, all within a minute of the restart.
 */
describe("a bot process killed with SIGKILL mid-delivery and mid-monitor-run", () => {
	let env: PulseTestEnv;
	let slack: SlackStandIn;
	let dir: string;
	let config: string;
	const bots: RunningBot[] = [];

	beforeAll(async () => {
		env = await pulseTestEnv("liveness");
		slack = await startSlackStandIn();
		// Each post takes 2 s to be answered: a kill lands between Slack posting and the bot recording.
		slack.slowDown("chat.postMessage", 2000);
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-liveness-"));
		config = fleetConfig(dir);
		// Each run takes a moment in Postgres, so the batch is still running when the kill comes.
		await minuteMonitors(env.deps, MONITORS, 5_000_000);
	}, 120_000);
	afterAll(async () => {
		if (process.env.FLEET_LOGS)
			writeFileSync(
				process.env.FLEET_LOGS,
				bots
					.map((b, i) =>
						b
							.logs()
							.map((l) => `${i} ${JSON.stringify(l)}`)
							.join("\n"),
					)
					.join("\n"),
			);
		for (const b of bots)
			if (b.child.exitCode === null) await b.stop("SIGKILL");
		await slack?.close();
		await env?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it("resumes deliveries and monitor runs within 60 s of the restart, losing and doubling nothing", async () => {
		const { pool } = env.deps;
		const first = await startBot(
			["--config", config],
			fleetEnv(env.db.url, slack),
		);
		bots.push(first);
		// The first minute's tick claims every monitor; wait for a moment when posts are going
		// out, one is in flight and the batch is still part way through (all three at once, so a
		// fast or a loaded machine both get there).
		const underWay = async () => {
			const posts = slack
				.callsOf("chat.postMessage")
				.filter((c) => c.args.channel === ALERT_CHANNEL).length;
			const { rows } = await pool.query<{ runs: number; sending: number }>(
				`select (select count(*)::int from pgboss.job where name = 'pulse-run' and state = 'active') as runs,
				        (select count(*)::int from deliveries where status = 'sending') as sending`,
			);
			return posts >= 2 && rows[0]?.runs === 1 && rows[0]?.sending === 1
				? true
				: undefined;
		};
		await eventually(underWay, 100_000, 50);
		const active = await pool.query(
			"select 1 from pgboss.job where name = 'pulse-run' and state = 'active'",
		);
		expect(active.rowCount, "a batch of runs is under way").toBe(1);
		const killedAt = new Date();
		await first.stop("SIGKILL");
		const orphans = await orphanedActiveJobs(pool, killedAt);
		expect(orphans.map((o) => o.name)).toEqual(
			expect.arrayContaining(["pulse-run", "deliver"]),
		);
		const sending = await pool.query(
			"select 1 from deliveries where status = 'sending'",
		);
		expect(sending.rowCount, "a delivery was in flight").toBe(1);
		// Slack answers promptly again, and the retried runs are quick, so what follows measures the
		// bot's recovery, not the stand-in or the test's workload (twenty runs of five million rows
		// each took most of the minute when two suites shared the machine).
		slack.slowDown("chat.postMessage", 0);
		await setMonitorWork(pool, 1);

		const second = await startBot(
			["--config", config],
			fleetEnv(env.db.url, slack),
		);
		bots.push(second);
		const restarted = new Date();
		// Within 60 s of the restart: every alert of the killed batch's finished runs is sent, the
		// in-flight one recovered (found in Slack's history, not posted again), and no job of the
		// dead process is still active.
		await eventually(
			async () => {
				const { rows } = await pool.query<{ n: number }>(
					"select count(*)::int as n from deliveries where status <> 'sent'",
				);
				const left = await orphanedActiveJobs(pool, killedAt);
				return rows[0]?.n === 0 && left.length === 0 ? true : undefined;
			},
			60_000,
			250,
		);
		// The runs the kill interrupted are retried (the dead batch's job is failed by its heartbeat)…
		const tick = (
			await pool.query<{ t: Date }>(
				"select min(scheduled_for) as t from pulse_execution_log",
			)
		).rows[0]?.t;
		await eventually(
			async () => {
				const { rows } = await pool.query<{ n: number }>(
					"select count(*)::int as n from pulse_execution_log where scheduled_for = $1",
					[tick],
				);
				return rows[0]?.n === MONITORS ? true : undefined;
			},
			Math.max(1000, 60_000 - (Date.now() - restarted.getTime())),
			250,
		);
		const resumedSeconds = (Date.now() - restarted.getTime()) / 1000;
		console.log(
			`liveness: deliveries and the interrupted runs resumed ${resumedSeconds.toFixed(1)} s after the restart`,
		);
		// …and every monitor runs at its next tick under the new process.
		await eventually(
			async () =>
				(await monitorsRunSince(pool, restarted)) === MONITORS
					? true
					: undefined,
			120_000,
			250,
		);
		const recovered = second
			.logs()
			.filter((l) => l.msg === "delivery found already posted; recorded");
		expect(recovered.length).toBeGreaterThanOrEqual(1);
		expect(doublePosts(slack)).toEqual([]);
		const alerts = await pool.query<{ n: number }>(
			"select count(*)::int as n from deliveries where kind = 'alert'",
		);
		expect(alerts.rows[0]?.n).toBe(MONITORS);
		expect(await unaccountedTicks(pool)).toBe(0);
		expect(await second.stop("SIGTERM")).toBe(0);
		expect(second.logs().map((l) => l.msg)).toContain("stopped cleanly");
	}, 300_000);
});
