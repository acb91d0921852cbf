import { z } from "zod";
import { runDemoTour } from "../src/demo/tour.ts";
import { pulseTemplatesDir } from "../src/paths.ts";
import { PULSE_SQL } from "../src/pulse/engine/deps.ts";
import { pulseDepsFromJob } from "../src/pulse/engine/job-deps.ts";
import { loadTemplates } from "../src/pulse/engine/templates.ts";
import { defineJob } from "../src/queue/job.ts";

/**
 * Demo mode only: after a compute of the demo ERP, install the monitors for its planted events,
 * run them as of the events' dates and queue the digest of the demo's last week
 * (src/demo/tour.ts). Sent by the compute job; idempotent, so the hourly re-ingest of the demo
 * sends it again to no effect.
 */
export const demoTour = defineJob({
	name: "demo-tour",
	description:
		"Demo: install the monitors for the planted events, replay them and queue a digest",
	schema: z.strictObject({}),
	queue: {
		policy: "singleton",
		expireInSeconds: 900,
		retryLimit: 3,
		retryDelay: 60,
		retryBackoff: true,
	},
	sql: [...PULSE_SQL],
	async handler(_data, ctx) {
		const deps = pulseDepsFromJob(ctx);
		const templates =
			ctx.templates ?? loadTemplates(pulseTemplatesDir, deps.catalog);
		const result = await runDemoTour(deps, ctx.sql, ctx.config, templates);
		if (result)
			ctx.log.info(
				{
					alerts: result.monitors.filter((m) => m.alert).map((m) => m.name),
					digest: result.digest,
				},
				"demo tour done: alerts and the digest are queued for the chat channels",
			);
		return result ?? { skipped: "demo off or not loaded yet" };
	},
});
