import path from "node:path";
import {
	type ComputeRun,
	computeSql,
	runCompute,
} from "../../src/analytics/compute/run.ts";
import { parseConfig } from "../../src/config/load.ts";
import type { Pool } from "../../src/db/pool.ts";
import { loadSqlCatalog } from "../../src/db/sql-catalog.ts";
import { ENTITIES } from "../../src/ingest/entities.ts";
import { type IngestSource, runIngest } from "../../src/ingest/run.ts";
import { ingestSource } from "../../src/ingest/sources.ts";
import { computeStox, STOX_SQL } from "../../src/inventory/compute.ts";
import type { StoxConfig } from "../../src/inventory/config.ts";
import type { Logger } from "../../src/log.ts";
import { sqlDir } from "../../src/paths.ts";
import { ONLINE_RETAIL } from "./datasets.ts";

/** An IngestSource built the way the bot builds one: from config text (YAML), through the real connector. */
export function sourceFrom(
	yaml: string,
	name = "erp",
	env: NodeJS.ProcessEnv = {},
): IngestSource {
	const { config } = parseConfig(
		`demo: {enabled: false}\nsources:\n  ${name}:\n${yaml.replace(/^/gm, "    ")}\n`,
		"test.yaml",
		env,
	);
	return ingestSource(config, name, env);
}

/** UCI Online Retail (the file in the repository) as the source "retail", with its mapping. */
export function onlineRetailSource(): IngestSource {
	return sourceFrom(
		`connection: {kind: csv, path: ${path.dirname(ONLINE_RETAIL)}}\nmapping: online-retail`,
		"retail",
	);
}

/**
 * Row count and an md5 over every canonical column of every warehouse table ingest writes,
 * in natural-key order — everything but the source name and the run bookkeeping — so two
 * warehouses compare equal exactly when they hold the same data.
 */
export async function warehouseChecksums(
	pool: Pool,
): Promise<Record<string, { rows: number; md5: string }>> {
	const out: Record<string, { rows: number; md5: string }> = {};
	for (const e of Object.values(ENTITIES)) {
		const cols = e.columns.join(", ");
		const { rows } = await pool.query<{ rows: number; md5: string }>(
			`select count(*)::int as rows, coalesce(md5(string_agg(row(${cols})::text, '|' order by ${e.key.join(", ")})), '') as md5 from ${e.table}`,
		);
		out[e.table] = rows[0] ?? { rows: 0, md5: "" };
	}
	return out;
}

/**
 * Loads a demo ERP file (src/demo) into a migrated warehouse through the real connector and
 * ingest, then rebuilds the derived tables as the compute job does after an ingest: the
 * analytics steps, and the inventory step when `stox` is given. Returns the compute run.
 */
export async function loadDemoWarehouse(
	pool: Pool,
	erpFile: string,
	opts: { log: Logger; stox?: StoxConfig },
): Promise<ComputeRun> {
	await runIngest(
		pool,
		sourceFrom(
			`connection: {kind: sqlite, file: ${erpFile}}\nmapping: demo-erp`,
		),
		{ log: opts.log },
	);
	const sql = loadSqlCatalog(sqlDir);
	sql.requireAll([...computeSql(), ...STOX_SQL]);
	const run = await runCompute(pool, sql, {
		trigger: "test",
		wait: true,
		log: opts.log,
	});
	if (run.status !== "succeeded")
		throw new Error(`compute did not run: ${run.reason}`);
	if (opts.stox)
		await computeStox(pool, { config: opts.stox, log: opts.log, sql });
	return run;
}
