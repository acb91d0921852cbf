import { PgBoss, type QueueResult } from "pg-boss";
import type { Config } from "../config/schema.ts";
import type { Pool } from "../db/pool.ts";
import { AppError, errorMessage } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { JobDefinition, JobDeps, QueuedJob } from "./job.ts";
import { type JobObserver, runJob } from "./run-job.ts";

/** Every queue fails over to this one after its retries; `erp-pulse doctor` and /metrics show its depth. */
export const DEAD_LETTER_QUEUE = "dead-letter";

/**
 * Liveness. A worker refreshes each running job's heartbeat every HEARTBEAT_SECONDS / 2; the
 * supervisor (any bot process, every SUPERVISE_SECONDS) fails a job whose heartbeat is older than
 * HEARTBEAT_SECONDS, so pg-boss retries it. A process killed mid-job (SIGKILL, OOM, a lost
 * connection that kept its completion from being recorded) therefore frees its jobs within
 * HEARTBEAT_SECONDS + SUPERVISE_SECONDS (25 s), not when a long expiry (hours, for an ingest) ends.
 * Expiry stays as the bound on a handler that is alive but stuck.
 */
export const HEARTBEAT_SECONDS = 20;
export const SUPERVISE_SECONDS = 5;
/**
 * How often pg-boss looks for due cron schedules, and how often its cron worker sends the jobs it
 * found: a minute's pulse-tick is queued within about the sum of the two after the minute.
 */
export const CRON_CHECK_SECONDS = 2;
export const CRON_SEND_SECONDS = 1;

export interface QueueRuntime {
	boss: PgBoss;
	send(
		name: string,
		data: object,
		options?: { singletonKey?: string },
	): Promise<string | null>;
	/** Inserts many jobs of one queue at once (inside `db`'s transaction when given); returns how many were accepted. */
	sendMany(
		name: string,
		jobs: readonly QueuedJob[],
		opts?: { db?: Pick<Pool, "query"> },
	): Promise<number>;
	queues(): Promise<QueueResult[]>;
	/** Stops fetching, waits up to `timeoutMs` for running handlers (their signals are aborted), closes the pool. */
	stop(timeoutMs: number): Promise<void>;
}

export interface QueueOptions {
	url: string;
	config: Config;
	jobs: readonly JobDefinition[];
	log: Logger;
	/** Everything except `send`, which the runtime supplies itself. */
	deps: Omit<JobDeps, "send">;
	observe?: JobObserver;
	/** Start workers (false for CLI commands that only enqueue). */
	work?: boolean;
	/** Schedules of one job for several keys, such as one ingest schedule per source. */
	keyedSchedules?: readonly KeyedSchedule[];
}

export interface KeyedSchedule {
	name: string;
	key: string;
	cron: string;
	data: object;
}

/**
 * Starts pg-boss in its own schema on the bot's database, makes sure every job's queue exists
 * with the options its definition declares, starts one worker per queue and applies the cron
 * schedules from config (in the configured time zone).
 */
export async function startQueue(opts: QueueOptions): Promise<QueueRuntime> {
	const { config, jobs, log } = opts;
	assertSchedulesKnown(config, jobs);
	const boss = new PgBoss({
		connectionString: opts.url,
		schema: config.queue.schema,
		application_name: "erp-pulse:queue",
		max: 4,
		superviseIntervalSeconds: SUPERVISE_SECONDS,
		monitorIntervalSeconds: SUPERVISE_SECONDS,
		cronMonitorIntervalSeconds: CRON_CHECK_SECONDS,
		cronWorkerIntervalSeconds: CRON_SEND_SECONDS,
	});
	boss.on("error", (err) =>
		log.error({ err: errorMessage(err) }, "pg-boss error"),
	);
	boss.on("warning", (w) => log.warn({ warning: w }, "pg-boss warning"));
	await boss.start();
	await ensureQueue(boss, DEAD_LETTER_QUEUE, {
		retentionSeconds: 30 * 86_400,
		deleteAfterSeconds: 30 * 86_400,
	});
	for (const job of jobs)
		await ensureQueue(boss, job.name, {
			heartbeatSeconds: HEARTBEAT_SECONDS,
			...job.queue,
			deadLetter: DEAD_LETTER_QUEUE,
		});

	const send: QueueRuntime["send"] = (name, data, options) =>
		boss.send(name, data, options ?? {});
	const sendMany: QueueRuntime["sendMany"] = async (name, list, o = {}) => {
		if (list.length === 0) return 0;
		const db = o.db;
		const ids = await boss.insert(
			name,
			list.map((j) => ({
				data: j.data,
				...(j.singletonKey ? { singletonKey: j.singletonKey } : {}),
			})),
			{
				returnId: true,
				...(db
					? {
							db: {
								executeSql: (text: string, values?: unknown[]) =>
									db.query(text, values),
							},
						}
					: {}),
			},
		);
		return ids?.length ?? list.length;
	};
	const deps: JobDeps = { ...opts.deps, send, sendMany };
	if (opts.work !== false) {
		for (const job of jobs) {
			await boss.work(
				job.name,
				{
					batchSize: 1,
					perJobResults: true,
					pollingIntervalSeconds:
						job.work?.pollingIntervalSeconds ??
						config.queue.pollingIntervalSeconds,
					localConcurrency: job.work?.localConcurrency ?? 1,
				},
				(batch) =>
					Promise.all(
						batch.map((j) => runJob(job, j, deps, log, opts.observe)),
					),
			);
		}
		await applySchedules(boss, config, log);
		await applyKeyedSchedules(boss, config, opts.keyedSchedules ?? [], log);
	}
	return {
		boss,
		send,
		sendMany,
		queues: () => boss.getQueues(),
		stop: (timeoutMs) =>
			boss.stop({ graceful: true, close: true, timeout: timeoutMs }),
	};
}

