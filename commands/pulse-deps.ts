/** The Pulse engine's dependencies for a chat command, built from its context as main.ts builds them. */
import { loadSqlCatalog, type SqlCatalog } from "../src/db/sql-catalog.ts";
import { connectorFor } from "../src/ingest/sources.ts";
import { createMetricCatalog } from "../src/metrics/index.ts";
import { pulseTemplatesDir, sqlDir } from "../src/paths.ts";
import type { PulseDeps } from "../src/pulse/engine/deps.ts";
import {
	loadTemplates,
	type MonitorTemplate,
} from "../src/pulse/engine/templates.ts";
import type { CommandContext } from "./types.ts";

let sql: SqlCatalog | undefined;

export function pulseDepsFrom(ctx: CommandContext): {
	deps: PulseDeps;
	templates: MonitorTemplate[];
} {
	sql ??= loadSqlCatalog(sqlDir);
	const catalog = createMetricCatalog({ currency: ctx.config.currency });
	const deps: PulseDeps = {
		pool: ctx.pool,
		monitorPool: ctx.pool,
		sql,
		config: ctx.config.pulse,
		timeZone: ctx.config.timeZone,
		log: ctx.log,
		catalog,
		connectorFor: (s) => connectorFor(ctx.config, s),
	};
	return { deps, templates: loadTemplates(pulseTemplatesDir, catalog) };
}

/** True when monitorAdmins is empty or lists the user or one of the user's groups. */
export function mayEditMonitors(ctx: CommandContext): boolean {
	const admins = ctx.config.chat.monitorAdmins;
	if (admins.length === 0) return true;
	return (
		admins.includes(ctx.user.id) ||
		(ctx.user.groups ?? []).some((g) => admins.includes(g))
	);
}
