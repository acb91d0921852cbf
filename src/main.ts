import { existsSync } from "node:fs";
import path from "node:path";
import { commandHandler } from "../commands/dispatch.ts";
import { commands } from "../commands/index.ts";
import { commandServices } from "../commands/services.ts";
import { jobs } from "../jobs/index.ts";
import { createChartRenderer } from "./charts/index.ts";
import { type DeliveryHealth, deliveryHealth } from "./chat/health.ts";
import {
	createChat,
	explainMessage,
	startOutboxPoller,
} from "./chat/runtime.ts";
import type { LoadedConfig } from "./config/load.ts";
import type { Config } from "./config/schema.ts";
import { openDatabase } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import {
	assertReachable,
	createPool,
	type Pool,
	ping,
	poolHolders,
} from "./db/pool.ts";
import { loadSqlCatalog } from "./db/sql-catalog.ts";
import { generateDemoErp } from "./demo/index.ts";
import { errorMessage } from "./errors.ts";
import { createMetrics } from "./http/metrics.ts";
import { type HealthReport, startHttpServer } from "./http/server.ts";
import { type EntityFreshness, freshness } from "./ingest/freshness.ts";
import { sourcesLoaded } from "./ingest/runs.ts";
import { connectorFor, effectiveSources } from "./ingest/sources.ts";
import type { Logger } from "./log.ts";
import { createMetricCatalog } from "./metrics/index.ts";
import { migrationsDir, pulseTemplatesDir, sqlDir } from "./paths.ts";
import { createPgAlertActions } from "./pulse/engine/chat-actions.ts";
import { PULSE_SQL, type PulseDeps } from "./pulse/engine/deps.ts";
import {
	type SchedulerHealth,
	schedulerHealth,
} from "./pulse/engine/liveness.ts";
import { monitorLogin } from "./pulse/engine/monitor-login.ts";
import {
	loadTemplates,
	type MonitorTemplate,
	syncTemplates,
} from "./pulse/engine/templates.ts";
import { type QueueRuntime, startQueue } from "./queue/boss.ts";

export interface App {
	pool: Pool;
	queue: QueueRuntime;
	httpPort: number;
	/**
	 * Stops HTTP, then the queue (running jobs get a short grace, then are failed back to pg-boss
	 * for retry and their handlers aborted), the pool and the embedded Postgres; bounded by
	 * shutdownTimeoutMs. Resolves true when every part stopped in time.
	 */
	stop(): Promise<boolean>;
}

export interface StartOptions {
	loaded: LoadedConfig;
	log: Logger;
	env?: NodeJS.ProcessEnv;
}

type Stopper = {
	name: string;
	stop: () => Promise<void>;
	/** What the part still holds, logged when it does not stop in time. */
	state?: () => Record<string, unknown>;
};

