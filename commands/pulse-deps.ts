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

/**
 * True when monitorAdmins is empty or lists the user or one of the user's groups: Slack user and
 * user-group ids as they are, Discord user and role ids as "discord:<id>".
 */
export function mayEditMonitors(ctx: CommandContext): boolean {
	const admins = ctx.config.chat.monitorAdmins;
	if (admins.length === 0) return true;
	const key = (id: string) =>
		ctx.channel.kind === "discord" ? `discord:${id}` : id;
	return [ctx.user.id, ...(ctx.user.groups ?? [])].some((id) =>
		admins.includes(key(id)),
	);
}
