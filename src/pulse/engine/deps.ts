/**
 * What the Pulse engine needs, built once by the composition root (or a test) and handed to
 * every engine function. No module keeps a client of its own.
 */
import type { PulseConfig } from "../../config/schema.ts";
import type { Pool } from "../../db/pool.ts";
import type { SqlCatalog } from "../../db/sql-catalog.ts";
import { AppError } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import type { MetricCatalog } from "../../metrics/index.ts";
import type { SourceConnector } from "../../sources/types.ts";

export interface PulseDeps {
	/** The bot's pool: monitors, alerts, runs, deliveries. */
	pool: Pool;
	/** Connections monitor SQL runs on (a pool of its own, so monitor queries cannot starve the engine). */
	monitorPool: Pool;
	sql: SqlCatalog;
	config: PulseConfig;
	/** Anchors named cadences and the "as of" date. */
	timeZone: string;
	log: Logger;
	/** A connector for a named ERP source (monitors with target.source); absent: only the warehouse. */
	connectorFor?: (source: string) => SourceConnector;
	/** The metric catalog metric-target monitors read; absent: only SQL monitors run. */
	catalog?: MetricCatalog;
}

/** Named SQL the engine uses; main.ts checks them at start-up. */
export const PULSE_SQL = [
	"pulse/alert-with-chart",
	"pulse/alert-chart-save",
	"pulse/monitor-insert",
	"pulse/monitor-update",
	"pulse/version-insert",
	"pulse/versions-list",
	"pulse/monitor-find",
	"pulse/monitor-lock",
	"pulse/monitor-try-lock",
	"pulse/monitors-by-id",
	"pulse/monitor-list",
	"pulse/monitor-after-run",
	"pulse/monitor-pause",
	"pulse/monitor-counters",
	"pulse/run-log-insert",
	"pulse/run-log-exists",
	"pulse/run-log-skip",
	"pulse/runs-recent",
	"pulse/tuning-history",
	"pulse/alert-insert",
	"pulse/alert-update",
	"pulse/alert-lock",
	"pulse/alert-get",
	"pulse/alerts-recent",
	"pulse/delivery-insert",
	"pulse/due-list",
	"pulse/claim",
	"pulse/template-upsert",
	"pulse/template-used",
	"pulse/query-history-insert",
] as const;

/** A monitor or alert that does not exist; not retryable. */
export function notFound(what: string, ref: string): AppError {
	return new AppError("pulse_not_found", `No ${what} "${ref}".`);
}

export { localDate } from "../../calendar.ts";
