/**
 * The warehouse side of loading an entity, the SQL of it in one place: the staging table, the
 * upsert on the natural key, the days a load changes (for the rollups), the rejects and the
 * watermark an entity's run leaves, and the reads of what loads left (line counts, when each
 * entity last received data, the last posting day). src/ingest/run.ts orchestrates; ./runs.ts
 * keeps the run's own bookkeeping.
 */
import type { PoolClient } from "pg";
import type { RollupChange } from "../metrics/rollups.ts";
import type { EntityDef } from "./entities.ts";
import type { SourceRow } from "./mapping.ts";
import type { Watermark } from "./watermark.ts";

/** Rejects kept verbatim per entity and run; beyond this they are counted and summarised. */
export const REJECTS_KEPT = 10_000;

/** A row an entity rejected (or a record the source could not parse), and why. */
export interface Reject {
	row: SourceRow | { line: number; raw: string };
	reason: string;
}

/** A temp table shaped like the entity's, plus the source order of each row (`ord`), dropped at commit. */
export async function createStage(
	client: PoolClient,
	def: EntityDef,
): Promise<string> {
	const stage = `stage_${def.table}`;
	await client.query(
		`create temp table ${stage} on commit drop as select ${def.columns.join(", ")} from ${def.table} with no data`,
	);
	await client.query(`alter table ${stage} add column ord bigint not null`);
	return stage;
}

/** Stores the entity's watermark after its run; `received` > 0 also stamps when data last came. */
export async function storeWatermark(
	client: PoolClient,
	source: string,
	entity: string,
	watermark: Watermark | null,
	received: number,
): Promise<void> {
	await client.query(
		`insert into ingest_watermarks (source, entity, watermark, last_received_at, updated_at)
		 values ($1, $2, $3, case when $4 > 0 then now() end, now())
		 on conflict (source, entity) do update set watermark = excluded.watermark, updated_at = now(),
		 last_received_at = coalesce(excluded.last_received_at, ingest_watermarks.last_received_at)`,
		[source, entity, watermark === null ? null : String(watermark), received],
	);
}

/** Whether the entity's table holds any row of the source (read under the source's lock). */
export async function holdsRows(
	client: PoolClient,
	def: EntityDef,
	source: string,
): Promise<boolean> {
	const { rows } = await client.query<{ any: boolean }>(
		`select exists (select from ${def.table} where source = $1) as any`,
		[source],
	);
	return rows[0]?.any ?? false;
}

/**
 * What a staged load of order lines changes in the sales rollups: the staged lines' days and, for
 * lines already stored, the day each was on before; and the stored lines the staged keys name (a
 * from-item yielding them as t, for the items' difference). Null (the whole source) on a first load.
 */
export async function rollupChange(
	client: PoolClient,
	def: EntityDef,
	stage: string,
	source: string,
): Promise<RollupChange | null> {
	if (!(await holdsRows(client, def, source))) return null;
	const on = def.key.map((k) => `t.${k} = s.${k}`).join(" and ");
	const { rows } = await client.query<{ days: string[] }>(
		`select coalesce(array_agg(d), '{}')::text[] as days from (
			select posting_date as d from ${stage}
			union
			select t.posting_date from ${stage} s join ${def.table} t on t.source = $1 and ${on}
		) x`,
		[source],
	);
	return {
		days: rows[0]?.days ?? [],
		lines: `(select distinct ${def.key.join(", ")} from ${stage}) s
			join ${def.table} t on t.source = $1 and ${on}`,
	};
}

