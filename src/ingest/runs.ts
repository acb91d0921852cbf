/**
 * An ingest run's bookkeeping, the SQL of it in one place: the source's lock, the ingest_runs row
 * (opened and committed at once so it shows while the run goes on; finished or failed at the end),
 * the stored watermarks, and the statistics refreshed after a run. src/ingest/run.ts orchestrates;
 * this module and the loaders hold the statements.
 */
import type { PoolClient } from "pg";
import type { Pool } from "../db/pool.ts";
import { analyze } from "../db/session.ts";
import { AppError, errorMessage } from "../errors.ts";
import type { Logger } from "../log.ts";
import { ROLLUP_TABLES } from "../metrics/rollups.ts";
import { ENTITIES, ENTITY_NAMES, type EntityDef } from "./entities.ts";
import type { IngestResult, IngestSource } from "./run.ts";
import { isWatermark, parseWatermark, type Watermark } from "./watermark.ts";

/**
 * ANALYZE the tables the run added rows to. Compute runs right after an ingest, before autovacuum
 * has looked at a freshly loaded table; without statistics the planner takes a million new lines
 * for a few hundred and sorts where it should hash (measured: an active-customers series at 1M
 * lines, 1.38 s before, 0.57 s after). The data are committed already, so a failure here is
 * logged, not raised.
 */
export async function refreshStatistics(
	client: PoolClient,
	source: IngestSource,
	result: IngestResult,
	log: Logger,
): Promise<void> {
	const tables = ENTITY_NAMES.flatMap((name) =>
		result.entities[name]?.loaded ? [ENTITIES[name].table] : [],
	);
	// The rollups change with the order lines (maintainRollups): their joins to customer_master
	// need statistics as much (a segment breakdown nested-looped over an unanalyzed rollup, 10x).
	if (result.entities.order_lines?.loaded) tables.push(...ROLLUP_TABLES);
	for (const table of tables) {
		await analyze(client, table).catch((err: unknown) =>
			log.warn(
				{ source: source.name, table, err: errorMessage(err) },
				"could not refresh the table's statistics; autovacuum will",
			),
		);
	}
}

function watermarks(r: IngestResult): [string, string] {
	const pick = (k: "watermarkBefore" | "watermarkAfter") =>
		JSON.stringify(
			Object.fromEntries(
				Object.entries(r.entities).map(([e, x]) => [e, x?.[k] ?? null]),
			),
		);
	return [pick("watermarkBefore"), pick("watermarkAfter")];
}

export async function lockSource(
	client: PoolClient,
	source: string,
): Promise<void> {
	const { rows } = await client.query<{ ok: boolean }>(
		"select pg_try_advisory_lock(hashtext('erp-pulse:ingest:' || $1)) as ok",
		[source],
	);
	if (!rows[0]?.ok) {
		throw new AppError(
			"ingest_busy",
			`An ingest of source "${source}" is already running; this one will retry.`,
			{ retryable: true },
		);
	}
}

/** Records the run (committed at once, so it is visible while it runs) and closes runs a dead process left open. */
export async function openRun(
	client: PoolClient,
	source: IngestSource,
	full: boolean,
): Promise<number> {
	await client.query(
		`update ingest_runs set status = 'failed', finished_at = now(),
		 error = 'interrupted: the process stopped before the run finished; its changes were rolled back'
		 where source = $1 and status = 'running'`,
		[source.name],
	);
	await client.query(
		`insert into ingest_sources (name, kind) values ($1, $2)
		 on conflict (name) do update set kind = excluded.kind, updated_at = now()`,
		[source.name, source.kind],
	);
	const { rows } = await client.query<{ id: number }>(
		"insert into ingest_runs (source, status, full_load) values ($1, 'running', $2) returning id",
		[source.name, full],
	);
	return rows[0]?.id ?? 0;
}

export async function storedWatermark(
	client: PoolClient,
	source: IngestSource,
	def: EntityDef,
	full: boolean,
): Promise<Watermark | null> {
	const { rows: wm } = await client.query<{ watermark: string | null }>(
		"select watermark from ingest_watermarks where source = $1 and entity = $2",
		[source.name, def.name],
	);
	const stored = wm[0]?.watermark ?? null;
	const before = parseWatermark(stored);
	if (before !== null && !isWatermark(before) && !full)
		throw new AppError(
			"ingest_watermark_invalid",
			`Source "${source.name}", ${def.name}: the stored watermark ${JSON.stringify(stored)} is not a date, date-time or number (an earlier version wrote dates without seconds that way), so it cannot say which rows are new. Fix: run erp-pulse ingest ${source.name} --full once; it re-reads everything and stores a correct watermark.`,
		);
	return before;
}

/** Marks the run succeeded with its figures; in the run's transaction, so it commits with the data. */
export async function finishRun(
	client: PoolClient,
	runId: number,
	result: IngestResult,
): Promise<void> {
	await client.query(
		`update ingest_runs set status = 'succeeded', finished_at = now(), rows_read = $2, rows_loaded = $3,
		 rows_rejected = $4, duration_ms = $5, entities = $6, watermark_before = $7, watermark_after = $8 where id = $1`,
		[
			runId,
			result.read,
			result.loaded,
			result.rejected,
			result.ms,
			JSON.stringify(result.entities),
			...watermarks(result),
		],
	);
}

/** Marks the run failed with the error, after its transaction rolled back. */
export async function failRun(
	client: PoolClient,
	runId: number,
	ms: number,
	err: unknown,
): Promise<void> {
	await client.query(
		"update ingest_runs set status = 'failed', finished_at = now(), duration_ms = $2, error = $3 where id = $1",
		[runId, Math.round(ms), errorMessage(err)],
	);
}

/** Lets go of the source's lock (every advisory lock the session holds). */
export async function releaseSourceLocks(client: PoolClient): Promise<void> {
	await client.query("select pg_advisory_unlock_all()");
}

/** The sources with at least one successful ingest. */
export async function sourcesLoaded(
	pool: Pick<Pool, "query">,
): Promise<Set<string>> {
	const { rows } = await pool.query<{ source: string }>(
		"select distinct source from ingest_runs where status = 'succeeded'",
	);
	return new Set(rows.map((r) => r.source));
}
