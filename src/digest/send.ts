/**
 * The weekly digest as a delivery: collected, composed, given a chart of weekly revenue with the
 * reported week highlighted, and put in the outbox once per channel. The idempotency key names
 * the week, so a retried or doubled job (pg-boss re-runs a job whose expiry passed) queues it once.
 */
import { formatDate } from "../charts/format.ts";
import { renderChart } from "../charts/index.ts";
import { metricChart } from "../charts/metric-chart.ts";
import type { ChatMessage } from "../chat/message.ts";
import { encodeMessage } from "../chat/payload.ts";
import type { Config } from "../config/schema.ts";
import type { Pool } from "../db/pool.ts";
import type { SqlCatalog } from "../db/sql-catalog.ts";
import type { Logger } from "../log.ts";
import { fetchSeries, type MetricCatalog } from "../metrics/index.ts";
import { enqueueDelivery } from "../pulse/engine/deliveries.ts";
import { collectDigest } from "./collect.ts";
import { composeDigest, type DigestData } from "./compose.ts";

export interface SentDigest {
	week: string | null;
	stale: boolean;
	/** Deliveries added (0 when this week's digest was queued before). */
	queued: number;
}

/** Weekly revenue for the 13 weeks up to the reported one, that week highlighted. */
async function revenueChart(
	pool: Pool,
	catalog: MetricCatalog,
	data: DigestData,
	log: Logger,
): Promise<ChatMessage["chart"] | undefined> {
	if (!data.week) return undefined;
	const metric = catalog.get("revenue");
	if (!metric) return undefined;
	const start = new Date(
		Date.parse(`${data.week.start}T00:00:00Z`) - 84 * 86_400_000,
	);
	const series = await fetchSeries(pool, catalog, metric, {
		grain: "week",
		since: start.toISOString().slice(0, 10),
		until: data.week.end,
	});
	const input = metricChart(
		metric,
		series,
		`13 weeks to ${formatDate(Date.parse(`${data.week.end}T00:00:00Z`), "week", "long")}, weeks from Monday`,
	);
	// Money bars and areas start at zero; so does this line, so a rise reads at its true size.
	input.fromZero = true;
	const last = input.series[0]?.points.at(-1);
	if (last && typeof last.value === "number")
		input.highlights = [{ t: last.t, value: last.value }];
	const result = await renderChart({ ...input, title: "Revenue by week" });
	if (!result.ok) {
		log.warn(
			{ error: result.error },
			"digest chart could not be drawn; sending text only",
		);
		return undefined;
	}
	return {
		filename: `digest-${data.week.start}.png`,
		alt: result.alt,
		png: result.png,
	};
}

export async function sendDigest(
	pool: Pool,
	sql: SqlCatalog,
	config: Config,
	opts: { asOf: Date; log: Logger; catalog: MetricCatalog },
): Promise<SentDigest> {
	const { catalog } = opts;
	const data = await collectDigest(pool, catalog, config, {
		asOf: opts.asOf,
		staleAfterDays: config.digest.staleAfterDays,
	});
	const message = composeDigest(data);
	const stale = data.stale.length > 0 || !data.week;
	const chart = stale
		? undefined
		: await revenueChart(pool, catalog, data, opts.log);
	if (chart) message.chart = chart;
	const client = await pool.connect();
	try {
		// A skipped digest is keyed by the day it was due, so it is said once, not once per retry.
		const key = stale
			? `digest:skipped:${opts.asOf.toISOString().slice(0, 10)}`
			: `digest:${data.week?.start}`;
		const queued = await enqueueDelivery(client, sql, config.digest.channels, {
			key,
			kind: "digest",
			alertId: null,
			payload: { source: "message", message: encodeMessage(message) },
		});
		return { week: data.week?.start ?? null, stale, queued };
	} finally {
		client.release();
	}
}
