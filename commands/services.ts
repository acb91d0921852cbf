/**
 * What every command runs against besides the invocation: the bot's pool and config and the
 * services built from them. A composition root (src/main.ts, the CLI's `chat`) builds them once
 * with `commandServices` and hands them to the command handler; before, the metric catalog, the
 * SQL catalog, the query library and the Pulse templates were rebuilt (the templates re-read from
 * disk) on every command that used them. A test can hand a command its own.
 */
import path from "node:path";
import type { ChartRenderer } from "../src/charts/index.ts";
import type { Config } from "../src/config/schema.ts";
import type { Pool } from "../src/db/pool.ts";
import { loadSqlCatalog, type SqlCatalog } from "../src/db/sql-catalog.ts";
import { connectorFor } from "../src/ingest/sources.ts";
import { loadQueryLibrary, type QueryLibrary } from "../src/library/library.ts";
import type { Logger } from "../src/log.ts";
import {
	createMetricCatalog,
	type MetricCatalog,
} from "../src/metrics/index.ts";
import { pulseTemplatesDir, sqlDir } from "../src/paths.ts";
import type { PulseDeps } from "../src/pulse/engine/deps.ts";
import {
	loadTemplates,
	type MonitorTemplate,
} from "../src/pulse/engine/templates.ts";

export interface CommandServices {
	pool: Pool;
	config: Config;
	/** The bot's shared chart renderer (one worker, fonts parsed once); absent: one per chart. */
	charts?: ChartRenderer;
	/** The metric catalog (the config's currency). */
	catalog: MetricCatalog;
	/** The named SQL under sql/. */
	sql: SqlCatalog;
	/** The saved queries under sql/library (`/query`). */
	library: QueryLibrary;
	/** The Pulse engine as the bot runs it: monitor SQL on the monitors' own pool and login. */
	pulse: PulseDeps;
	/** The monitor templates under templates/pulse, checked against the catalog. */
	templates: readonly MonitorTemplate[];
}

/**
 * Builds the services once. A root that already holds some passes them in (main.ts: its SQL
 * catalog and its Pulse engine, whose catalog the commands then share); the rest are built here.
 */
export function commandServices(o: {
	pool: Pool;
	config: Config;
	log: Logger;
	charts?: ChartRenderer;
	sql?: SqlCatalog;
	pulse?: PulseDeps;
	templates?: readonly MonitorTemplate[];
}): CommandServices {
	const { pool, config } = o;
	const sql = o.sql ?? o.pulse?.sql ?? loadSqlCatalog(sqlDir);
	const catalog =
		o.pulse?.catalog ?? createMetricCatalog({ currency: config.currency });
	const pulse: PulseDeps = o.pulse ?? {
		pool,
		monitorPool: pool,
		sql,
		config: config.pulse,
		timeZone: config.timeZone,
		log: o.log,
		catalog,
		connectorFor: (s) => connectorFor(config, s),
	};
	return {
		pool,
		config,
		...(o.charts ? { charts: o.charts } : {}),
		catalog,
		sql,
		library: loadQueryLibrary(path.join(sqlDir, "library")),
		pulse: { ...pulse, catalog },
		templates: o.templates ?? loadTemplates(pulseTemplatesDir, catalog),
	};
}
