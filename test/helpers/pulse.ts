import { parseConfig } from "../../src/config/load.ts";
import type { PulseConfig } from "../../src/config/schema.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { loadSqlCatalog } from "../../src/db/sql-catalog.ts";
import {
	createMetricCatalog,
	type MetricCatalog,
} from "../../src/metrics/index.ts";
import { migrationsDir, sqlDir } from "../../src/paths.ts";
import type { PulseDeps } from "../../src/pulse/engine/deps.ts";
import { monitorLogin } from "../../src/pulse/engine/monitor-login.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { memoryLogger } from "./log.ts";

/** A migrated test database with the Pulse engine's dependencies built the way main.ts builds them. */
export interface PulseTestEnv {
	db: TestDatabase;
	deps: TestPulseDeps;
	close(): Promise<void>;
}

/** The engine's dependencies as the bot builds them: with the metric catalog. */
export type TestPulseDeps = PulseDeps & { catalog: MetricCatalog };

export async function pulseTestEnv(
	label: string,
	pulse: Partial<PulseConfig> = {},
	timeZone = "UTC",
): Promise<PulseTestEnv> {
	const db = await createTestDatabase(label);
	const { deps, close } = await pulseDepsAt(db.url, pulse, timeZone);
	return {
		db,
		deps,
		close: async () => {
			await close();
			await db.drop();
		},
	};
}

/** The engine's dependencies on a migrated database at `url` (a test's own cluster, say). */
export async function pulseDepsAt(
	url: string,
	pulse: Partial<PulseConfig> = {},
	timeZone = "UTC",
): Promise<{ deps: TestPulseDeps; close(): Promise<void> }> {
	const { log } = memoryLogger();
	const pool: Pool = createPool(url, log, { max: 6 });
	await migrate(pool, migrationsDir, log);
	// As main.ts does: monitor SQL logs in as its own role.
	const login = await monitorLogin(pool, url, { env: {} });
	const monitorPool: Pool = createPool(login.url, log, { max: 3 });
	const { config } = parseConfig("demo: {enabled: false}\n", "test.yaml", {});
	const deps: TestPulseDeps = {
		pool,
		monitorPool,
		sql: loadSqlCatalog(sqlDir),
		config: { ...config.pulse, ...pulse },
		timeZone,
		log,
		catalog: createMetricCatalog({ currency: config.currency }),
	};
	return {
		deps,
		close: async () => {
			await monitorPool.end();
			await pool.end();
		},
	};
}

/** Row count and md5 of a table's rows, to show a statement changed nothing. */
export async function tableChecksum(
	pool: Pool,
	table: string,
): Promise<string> {
	const { rows } = await pool.query<{ n: number; md5: string | null }>(
		`select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as md5 from ${table} t`,
	);
	return `${rows[0]?.n}:${rows[0]?.md5 ?? ""}`;
}

/**
 * Every table of the public schema (rows and their md5) and every sequence's position: equal
 * before and after exactly when nothing was written.
 */
export async function databaseChecksum(
	pool: Pool,
): Promise<Record<string, string>> {
	const tables = await pool.query<{ name: string }>(
		"select quote_ident(tablename) as name from pg_tables where schemaname = 'public' order by 1",
	);
	const out: Record<string, string> = {};
	for (const { name } of tables.rows)
		out[name] = await tableChecksum(pool, name);
	const seqs = await pool.query<{ v: string | null }>(
		"select string_agg(format('%s:%s', sequencename, last_value), ',' order by sequencename) as v from pg_sequences where schemaname = 'public'",
	);
	out["(sequences)"] = seqs.rows[0]?.v ?? "";
	return out;
}
