import { z } from "zod";
import { computeSql, runCompute } from "../src/analytics/compute/run.ts";
import { AppError } from "../src/errors.ts";
import { computeStox, STOX_SQL } from "../src/inventory/compute.ts";
import { defineJob } from "../src/queue/job.ts";

/** Singleton key every compute is sent with, so a burst of ingests folds into one queued compute. */
export const COMPUTE_SINGLETON_KEY = "warehouse";

/**
 * Rebuilds the derived analytics tables (src/analytics/compute/run.ts) and then the inventory
 * tables (src/inventory/compute.ts) from the warehouse, sent by
 * the ingest job after each successful ingest. The "stately" policy keeps at most one compute
 * queued and one running: ingests that finish while a compute runs fold into a single follow-up
 * run, which sees all of them. Idempotent. If a compute started elsewhere (the CLI) holds the
 * lock, this one fails with compute_busy and is retried later, so it still sees the newest data;
 * a run that lost its database connection is retried too.
 */
export const compute = defineJob({
	name: "compute",
	description:
		"Rebuild RFM/ABC, segment, cohort, regional and inventory (stox_*) tables from the warehouse",
	schema: z.strictObject({
		reason: z.string().max(200).optional(),
	}),
	queue: {
		policy: "stately",
		expireInSeconds: 3 * 3600,
		retryLimit: 10,
		retryDelay: 30,
		retryBackoff: true,
		retryDelayMax: 600,
	},
	sql: [...computeSql(), ...STOX_SQL],
	async handler(data, { pool, sql, config, log, signal, send }) {
		const result = await runCompute(pool, sql, {
			trigger: data.reason ?? "job",
			wait: false,
			log,
			signal,
		}).catch((err: unknown) => {
			// node-postgres reports a dropped connection without an error code; a later try can work.
			if (
				err instanceof Error &&
				err.message.startsWith("Connection terminated")
			)
				throw new AppError(
					"job_failed",
					`Compute lost its database connection (${err.message}); it will retry.`,
					{ retryable: true, cause: err },
				);
			throw err;
		});
		if (result.status === "skipped")
			throw new AppError(
				"compute_busy",
				`Compute not started: ${result.reason}; it will retry.`,
				{ retryable: true },
			);
		// Inventory last, in its own transaction: it reads the ABC classes and lines the run used.
		const stox = await computeStox(pool, {
			config: config.stox,
			log,
			sql,
			signal,
		});
		// Demo mode: the first run's tour (idempotent; later sends change nothing).
		if (config.demo.enabled)
			await send("demo-tour", {}, { singletonKey: "demo-tour" });
		return {
			runId: result.runId,
			analysisDate: result.analysisDate,
			lines: result.lines,
			customers: result.customers,
			materials: stox.materials,
			ms: result.ms + stox.ms,
		};
	},
});
