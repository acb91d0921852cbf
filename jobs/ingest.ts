import { z } from "zod";
import { runIngest } from "../src/ingest/run.ts";
import { ingestSource } from "../src/ingest/sources.ts";
import { defineJob } from "../src/queue/job.ts";
import { COMPUTE_SINGLETON_KEY } from "./compute.ts";

/**
 * Copies one source into the warehouse (see src/ingest/run.ts). Idempotent: a retried or doubled
 * run re-reads from the committed watermark and its upserts change nothing twice. One run per
 * source at a time (an advisory lock; a second run meets ingest_busy and retries later). The
 * expiry is generous because a first full load of a large ERP takes a while; the handler stops
 * at the abort signal and its transaction rolls back. After each successful run it sends the
 * compute job under one singleton key, so several ingests in a row queue a single compute; if the
 * send fails the ingest is retried, which changes nothing and sends again.
 */
export const ingest = defineJob({
	name: "ingest",
	description: "Incrementally copy one ERP source into the warehouse",
	schema: z.strictObject({
		source: z.string().min(1),
		full: z.boolean().default(false),
	}),
	queue: {
		expireInSeconds: 4 * 3600,
		retryLimit: 5,
		retryDelay: 30,
		retryBackoff: true,
		retryDelayMax: 1800,
	},
	async handler(data, { pool, config, env, log, signal, send }) {
		const source = ingestSource(config, data.source, env);
		const result = await runIngest(pool, source, {
			full: data.full,
			signal,
			log,
		});
		await send(
			"compute",
			{ reason: `ingest of ${source.name} (run ${result.runId})` },
			{ singletonKey: COMPUTE_SINGLETON_KEY },
		);
		return {
			runId: result.runId,
			read: result.read,
			loaded: result.loaded,
			rejected: result.rejected,
			ms: result.ms,
		};
	},
});
