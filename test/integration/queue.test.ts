import type { JobWithMetadata } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { jobs } from "../../jobs/index.ts";
import { parseConfig } from "../../src/config/load.ts";
import type { Config } from "../../src/config/schema.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { loadSqlCatalog } from "../../src/db/sql-catalog.ts";
import { AppError } from "../../src/errors.ts";
import { createMetricCatalog } from "../../src/metrics/index.ts";
import { migrationsDir, sqlDir } from "../../src/paths.ts";
import { stuckQueues } from "../../src/pulse/engine/liveness.ts";
import {
	DEAD_LETTER_QUEUE,
	HEARTBEAT_SECONDS,
	type QueueRuntime,
	startQueue,
} from "../../src/queue/boss.ts";
import { defineJob } from "../../src/queue/job.ts";
import { SourceError } from "../../src/sources/errors.ts";
import {
	createTestDatabase,
	eventually,
	type TestDatabase,
} from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";

/** A job that fails the way a flaky network does on its first attempt, then succeeds. */
const flaky = defineJob({
	name: "test-flaky",
	description: "fails once with a transient error",
	schema: z.strictObject({ key: z.string() }),
	queue: { retryLimit: 2, retryDelay: 1 },
	async handler(data, { attempt }) {
		if (attempt === 1)
			throw Object.assign(new Error(`connection reset for ${data.key}`), {
				code: "ECONNRESET",
			});
		return { key: data.key, attempt };
	},
});

/** An ingest-like job whose ERP is briefly unreachable: a SourceError marked retryable. */
const erpBlip = defineJob({
	name: "test-erp-blip",
	description: "the source is unreachable on the first attempt",
	schema: z.strictObject({}),
	queue: { retryLimit: 5, retryDelay: 1 },
	async handler(_data, { attempt }) {
		if (attempt === 1)
			throw new SourceError(
				"source_unreachable",
				"mssql source erp:1433/sales cannot be reached: ECONNREFUSED",
			);
		return { attempt };
	},
});

/** A job whose error cannot be fixed by retrying. */
const broken = defineJob({
	name: "test-broken",
	description: "always fails permanently",
	schema: z.strictObject({}),
	queue: { retryLimit: 5 },
	async handler() {
		throw new AppError(
			"job_failed",
			"the monitor's SQL refers to a dropped table",
		);
	},
});

