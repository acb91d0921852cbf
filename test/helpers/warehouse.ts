import { parseConfig } from "../../src/config/load.ts";
import type { Pool } from "../../src/db/pool.ts";
import { ENTITIES } from "../../src/ingest/entities.ts";
import type { IngestSource } from "../../src/ingest/run.ts";
import { ingestSource } from "../../src/ingest/sources.ts";

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