/** The composition root: config → database → migrations → pg-boss → HTTP, each handed what it needs. */
export async function startApp({
	loaded,
	log,
	env = process.env,
}: StartOptions): Promise<App> {
	const { config } = loaded;
	const stoppers: Stopper[] = [];
	const stop = () => stopAll(stoppers, config.shutdownTimeoutMs, log);
	try {
		const db = await openDatabase(config, log, env);
		stoppers.push({ name: "database", stop: db.stop });
		const pool = createPool(db.url, log, {
			max: config.database.poolSize,
			statementTimeoutMs: config.database.statementTimeoutMs,
		});
		stoppers.push({
			name: "pool",
			stop: () => pool.end(),
			// What held the pool open, when it did not close in time: connections still checked
			// out by work that had not finished, and requests waiting for one.
			state: () => ({
				connections: pool.totalCount,
				idle: pool.idleCount,
				waiting: pool.waitingCount,
				holders: poolHolders(pool),
			}),
		});
		await assertReachable(pool, db.url);
		const result = await migrate(pool, migrationsDir, log);
		log.info(
			{ applied: result.applied.length, alreadyApplied: result.alreadyApplied },
			"migrations checked",
		);
		const sql = loadSqlCatalog(sqlDir);
		sql.requireAll([...jobs.flatMap((j) => j.sql ?? []), ...PULSE_SQL]);
		if (config.demo.enabled)
			await ensureDemoErp(config.dataDir, config.demo, log);
		else if (Object.keys(config.sources).length > 0)
			log.info(
				{ sources: Object.keys(config.sources) },
				"sources are configured, so the demo ERP is off (demo.enabled: true keeps it)",
			);
		// Monitor SQL gets connections of its own, logged in as its own read-only role where the
		// database allows, so slow monitors cannot starve the engine nor reach beyond SELECT.
		const login = await monitorLogin(pool, db.url, { env });
		if (login.source === "shared")
			log.warn(
				"monitor SQL shares the bot's login and takes its role with SET ROLE: the bot's login may not manage roles and MONITOR_DATABASE_URL is unset (see README, Security)",
			);
		else
			log.info({ source: login.source }, "monitor SQL logs in as its own role");
		const monitorPool = createPool(login.url, log, {
			max: config.pulse.poolSize,
			applicationName: "erp-pulse:monitors",
		});
		stoppers.push({ name: "monitor pool", stop: () => monitorPool.end() });
		// Built once: the Pulse engine, the jobs and the chat commands share it.
		const catalog = createMetricCatalog({ currency: config.currency });
		const pulse: PulseDeps = {
			pool,
			monitorPool,
			sql,
			config: config.pulse,
			timeZone: config.timeZone,
			log,
			connectorFor: (source) => connectorFor(config, source),
			catalog,
		};
		// Read once: the sync, the commands and the demo tour share them.
		const templates = loadTemplates(pulseTemplatesDir, catalog);
		await syncPulseTemplates(pulse, templates);

		const metrics = createMetrics();
		// One chart renderer for the process: a worker thread with the fonts parsed once.
		const charts = createChartRenderer();
		stoppers.push({ name: "chart renderer", stop: () => charts.close() });
		// The inbound port: every chat adapter runs typed commands through it.
		const services = commandServices({
			pool,
			config,
			log,
			charts,
			sql,
			pulse,
			templates,
		});
		const handler = commandHandler(commands, services);
		const chat = await createChat({
			config,
			env,
			// The alert buttons act through the Pulse engine; Explain runs the explain command.
			alerts: createPgAlertActions(
				pulse,
				charts,
				explainMessage(handler, log.child({ explain: "alert" })),
			),
			log,
			commands: handler,
			catalog,
			library: services.library,
		});
		const queue = await startQueue({
			url: db.url,
			config,
			jobs,
			log,
			deps: {
				pool,
				monitorPool,
				config,
				sql,
				catalog,
				templates,
				env,
				chat: chat.runtime,
			},
			observe: metrics.observeJob,
			keyedSchedules: Object.entries(effectiveSources(config)).flatMap(
				([name, src]) =>
					src.schedule
						? [
								{
									name: "ingest",
									key: name,
									cron: src.schedule,
									data: { source: name },
								},
							]
						: [],
			),
		});
		stoppers.push({
			name: "queue",
			stop: () => queue.stop(queueGraceMs(config.shutdownTimeoutMs)),
		});
		await enqueueFirstIngests(pool, queue, config, log);
		const poller = startOutboxPoller({
			pool,
			kinds: Object.keys(chat.runtime.channels),
			intervalMs: config.chat.delivery.pollSeconds * 1000,
			send: () => queue.send("deliver", {}),
			log,
		});
		stoppers.push({ name: "outbox poller", stop: async () => poller.stop() });
		for (const platform of chat.platforms) {
			await platform.start();
			stoppers.push({ name: platform.kind, stop: () => platform.stop() });
		}
		const dbCheck = () => ping(pool).then(() => true);
		const scheduler = () =>
			schedulerHealth(pool, {
				now: new Date(),
				timeZone: config.timeZone,
				bossSchema: config.queue.schema,
			});
		metrics.setQueueSource(queue.queues);
		metrics.setSchedulerSource(scheduler);
		metrics.setDbCheck(dbCheck);
		const http = await startHttpServer({
			host: config.http.host,
			port: config.http.port,
			log,
			metrics,
			routes: chat.routes,
			health: () =>
				health(
					dbCheck,
					queue,
					db.kind,
					() => freshness(pool, config),
					() => deliveryHealth(pool, new Date(), 3),
					scheduler,
				),
		});
		stoppers.push({ name: "http", stop: http.close });
		return { pool, queue, httpPort: http.port, stop };
	} catch (err) {
		await stop();
		throw err;
	}
}

