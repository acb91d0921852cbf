/**
 * Monitor storage: create, edit, read, list and roll back. Every definition is validated with
 * the core's schema (a bad field is named); every edit of the SQL, target or condition adds a
 * pulse_query_versions row with its reason, and `rollbackMonitor` restores an old version as a
 * new one, so history is never rewritten.
 */
import type { z } from "zod";
import { channelRef } from "../../config/schema.ts";
import { inTransaction, type Pool, type PoolClient } from "../../db/pool.ts";
import { AppError } from "../../errors.ts";
import type { MetricCatalog } from "../../metrics/index.ts";
import { canonicalJson } from "../fingerprint.ts";
import { type Monitor, type monitorSchema, parseMonitor } from "../model.ts";
import { checkMonitorSql } from "../sql-check.ts";
import { notFound, type PulseDeps } from "./deps.ts";
import { resolveTarget } from "./metric-input.ts";
import { type MonitorRow, monitorColumns, monitorFromRow } from "./records.ts";

/** A monitor definition as a user or template writes it (defaults not yet applied). */
export type MonitorDefinition = z.input<typeof monitorSchema>;

/** Who made a monitor and from what. */
export interface MonitorOrigin {
	userId?: string | null;
	description?: string | null;
	naturalLanguageQuery?: string | null;
	templateName?: string | null;
	templateParams?: Record<string, unknown> | null;
}

/** A stored monitor: its row and, when the row still validates, its definition. */
export interface StoredMonitor {
	row: MonitorRow;
	monitor: Monitor | null;
	/** Why the stored row no longer validates (hand-edited); empty when it does. */
	problems: string[];
}

/** One pulse_query_versions row. */
export interface MonitorVersion {
	version: number;
	sql_query: string | null;
	alert_condition: unknown;
	target: Record<string, unknown> | null;
	change_reason: string | null;
	created_at: Date;
}

/**
 * Validates a definition; throws pulse_invalid naming each bad field. With a catalog, a metric
 * target is resolved (synonyms, "did you mean …") and stored under the metric's id.
 */
export function validateMonitor(
	input: unknown,
	catalog?: MetricCatalog,
): Monitor {
	const parsed = parseMonitor(input);
	const problems = parsed.ok ? [] : [...parsed.problems];
	if (parsed.ok) {
		const m = parsed.value;
		if (!("sql" in m.target) && catalog) {
			const r = resolveTarget(catalog, m.target);
			if ("error" in r) problems.push(`target.metric: ${r.error}`);
			else
				m.target = {
					metric: r.metric.id,
					...(m.target.grain ? { grain: m.target.grain } : {}),
					...(r.filter ? { filter: r.filter } : {}),
				};
		}
		m.channels.forEach((c, i) => {
			const r = channelRef.safeParse(c);
			if (!r.success)
				problems.push(
					`channels.${i}: ${r.error.issues[0]?.message}; got ${JSON.stringify(c)}`,
				);
		});
		if ("sql" in m.target) {
			const checked = checkMonitorSql(m.target.sql);
			if (!checked.ok) problems.push(`target.sql: ${checked.reason}`);
		}
	}
	if (problems.length > 0 || !parsed.ok)
		throw new AppError(
			"pulse_invalid",
			`The monitor is not valid:\n  - ${problems.join("\n  - ")}`,
		);
	return parsed.value;
}

function stored(row: MonitorRow): StoredMonitor {
	const parsed = monitorFromRow(row);
	return parsed.ok
		? { row, monitor: parsed.value, problems: [] }
		: { row, monitor: null, problems: parsed.problems };
}

async function addVersion(
	client: PoolClient,
	deps: PulseDeps,
	row: MonitorRow,
	reason: string,
): Promise<void> {
	await client.query(deps.sql.get("pulse/version-insert"), [
		row.id,
		row.query_version,
		row.sql_query,
		JSON.stringify(row.alert_condition),
		JSON.stringify(row.target),
		reason,
	]);
}

/** Stores a new monitor (version 1); it runs at the next scheduler tick. */
export async function createMonitor(
	deps: PulseDeps,
	definition: MonitorDefinition,
	origin: MonitorOrigin = {},
	reason = "created",
): Promise<StoredMonitor> {
	const monitor = validateMonitor(definition, deps.catalog);
	return inTransaction(deps.pool, async (client) => {
		const { rows } = await client.query<MonitorRow>(
			deps.sql.get("pulse/monitor-insert"),
			[
				...monitorColumns(monitor),
				origin.userId ?? null,
				origin.description ?? null,
				origin.naturalLanguageQuery ?? null,
				origin.templateName ?? null,
				origin.templateParams ? JSON.stringify(origin.templateParams) : null,
				"sql" in monitor.target ? "postgresql" : "metric",
			],
		);
		const row = rows[0] as MonitorRow;
		await addVersion(client, deps, row, reason);
		return stored(row);
	});
}

