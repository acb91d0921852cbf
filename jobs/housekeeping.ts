import { z } from "zod";
import { defineJob } from "../src/queue/job.ts";

/**
 * Prunes engine bookkeeping (ingest rejects, monitor execution log, finished deliveries) past the
 * retention windows in config. Idempotent: running it twice deletes nothing the second time.
 */
export const housekeeping = defineJob({
	name: "housekeeping",
	description:
		"Delete ingest rejects, execution log rows and finished deliveries past retention",
	schema: z.strictObject({}),
	queue: {
		policy: "singleton",
		expireInSeconds: 600,
		retryLimit: 3,
		retryDelay: 60,
		retryBackoff: true,
	},
	sql: ["housekeeping/prune"],
	async handler(_data, { pool, sql, config, log }) {
		const { ingestRejectsDays, executionLogDays, deliveriesDays } =
			config.retention;
		const { rows } = await pool.query<{
			ingest_rejects: number;
			execution_log: number;
			deliveries: number;
		}>(sql.get("housekeeping/prune"), [
			ingestRejectsDays,
			executionLogDays,
			deliveriesDays,
		]);
		const deleted = rows[0] ?? {
			ingest_rejects: 0,
			execution_log: 0,
			deliveries: 0,
		};
		log.info({ deleted }, "housekeeping done");
		return { deleted };
	},
});