/**
 * How long a stopping queue lets running handlers finish before pg-boss fails their jobs back for
 * retry and aborts them: short, so a long ingest is handed back at once rather than cut off when
 * the shutdown budget runs out (which left it `active` until its expiry), and well inside the
 * budget stopAll gives the queue part.
 */
export function queueGraceMs(shutdownTimeoutMs: number): number {
	return Math.max(1000, Math.min(3000, Math.floor(shutdownTimeoutMs / 5)));
}

/**
 * A scheduled source that has never loaded should not wait for its first cron tick: queue one
 * run now. The singleton key makes several processes starting together queue it once.
 */
async function enqueueFirstIngests(
	pool: Pool,
	queue: QueueRuntime,
	config: Config,
	log: Logger,
): Promise<void> {
	const loaded = await sourcesLoaded(pool);
	for (const [name, src] of Object.entries(effectiveSources(config))) {
		if (!src.schedule || loaded.has(name)) continue;
		await queue.send(
			"ingest",
			{ source: name },
			{ singletonKey: `first-ingest:${name}` },
		);
		log.info(
			{ source: name },
			"queued the first ingest of a source that has never loaded",
		);
	}
}

/** Upserts templates/pulse/*.yaml by name (a broken template failed start-up when they were read). */
async function syncPulseTemplates(
	pulse: PulseDeps,
	templates: readonly MonitorTemplate[],
): Promise<void> {
	const changed = await syncTemplates(pulse, templates);
	pulse.log.info(
		{ templates: templates.length, changed },
		"pulse templates loaded",
	);
}

/** First run: write the demo ERP the default config reads from. Later runs reuse the file. */
async function ensureDemoErp(
	dataDir: string,
	demo: { seed: number; lines: number },
	log: Logger,
): Promise<void> {
	const file = path.resolve(dataDir, "demo-erp.sqlite");
	if (existsSync(file)) return;
	log.info({ file, lines: demo.lines }, "writing the demo ERP (first run)");
	const summary = await generateDemoErp({
		file,
		seed: demo.seed,
		lines: demo.lines,
	});
	log.info(
		{ file, lines: summary.lines, customers: summary.customers },
		"demo ERP ready",
	);
}

