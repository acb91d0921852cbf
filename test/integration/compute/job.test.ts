import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPUTE_SINGLETON_KEY, compute } from "../../../jobs/compute.ts";
import { jobs } from "../../../jobs/index.ts";
import { parseConfig } from "../../../src/config/load.ts";
import type { Pool } from "../../../src/db/pool.ts";
import { loadSqlCatalog } from "../../../src/db/sql-catalog.ts";
import { generateDemoErp } from "../../../src/demo/index.ts";
import { AppError } from "../../../src/errors.ts";
import { createMetricCatalog } from "../../../src/metrics/index.ts";
import { sqlDir } from "../../../src/paths.ts";
import { type QueueRuntime, startQueue } from "../../../src/queue/boss.ts";
import { eventually } from "../../helpers/db.ts";
import { memoryLogger } from "../../helpers/log.ts";
import { freshWarehouse } from "./helpers.ts";

describe("the compute job (real pg-boss)", () => {
	const { log } = memoryLogger();
	const sql = loadSqlCatalog(sqlDir);
	let dir: string;
	let pool: Pool;
	let url: string;
	let drop: () => Promise<void>;
	let config: ReturnType<typeof parseConfig>["config"];
	const runtimes: QueueRuntime[] = [];

	const queue = async (work: boolean) => {
		const q = await startQueue({
			url,
			config,
			jobs,
			log,
			work,
			deps: {
				pool,
				config,
				sql,
				catalog: createMetricCatalog(config),
				env: {},
			},
		});
		runtimes.push(q);
		return q;
	};

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-compute-job-"));
		const file = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file, seed: 3, lines: 2_000 });
		({ pool, url, drop } = await freshWarehouse("compute_job", log));
		({ config } = parseConfig(
			`demo: {enabled: false}\nqueue: {pollingIntervalSeconds: 0.5}\nsources:\n  erp:\n    connection: {kind: sqlite, file: ${file}}\n    mapping: demo-erp\n`,
			"test.yaml",
			{},
		));
	});
	afterAll(async () => {
		for (const q of runtimes.reverse()) await q.stop(5000);
		await drop?.();
		rmSync(dir, { recursive: true, force: true });
	});

	it("folds a burst of compute requests into one queued job", async () => {
		const sender = await queue(false);
		const ids = [];
		for (let i = 0; i < 3; i++)
			ids.push(
				await sender.send(
					"compute",
					{ reason: `burst ${i}` },
					{ singletonKey: COMPUTE_SINGLETON_KEY },
				),
			);
		expect(ids.filter(Boolean)).toHaveLength(1);
	});

	it("runs compute after a successful ingest, recording which ingest asked for it", async () => {
		const worker = await queue(true);
		await eventually(async () => {
			const { rows } = await pool.query(
				"select 1 from compute_runs where trigger = 'burst 0' and status = 'succeeded'",
			);
			return rows.length ? true : undefined;
		});
		const id = await worker.send("ingest", { source: "erp" });
		expect(id).toBeTruthy();
		const run = await eventually(async () => {
			const { rows } = await pool.query<{ status: string; lines: number }>(
				"select status, lines from compute_runs where trigger = 'ingest of erp (run 1)' and status <> 'running'",
			);
			return rows[0];
		}, 60_000);
		expect(run.status).toBe("succeeded");
		const lines = await pool.query<{ n: number }>(
			"select count(*)::int as n from transaction_data",
		);
		expect(run.lines).toBe(lines.rows[0]?.n);
		const segments = await pool.query<{ n: number }>(
			"select count(*)::int as n from customer_master where rfm_segment is not null",
		);
		expect(segments.rows[0]?.n).toBeGreaterThan(0);
	});

	it("asks to be retried, rather than skipping the new data, while a compute started elsewhere holds the lock", async () => {
		const holder = new pg.Client({ connectionString: url });
		await holder.connect();
		try {
			await holder.query(
				"select pg_advisory_lock(hashtext('erp-pulse:compute'))",
			);
			const failure = await compute
				.handler(
					{},
					{
						pool,
						config,
						sql,
						catalog: createMetricCatalog(config),
						env: {},
						send: async () => null,
						log,
						signal: new AbortController().signal,
						jobId: "test",
						attempt: 1,
					},
				)
				.catch((err: unknown) => err);
			expect(failure).toBeInstanceOf(AppError);
			expect(failure).toMatchObject({ code: "compute_busy", retryable: true });
		} finally {
			await holder.end();
		}
	});
});
