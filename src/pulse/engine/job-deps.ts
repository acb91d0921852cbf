/** Builds the Pulse engine's dependencies inside a job from what every job gets. */
import { connectorFor } from "../../ingest/sources.ts";
import type { MetricCatalog } from "../../metrics/index.ts";
import type { JobContext } from "../../queue/job.ts";
import type { PulseDeps } from "./deps.ts";

export function pulseDepsFromJob(
	ctx: JobContext,
): PulseDeps & { catalog: MetricCatalog } {
	return {
		pool: ctx.pool,
		monitorPool: ctx.monitorPool ?? ctx.pool,
		sql: ctx.sql,
		config: ctx.config.pulse,
		timeZone: ctx.config.timeZone,
		log: ctx.log,
		connectorFor: (source) => connectorFor(ctx.config, source),
		catalog: ctx.catalog,
	};
}