export async function health(
	dbCheck: () => Promise<boolean>,
	queue: QueueRuntime,
	dbKind: string,
	fresh: () => Promise<EntityFreshness[]>,
	outbox: () => Promise<DeliveryHealth>,
	scheduler: () => Promise<SchedulerHealth>,
): Promise<HealthReport> {
	// Each check gets 2 s; its timer is cleared as soon as it settles, so a probe every few seconds
	// leaves no timers behind.
	const timeout = <T>(p: Promise<T>): Promise<T> => {
		let timer: ReturnType<typeof setTimeout> | undefined;
		return Promise.race([
			p,
			new Promise<never>((_, reject) => {
				timer = setTimeout(
					() => reject(new Error("timed out after 2 s")),
					2000,
				);
			}),
		]).finally(() => clearTimeout(timer));
	};
	const started = performance.now();
	const db = await timeout(dbCheck()).then(
		() => ({
			ok: true,
			kind: dbKind,
			latencyMs: Math.round(performance.now() - started),
		}),
		(err: unknown) => ({ ok: false, kind: dbKind, error: errorMessage(err) }),
	);
	const q = await timeout(queue.queues()).then(
		(qs) => ({
			ok: true,
			queues: Object.fromEntries(
				qs.map((x) => [
					x.name,
					{
						queued: x.queuedCount,
						active: x.activeCount,
						failed: x.failedCount,
					},
				]),
			),
		}),
		(err: unknown) => ({ ok: false, error: errorMessage(err) }),
	);
	// Stale data is reported, not counted as the bot being down: a load balancer should keep it.
	const stale = await timeout(fresh()).then(
		(f) =>
			f
				.filter((x) => x.stale)
				.map((x) => ({
					source: x.source,
					entity: x.entity,
					lastReceivedAt: x.lastReceivedAt,
					maxAge: x.maxAge,
				})),
		() => [],
	);
	// Dead deliveries are reported, not counted as down: restarting the bot would not fix them.
	const deliveries = await timeout(outbox()).then(
		(h) => ({
			pending: h.pending,
			sending: h.sending,
			failed: h.failed,
			dead: h.dead,
			oldestWaitingSeconds: h.oldestWaitingSeconds,
			lastErrors: h.lastErrors.map((e) => ({
				id: e.id,
				channel: e.channel,
				status: e.status,
				error: e.error,
			})),
		}),
		(err: unknown) => ({ error: errorMessage(err) }),
	);
	// Overdue monitors and stuck queues are reported, not counted as down (the report says what).
	const pulse = await timeout(scheduler()).then(
		(h) => ({
			overdueMonitors: h.overdue.length,
			overdue: h.overdue.slice(0, 5).map((m) => ({
				id: m.id,
				name: m.name,
				lastTick: m.lastTick,
				behindSeconds: m.behindSeconds,
			})),
			ticksLastDay: h.ticks,
			stuckQueues: h.stuckQueues,
		}),
		(err: unknown) => ({ error: errorMessage(err) }),
	);
	return {
		ok: db.ok && q.ok,
		db,
		queue: q,
		data: { stale },
		deliveries,
		pulse,
	};
}

async function stopAll(
	stoppers: Stopper[],
	timeoutMs: number,
	log: Logger,
): Promise<boolean> {
	let clean = true;
	const deadline = Date.now() + timeoutMs;
	const parts = stoppers.splice(0).reverse();
	for (const [i, s] of parts.entries()) {
		// Each part may use what is left of the budget but for a second per part still to stop,
		// so one stuck part (a pool waiting on a connection to a Postgres already gone) cannot
		// keep the database from being stopped. A ref'd timer keeps the process alive meanwhile.
		const limit = Math.max(
			1000,
			deadline - Date.now() - 1000 * (parts.length - i - 1),
		);
		let timer: ReturnType<typeof setTimeout> | undefined;
		const timedOut = new Promise<"timeout">((resolve) => {
			timer = setTimeout(() => resolve("timeout"), limit);
		});
		try {
			const outcome = await Promise.race([
				s.stop().then(() => "stopped" as const),
				timedOut,
			]);
			if (outcome === "stopped") log.info({ part: s.name }, "stopped");
			else {
				clean = false;
				log.warn(
					{ part: s.name, limitMs: limit, ...s.state?.() },
					"did not stop in time; carrying on",
				);
			}
		} catch (err) {
			clean = false;
			log.warn(
				{ part: s.name, err: errorMessage(err) },
				"stop failed; carrying on",
			);
		} finally {
			clearTimeout(timer);
		}
	}
	if (Date.now() > deadline) {
		clean = false;
		log.error({ timeoutMs }, "shutdown did not finish in time");
	}
	return clean;
}