/** Finds a monitor by id or by its (unique) name. */
export async function findMonitor(
	deps: PulseDeps,
	ref: string,
	client: Pool | PoolClient = deps.pool,
): Promise<StoredMonitor> {
	const { rows } = await client.query<MonitorRow>(
		deps.sql.get("pulse/monitor-find"),
		[ref],
	);
	if (rows.length > 1)
		throw new AppError(
			"usage",
			`More than one monitor is called "${ref}"; use its id (${rows.map((r) => r.id).join(", ")}).`,
		);
	const row = rows[0];
	if (!row) throw notFound("monitor", ref);
	return stored(row);
}

/** Every monitor, with its number of open alerts. */
export async function listMonitors(
	deps: PulseDeps,
): Promise<(StoredMonitor & { openAlerts: number })[]> {
	const { rows } = await deps.pool.query<MonitorRow & { open_alerts: number }>(
		deps.sql.get("pulse/monitor-list"),
	);
	return rows.map((r) => ({ ...stored(r), openAlerts: Number(r.open_alerts) }));
}

/** The SQL / target / condition part of a definition, to tell a versioned edit from a settings edit. */
function versioned(m: Monitor): string {
	return canonicalJson({ target: m.target, condition: m.condition });
}

/**
 * Applies an edit (fields replace the current ones; `target` and `condition` replace whole).
 * An edit of the SQL, target or condition adds a version with `reason`; a settings edit does not.
 */
export async function updateMonitor(
	deps: PulseDeps,
	ref: string,
	edit: Partial<MonitorDefinition>,
	reason: string,
): Promise<StoredMonitor> {
	const found = await findMonitor(deps, ref);
	return inTransaction(deps.pool, async (client) => {
		const { rows } = await client.query<MonitorRow>(
			deps.sql.get("pulse/monitor-lock"),
			[found.row.id],
		);
		const current = stored(rows[0] as MonitorRow);
		const base = current.monitor ?? {};
		const next = validateMonitor({ ...base, ...edit }, deps.catalog);
		const changed =
			!current.monitor || versioned(current.monitor) !== versioned(next);
		const version = current.row.query_version + (changed ? 1 : 0);
		const [name, ...rest] = monitorColumns(next);
		const updated = await client.query<MonitorRow>(
			deps.sql.get("pulse/monitor-update"),
			[current.row.id, name, ...rest, version],
		);
		const row = updated.rows[0] as MonitorRow;
		if (changed) await addVersion(client, deps, row, reason);
		return stored(row);
	});
}

/** Every version of a monitor, oldest first. */
export async function listVersions(
	deps: PulseDeps,
	ref: string,
): Promise<MonitorVersion[]> {
	const found = await findMonitor(deps, ref);
	const { rows } = await deps.pool.query<MonitorVersion>(
		deps.sql.get("pulse/versions-list"),
		[found.row.id],
	);
	return rows;
}

/** Restores the SQL, target and condition of `version` as a new version. */
export async function rollbackMonitor(
	deps: PulseDeps,
	ref: string,
	version: number,
): Promise<StoredMonitor> {
	const versions = await listVersions(deps, ref);
	const old = versions.find((v) => v.version === version);
	if (!old)
		throw new AppError(
			"usage",
			`Monitor "${ref}" has no version ${version}; it has ${versions.map((v) => v.version).join(", ")}.`,
		);
	const target = old.sql_query
		? { ...(old.target ?? {}), sql: old.sql_query }
		: old.target;
	return updateMonitor(
		deps,
		ref,
		{ target, condition: old.alert_condition } as Partial<MonitorDefinition>,
		`rollback to version ${version}`,
	);
}

/** An enabled, unpaused monitor with the last tick accounted for (claimed or logged). */
export interface ScheduledMonitorRow {
	id: string;
	name: string;
	frequency: string;
	time_zone: string | null;
	created_at: Date;
	last_tick: Date | null;
}

/** The monitors the scheduler should be running, for the liveness check. */
export async function scheduledMonitors(
	pool: Pick<Pool, "query">,
): Promise<ScheduledMonitorRow[]> {
	const { rows } = await pool.query<ScheduledMonitorRow>(
		`select m.id, m.name, m.frequency, m.time_zone, m.created_at,
       greatest(m.last_tick, (select max(l.scheduled_for) from pulse_execution_log l where l.monitor_id = m.id)) as last_tick
  from pulse_monitors m
 where m.enabled and m.paused_reason is null`,
	);
	return rows;
}

/** The last day's ticks before `now` by outcome, skips by the first word of their reason. */
export async function tickOutcomes(
	pool: Pick<Pool, "query">,
	now: Date,
): Promise<{ outcome: string; reason: string | null; n: number }[]> {
	const { rows } = await pool.query<{
		outcome: string;
		reason: string | null;
		n: number;
	}>(
		`select outcome, case when outcome = 'skipped' then split_part(skip_reason, ':', 1) end as reason, count(*)::int as n
  from pulse_execution_log
 where executed_at > $1::timestamptz - interval '1 day'
 group by 1, 2`,
		[now],
	);
	return rows;
}