/** Upserts the staged rows on the natural key, keeping the last occurrence of a duplicated key; counts rows inserted or changed. */
export async function upsert(
	client: PoolClient,
	def: EntityDef,
	stage: string,
	source: string,
	runId: number,
): Promise<number> {
	const cols = def.columns.join(", ");
	const key = def.key.join(", ");
	const changed = def.columns.filter((c) => !def.key.includes(c));
	const set = [
		...changed.map((c) => `${c} = excluded.${c}`),
		"ingest_run_id = excluded.ingest_run_id",
		"loaded_at = excluded.loaded_at",
	];
	// A first load (the table holds nothing of this source; the run holds the source's lock, so
	// nothing else can add any) has no row to conflict with: a plain insert skips the conflict
	// check of every row.
	if (!(await holdsRows(client, def, source))) {
		const inserted = await client.query(
			`insert into ${def.table} (source, ${cols}, ingest_run_id, loaded_at)
			select distinct on (${key}) $1, ${cols}, $2::bigint, now() from ${stage} order by ${key}, ord desc`,
			[source, runId],
		);
		return inserted.rowCount ?? 0;
	}
	const distinct = changed.map((c) => `t.${c}`).join(", ");
	const { rows } = await client.query<{ n: number }>(
		`with up as (
			insert into ${def.table} as t (source, ${cols}, ingest_run_id, loaded_at)
			select distinct on (${key}) $1, ${cols}, $2::bigint, now() from ${stage} order by ${key}, ord desc
			on conflict (source, ${key}) do update set ${set.join(", ")}
			where (${distinct}) is distinct from (${changed.map((c) => `excluded.${c}`).join(", ")})
			returning 1
		) select count(*)::int as n from up`,
		[source, runId],
	);
	return rows[0]?.n ?? 0;
}

export async function insertRejects(
	client: PoolClient,
	runId: number,
	source: string,
	entity: string,
	rejects: Reject[],
	total: number,
): Promise<void> {
	const batch = 1000;
	for (let i = 0; i < rejects.length; i += batch) {
		const part = rejects.slice(i, i + batch);
		await client.query(
			`insert into ingest_rejects (run_id, source, entity, source_row, reason)
			 select $1, $2, $3, r.row, r.reason from jsonb_to_recordset($4::jsonb) as r(row jsonb, reason text)`,
			// jsonb cannot hold a NUL, and the row is kept to be read: show it as ␀ (U+2400).
			[
				runId,
				source,
				entity,
				JSON.stringify(part, (_k, v) =>
					typeof v === "string" ? v.replaceAll("\0", "␀") : v,
				),
			],
		);
	}
	if (total > rejects.length) {
		await client.query(
			"insert into ingest_rejects (run_id, source, entity, source_row, reason) values ($1, $2, $3, null, $4)",
			[
				runId,
				source,
				entity,
				`… and ${total - rejects.length} more rejected rows not kept individually (limit ${REJECTS_KEPT} per entity and run)`,
			],
		);
	}
}

/** How many order lines a source has in the warehouse. */
export async function orderLineCount(
	db: Pick<PoolClient, "query">,
	source: string,
): Promise<number> {
	const { rows } = await db.query<{ n: number }>(
		"select count(*)::int as n from transaction_data where source = $1",
		[source],
	);
	return rows[0]?.n ?? 0;
}

/** When each (source, entity) last received data, from its watermark. */
export async function watermarkTimes(
	db: Pick<PoolClient, "query">,
): Promise<
	{ source: string; entity: string; last_received_at: Date | null }[]
> {
	const { rows } = await db.query<{
		source: string;
		entity: string;
		last_received_at: Date | null;
	}>("select source, entity, last_received_at from ingest_watermarks");
	return rows;
}

/** The last time any entity of any source received data, or null. */
export async function lastReceived(
	db: Pick<PoolClient, "query">,
): Promise<Date | null> {
	const { rows } = await db.query<{ last: Date | null }>(
		"select max(last_received_at) as last from ingest_watermarks",
	);
	return rows[0]?.last ?? null;
}

/** The last posting day with order lines, as YYYY-MM-DD, or null. */
export async function lastPostingDay(
	db: Pick<PoolClient, "query">,
): Promise<string | null> {
	const { rows } = await db.query<{ last: string | null }>(
		"select max(posting_date)::text as last from transaction_data",
	);
	return rows[0]?.last ?? null;
}
