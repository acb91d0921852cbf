/**
 * Real bot processes for crash and fault tests: a config that posts alerts to a Slack stand-in,
 * one-minute monitors made in the bot's database, and the checks every such test makes (each
 * delivery posted once, every tick accounted for, no job left active by a dead process).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Pool } from "../../src/db/pool.ts";
import type { PulseDeps } from "../../src/pulse/engine/deps.ts";
import { createMonitor } from "../../src/pulse/engine/store.ts";
import type { SlackStandIn } from "./slack-standin.ts";

export const ALERT_CHANNEL = "C0LIVE001";

/** A bot config in `dir` (no demo, HTTP on a free port, alerts to Slack); returns its path. */
export function fleetConfig(dir: string, extra = ""): string {
	const file = path.join(dir, "erp-pulse.yaml");
	writeFileSync(
		file,
		[
			`dataDir: ${dir}/data`,
			"http: {port: 0}",
			"demo: {enabled: false}",
			"shutdownTimeoutMs: 10000",
			"queue: {pollingIntervalSeconds: 0.5}",
			`pulse: {defaultChannel: "slack:${ALERT_CHANNEL}"}`,
			"chat: {delivery: {pollSeconds: 1}}",
			extra,
		].join("\n"),
	);
	return file;
}

/** The env a bot needs to post to the stand-in, plus its database. */
export function fleetEnv(
	databaseUrl: string,
	slack: SlackStandIn,
): NodeJS.ProcessEnv {
	return {
		DATABASE_URL: databaseUrl,
		SLACK_BOT_TOKEN: "xoxb-fleet",
		SLACK_SIGNING_SECRET: "fleet-signing-secret",
		SLACK_API_URL: slack.apiUrl,
	};
}

/**
 * `count` monitors that run every minute and breach at once (so each opens an alert and sends one
 * message); with `slowRows`, each counts that many generated rows first (a few hundred ms for
 * millions; monitor SQL may not call pg_sleep).
 */
export async function minuteMonitors(
	deps: PulseDeps,
	count: number,
	slowRows = 0,
	breach = true,
): Promise<string[]> {
	const ids: string[] = [];
	if (slowRows > 0) await setMonitorWork(deps.pool, slowRows);
	// Slow runs count the rows of a series as long as the work row says (setMonitorWork), so a
	// test can make the runs after a fault cheap and measure the recovery, not the workload.
	const sql =
		slowRows > 0
			? `select least(count(*), 1)::int as value from generate_series(1, (select coalesce(max(unit_cost), 1)::int from stox_material_master where source = '${WORK_SOURCE}'))`
			: "select 1 as value";
	for (let i = 0; i < count; i++) {
		const m = await createMonitor(deps, {
			name: `minute ${i}`,
			target: { sql },
			condition: {
				kind: "threshold",
				operator: ">",
				value: breach ? 0 : 1000,
			},
			frequency: { cron: "* * * * *", timeZone: "UTC" },
		});
		ids.push(m.row.id);
	}
	return ids;
}

/** The warehouse row whose unit_cost sets how many rows each slow minute monitor counts. */
const WORK_SOURCE = "fleet-test-work";

/** Sets the rows every slow minute monitor counts from its next run on. */
export async function setMonitorWork(pool: Pool, rows: number): Promise<void> {
	await pool.query(
		`insert into stox_material_master (source, material_number, unit_cost) values ($1, 'WORK', $2)
		 on conflict (source, material_number) do update set unit_cost = excluded.unit_cost`,
		[WORK_SOURCE, rows],
	);
}

/** Delivery keys the stand-in was asked to post more than once (should be none). */
export function doublePosts(slack: SlackStandIn): string[] {
	const seen = new Map<string, number>();
	for (const c of slack.callsOf("chat.postMessage")) {
		const key = (
			c.args.metadata as { event_payload?: { delivery?: string } } | undefined
		)?.event_payload?.delivery;
		if (key) seen.set(key, (seen.get(key) ?? 0) + 1);
	}
	return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}

/**
 * Ticks no execution-log row accounts for. Between two consecutive rows of a one-minute monitor
 * lie at most 1 + the earlier row's missed ticks minutes: a run after downtime stands for the
 * first missed tick and folds in the rest. (A monitor's very first run stands for the moment it
 * was first claimed, which need not be on the minute, so a gap may also be shorter.)
 */
export async function unaccountedTicks(pool: Pool): Promise<number> {
	const { rows } = await pool.query<{ n: number }>(
		`with l as (
			select scheduled_for, missed_ticks,
			       lead(scheduled_for) over (partition by monitor_id order by scheduled_for) as next
			  from pulse_execution_log where scheduled_for is not null)
		 select coalesce(sum(greatest(0, floor((extract(epoch from next - scheduled_for) + 1) / 60) - 1 - missed_ticks)), 0)::int as n
		   from l where next is not null`,
	);
	return rows[0]?.n ?? 0;
}

/** Jobs still `active` that started before `before` (a dead process's, if nothing freed them). */
export async function orphanedActiveJobs(
	pool: Pool,
	before: Date,
): Promise<{ name: string; started_on: Date }[]> {
	const { rows } = await pool.query<{ name: string; started_on: Date }>(
		// The bot's queues only: pg-boss's own cron batch job (__pgboss__send-it) has no heartbeat of
		// ours and, if Postgres dies under it, waits for pg-boss's expiry; cron carries on meanwhile
		// (postgres-restart.test.ts: monitors run again within 60 s).
		"select name, started_on from pgboss.job where state = 'active' and started_on < $1 and name not like '\\_\\_pgboss\\_\\_%'",
		[before],
	);
	return rows;
}

/** Monitors with a run (not a skip) that started after `since`. */
export async function monitorsRunSince(
	pool: Pool,
	since: Date,
): Promise<number> {
	const { rows } = await pool.query<{ n: number }>(
		"select count(distinct monitor_id)::int as n from pulse_execution_log where outcome = 'ran' and executed_at > $1",
		[since],
	);
	return rows[0]?.n ?? 0;
}