async function ensureQueue(
	boss: PgBoss,
	name: string,
	options: JobDefinition["queue"] & { deadLetter?: string },
) {
	const existing = await boss.getQueue(name);
	if (
		existing &&
		(existing.policy ?? "standard") !== (options.policy ?? "standard")
	) {
		await changePolicy(boss, name, options);
		return;
	}
	if (existing) {
		const { policy: _policy, ...mutable } = options;
		await boss.updateQueue(name, mutable);
		return;
	}
	try {
		await boss.createQueue(name, options);
	} catch (err) {
		// Another bot process created it a moment ago: fine, as long as it exists now.
		if (!(await boss.getQueue(name))) throw err;
	}
}

/**
 * pg-boss cannot change a queue's policy in place: recreate the queue and move its waiting jobs
 * across (a job definition whose policy changed must still accept their payloads). Jobs running
 * in an older process at that moment are retried by it or, if it is gone, lost with the queue;
 * an upgrade is a moment with no other process running.
 */
async function changePolicy(
	boss: PgBoss,
	name: string,
	options: JobDefinition["queue"] & { deadLetter?: string },
): Promise<void> {
	const waiting = await boss.findJobs<object>(name, { queued: true });
	await boss.deleteQueue(name);
	await boss.createQueue(name, options);
	if (waiting.length > 0)
		await boss.insert(
			name,
			waiting.map((j) => ({ data: j.data })),
		);
}

/**
 * `schedules.<job>` may name only a job that runs without a payload; a job that needs one (ingest
 * needs its source) is scheduled where that payload is configured (sources.<name>.schedule).
 */
function assertSchedulesKnown(
	config: Config,
	jobs: readonly JobDefinition[],
): void {
	const schedulable = jobs.filter((j) => j.schema.safeParse({}).success);
	const names = schedulable.map((j) => j.name);
	for (const key of Object.keys(config.schedules)) {
		if (names.includes(key)) continue;
		const needsPayload = jobs.some((j) => j.name === key);
		throw new AppError(
			"config_invalid",
			needsPayload
				? `schedules.${key}: the "${key}" job needs a payload and cannot be scheduled here. Fix: ${key === "ingest" ? "set sources.<name>.schedule for each source" : "remove this key"}.`
				: `schedules.${key}: there is no job named "${key}". Fix: use one of ${names.join(", ")}.`,
		);
	}
}

/**
 * pg-boss drops cron ticks that fall while no bot process runs. `missed: "once"` sends a single
 * catch-up job for the latest missed tick, never one per tick, which is what a daily or weekly job
 * wants after downtime. Disabled schedules are removed so a config edit takes effect on restart.
 */
async function applySchedules(
	boss: PgBoss,
	config: Config,
	log: Logger,
): Promise<void> {
	for (const [name, s] of Object.entries(config.schedules)) {
		if (s.enabled) {
			await boss.schedule(
				name,
				s.cron,
				{},
				{ tz: config.timeZone, missed: "once" },
			);
			log.info({ queue: name, cron: s.cron, tz: config.timeZone }, "scheduled");
		} else {
			await boss.unschedule(name);
		}
	}
}

/** One schedule per key (per source, say); keys no longer configured are removed. */
async function applyKeyedSchedules(
	boss: PgBoss,
	config: Config,
	schedules: readonly KeyedSchedule[],
	log: Logger,
): Promise<void> {
	for (const s of schedules) {
		await boss.schedule(s.name, s.cron, s.data, {
			tz: config.timeZone,
			key: s.key,
			missed: "once",
		});
		log.info(
			{ queue: s.name, key: s.key, cron: s.cron, tz: config.timeZone },
			"scheduled",
		);
	}
	for (const name of new Set(schedules.map((s) => s.name).concat(["ingest"]))) {
		for (const existing of await boss.getSchedules(name)) {
			if (
				existing.key &&
				!schedules.some((s) => s.name === name && s.key === existing.key)
			)
				await boss.unschedule(name, existing.key);
		}
	}
}
