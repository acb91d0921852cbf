/**
 * The demo's first run, end to end, so `npm start` shows the whole product without a chat
 * workspace: once the demo ERP is loaded and computed, install the monitors that catch its planted
 * events (from templates/pulse, posting to pulse.defaultChannel), run each one as of the day its
 * event is visible — so the alerts, with their charts, arrive in the channel — and queue the
 * weekly digest for the demo's last week.
 *
 * The demo ERP's data end on a fixed date (DEFAULT_END_DATE), so a monitor run on today's date
 * would mostly see missing data. The tour's monitors are therefore paused right after they are
 * created, with a reason that says so; their manual "as of" runs are not affected by the pause.
 * `/pulse resume <name>` puts one on its normal schedule.
 *
 * Idempotent and crash-safe: a monitor is created once (found by name afterwards), a monitor that
 * has run is not replayed, the digest delivery is keyed by its week. A crash between creating a
 * monitor and pausing it leaves it unpaused until the tour runs again (at the next compute).
 */
import type { Config } from "../config/schema.ts";
import type { SqlCatalog } from "../db/sql-catalog.ts";
import { sendDigest } from "../digest/send.ts";
import { AppError } from "../errors.ts";
import { DEMO_SOURCE } from "../ingest/sources.ts";
import { orderLineCount } from "../ingest/store.ts";
import type { MetricCatalog } from "../metrics/index.ts";
import type { PulseDeps } from "../pulse/engine/deps.ts";
import { runMonitor } from "../pulse/engine/run.ts";
import { pauseMonitor } from "../pulse/engine/service.ts";
import { findMonitor } from "../pulse/engine/store.ts";
import {
	addFromTemplate,
	type MonitorTemplate,
} from "../pulse/engine/templates.ts";
import { type PlantedEventType, plantedEvents } from "./events.ts";
import { DEFAULT_END_DATE } from "./model.ts";

/** Which template catches which planted event, and the day it is run "as of". */
export const TOUR_MONITORS: readonly {
	event: PlantedEventType;
	template: string;
	asOf: (e: { from: string; to: string }) => string;
}[] = [
	// The month after the drop has begun: the last complete month is the one with the drop.
	{
		event: "margin_drop",
		template: "margin-drop-by-region",
		asOf: (e) => addDays(e.to, 1),
	},
	// Ten days into the stock-out: the latest weekly snapshot shows zero.
	{
		event: "stock_out",
		template: "stock-out-regular-seller",
		asOf: (e) => addDays(e.from, 10),
	},
	// The last day of the customer's silence.
	{
		event: "silent_customer",
		template: "key-customer-silent",
		asOf: (e) => e.to,
	},
];

/** Why the tour's monitors are paused; shown by `/pulse list` and `/pulse show`. */
export const TOUR_PAUSE_REASON = `demo: run as of the planted event's date; the demo ERP's data end on ${DEFAULT_END_DATE}, so a run on today's date would see missing data. /pulse resume to schedule it.`;

export interface TourResult {
	monitors: { name: string; asOf: string; alert: boolean; replayed: boolean }[];
	digest: { week: string | null; queued: number };
}

function addDays(day: string, n: number): string {
	const t = new Date(`${day}T00:00:00Z`);
	t.setUTCDate(t.getUTCDate() + n);
	return t.toISOString().slice(0, 10);
}

/** 08:00 UTC on the Monday after `day`: when the weekly digest for the week holding `day` goes out. */
export function digestInstantAfter(day: string): Date {
	const t = new Date(`${day}T08:00:00Z`);
	t.setUTCDate(t.getUTCDate() + ((8 - t.getUTCDay()) % 7 || 7));
	return t;
}

/** Runs the tour; does nothing when the demo is off or the demo source has never loaded. */
export async function runDemoTour(
	pulse: PulseDeps & { catalog: MetricCatalog },
	sql: SqlCatalog,
	config: Config,
	templates: readonly MonitorTemplate[],
): Promise<TourResult | null> {
	if (!config.demo.enabled) return null;
	if ((await orderLineCount(pulse.pool, DEMO_SOURCE)) === 0) return null;
	const events = plantedEvents(config.demo.seed, undefined, config.demo.lines);
	const monitors: TourResult["monitors"] = [];
	for (const m of TOUR_MONITORS) {
		const event = events.find((e) => e.type === m.event);
		const template = templates.find((t) => t.name === m.template);
		if (!event || !template) continue;
		const asOf = m.asOf(event);
		const stored = await findOrAdd(pulse, templates, template);
		if (!stored.row.paused_reason)
			await pauseMonitor(pulse, stored.row.id, TOUR_PAUSE_REASON);
		if (stored.row.last_run) {
			monitors.push({
				name: template.title,
				asOf,
				alert: false,
				replayed: false,
			});
			continue;
		}
		const run = await runMonitor(pulse, stored.row.id, {
			now: new Date(`${asOf}T12:00:00Z`),
		});
		if (run.error)
			pulse.log.warn(
				{ monitor: template.title, asOf, err: run.error },
				"demo tour: the monitor failed",
			);
		monitors.push({
			name: template.title,
			asOf,
			alert: run.alertId !== null,
			replayed: true,
		});
	}
	const sent = await sendDigest(pulse.pool, sql, config, {
		asOf: digestInstantAfter(DEFAULT_END_DATE),
		log: pulse.log,
		catalog: pulse.catalog,
	});
	return { monitors, digest: { week: sent.week, queued: sent.queued } };
}

async function findOrAdd(
	pulse: PulseDeps,
	templates: readonly MonitorTemplate[],
	template: MonitorTemplate,
) {
	try {
		return await findMonitor(pulse, template.title);
	} catch (err) {
		if (!(err instanceof AppError) || err.code !== "pulse_not_found") throw err;
	}
	await addFromTemplate(
		pulse,
		templates,
		template.name,
		{},
		{
			userId: "demo",
		},
	);
	return findMonitor(pulse, template.title);
}