describe("job queue (real pg-boss)", () => {
	let db: TestDatabase;
	let pool: Pool;
	let queue: QueueRuntime;
	/** What the bot gives every job (main.ts), for a queue started with `config`. */
	const jobDeps = (config: Config) => ({
		pool,
		config,
		sql: loadSqlCatalog(sqlDir),
		catalog: createMetricCatalog(config),
		env: {},
	});
	const memory = memoryLogger();

	beforeAll(async () => {
		db = await createTestDatabase("queue");
		pool = createPool(db.url, memory.log, { max: 4 });
		await migrate(pool, migrationsDir, memory.log);
		const { config } = parseConfig(
			"timeZone: Europe/London\nqueue: {pollingIntervalSeconds: 0.5}\nschedules:\n  housekeeping: {cron: '15 3 * * *'}\n",
			"test.yaml",
			{},
		);
		queue = await startQueue({
			url: db.url,
			config,
			jobs: [...jobs, flaky, erpBlip, broken],
			log: memory.log,
			deps: jobDeps(config),
		});
	});
	afterAll(async () => {
		await queue?.stop(5000);
		await pool?.end();
		await db?.drop();
	});

	const settled = (name: string, id: string, state: JobWithMetadata["state"]) =>
		eventually(async () => {
			const job = await queue.boss.getJobById<object>(name, id);
			return job?.state === state ? job : undefined;
		});

	it("runs housekeeping through the queue and prunes only rows past retention", async () => {
		const { rows } = await pool.query<{ id: number }>(
			"insert into ingest_runs (source, status) values ('demo', 'succeeded') returning id",
		);
		const runId = rows[0]?.id;
		await pool.query(
			`insert into ingest_rejects (run_id, source, entity, source_row, reason, created_at) values
			 ($1, 'demo', 'order_lines', '{}', 'old', now() - interval '40 days'),
			 ($1, 'demo', 'order_lines', '{}', 'fresh', now() - interval '1 day')`,
			[runId],
		);
		await pool.query(
			`insert into deliveries (idempotency_key, channel_kind, channel_id, kind, payload, status, created_at) values
			 ('old-sent', 'local', 'c', 'reply', '{}', 'sent', now() - interval '40 days'),
			 ('old-pending', 'local', 'c', 'reply', '{}', 'pending', now() - interval '40 days')`,
		);
		const id = await queue.send("housekeeping", {});
		expect(id).toBeTruthy();
		const job = await settled("housekeeping", id ?? "", "completed");
		expect(job.output).toEqual({
			deleted: { ingest_rejects: 1, execution_log: 0, deliveries: 1 },
		});
		const left = await pool.query<{ reason: string }>(
			"select reason from ingest_rejects",
		);
		expect(left.rows.map((r) => r.reason)).toEqual(["fresh"]);
		const pending = await pool.query(
			"select 1 from deliveries where idempotency_key = 'old-pending'",
		);
		expect(pending.rowCount).toBe(1);
	});

	it("retries a transient failure and then completes", async () => {
		const id = await queue.send("test-flaky", { key: "k1" });
		const job = await settled("test-flaky", id ?? "", "completed");
		expect(job.output).toEqual({ key: "k1", attempt: 2 });
		expect(job.retryCount).toBe(1);
	});

	it("retries a source that is briefly unreachable (a SourceError marked retryable) instead of dead-lettering it", async () => {
		const id = await queue.send("test-erp-blip", {});
		const job = await settled("test-erp-blip", id ?? "", "completed");
		expect(job.output).toEqual({ attempt: 2 });
		expect(job.retryCount).toBe(1);
	});

	it("dead-letters an invalid payload at once, naming the bad field", async () => {
		const id = await queue.send("housekeeping", { everything: true });
		const job = await settled("housekeeping", id ?? "", "failed");
		expect(job.retryCount).toBe(0);
		expect(JSON.stringify(job.output)).toContain("invalid payload");
		const dead = await eventually(async () => {
			const found = await queue.boss.findJobs<object>(DEAD_LETTER_QUEUE, {
				data: { everything: true },
			});
			return found.length > 0 ? found : undefined;
		});
		expect(dead[0]?.sourceName).toBe("housekeeping");
	});

	it("dead-letters a permanent error without using its retries", async () => {
		const id = await queue.send("test-broken", {});
		const job = await settled("test-broken", id ?? "", "failed");
		expect(job.retryCount).toBe(0);
		expect(JSON.stringify(job.output)).toContain("dropped table");
		expect(memory.text()).toContain("job failed; dead-lettered");
	});

	it("reports a queue whose job has waited longer than the queue's expiry as stuck, and heartbeats every queue", async () => {
		await queue.boss.createQueue("test-unserved", { expireInSeconds: 1 });
		await queue.boss.send("test-unserved", {});
		await new Promise((r) => setTimeout(r, 1500));
		const stuck = await stuckQueues(pool, "pgboss", new Date());
		expect(stuck).toEqual([
			expect.objectContaining({
				queue: "test-unserved",
				state: "waiting",
				jobs: 1,
				expireSeconds: 1,
			}),
		]);
		// Every job's queue carries the heartbeat, so a dead worker's job is failed within a minute.
		for (const job of jobs) {
			const q = await queue.boss.getQueue(job.name);
			expect(q?.heartbeatSeconds, job.name).toBe(HEARTBEAT_SECONDS);
		}
	});

	it("recreates a queue whose policy a new version changed, moving its waiting jobs across", async () => {
		await queue.boss.createQueue("test-policy", { policy: "stately" });
		await queue.boss.send("test-policy", { monitorId: "m1" });
		const changed = defineJob({
			name: "test-policy",
			description: "a queue whose policy changed from stately to standard",
			schema: z.object({}).passthrough(),
			queue: { policy: "standard" },
			async handler() {
				return {};
			},
		});
		const { config } = parseConfig(
			"timeZone: Europe/London\nschedules:\n  housekeeping: {cron: '15 3 * * *'}\n",
			"test.yaml",
			{},
		);
		const again = await startQueue({
			url: db.url,
			config,
			jobs: [...jobs, changed],
			log: memory.log,
			deps: jobDeps(config),
			work: false,
		});
		try {
			expect((await again.boss.getQueue("test-policy"))?.policy).toBe(
				"standard",
			);
			const waiting = await again.boss.findJobs<{ monitorId: string }>(
				"test-policy",
				{ queued: true },
			);
			expect(waiting.map((j) => j.data)).toEqual([{ monitorId: "m1" }]);
		} finally {
			await again.stop(2000);
		}
	});

	it("registers the configured cron schedule in the configured time zone, catching up once after downtime", async () => {
		const schedule = await queue.boss.getSchedule("housekeeping");
		expect(schedule?.cron).toBe("15 3 * * *");
		expect(schedule?.timezone).toBe("Europe/London");
		expect(schedule?.options?.missed).toBe("once");
	});

	it("refuses a schedule for a job that does not exist, naming the key", async () => {
		const { config } = parseConfig(
			"schedules:\n  nightly-ingest: {cron: '0 2 * * *'}\n",
			"test.yaml",
			{},
		);
		await expect(
			startQueue({
				url: db.url,
				config,
				jobs,
				log: memory.log,
				deps: jobDeps(config),
			}),
		).rejects.toThrow(
			'schedules.nightly-ingest: there is no job named "nightly-ingest". Fix: use one of housekeeping, compute, deliver, pulse-tick, weekly-digest, demo-tour.',
		);
	});
});
