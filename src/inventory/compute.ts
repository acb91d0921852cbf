/**
 * The Stox compute step: warehouse → `analyseMaterial` per material → the eight stox_* tables.
 *
 * One run is one REPEATABLE READ transaction (every batch sees the same warehouse) that empties
 * the stox_* tables and writes them again, so readers see the previous run until it commits and
 * never half a rebuild. Runs are serialised by a session advisory lock. Materials are read,
 * analysed and written `batchSize` at a time: memory holds one batch of daily series plus one
 * small summary record per material for the enterprise roll-up.
 */
import type { Pool, PoolClient } from "pg";
import { advisoryLock, advisoryUnlock, setLocal } from "../db/session.ts";
import { loadSqlCatalog, type SqlCatalog } from "../db/sql-catalog.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { sqlDir } from "../paths.ts";
import type { StoxConfig } from "./config.ts";
import { enterpriseSummary, type ItemSummaryInput } from "./enterprise.ts";
import { intervalZ } from "./forecast/select.ts";
import {
	type AnalysisWindow,
	analysisWindow,
	GATHER_SQL,
	type GatheredMaterial,
	materialBatches,
	prepareMaterials,
} from "./gather.ts";
import { analyseMaterial } from "./material.ts";
import { dayNumber } from "./periods.ts";
import { serviceLevelZ } from "./policy.ts";
import { ACCURACY_REASON, type MaterialRows, materialRows } from "./rows.ts";

/** The per-material tables, in the order they are written, with their SQL and row part. */
const ITEM_TABLES = [
	["stox_lot_size", "stox/write-lot-size", "lotSize"],
	["stox_safety_stock", "stox/write-safety-stock", "safetyStock"],
	["stox_reorder_point", "stox/write-reorder-point", "reorderPoint"],
	["stox_annual_cost", "stox/write-annual-cost", "annualCost"],
	["stox_working_capital", "stox/write-working-capital", "workingCapital"],
	["stox_performance_metrics", "stox/write-performance", "performance"],
] as const;

/** Every named SQL `computeStox` runs; check them at start-up with `SqlCatalog.requireAll`. */
export const STOX_SQL: readonly string[] = [
	...GATHER_SQL,
	"stox/clear",
	...ITEM_TABLES.map(([, sql]) => sql),
	"stox/write-projection",
	"stox/write-enterprise",
];

/** Any fixed 64-bit number, distinct from the other advisory locks (migrations use …004_112). */
const STOX_LOCK_KEY = 7_236_189_004_113n;

/** What `computeStox` needs. */
export interface ComputeStoxOptions {
	/** The validated `stox` config block. */
	config: StoxConfig;
	/** YYYY-MM-DD; data on or after it is ignored. Default: the day after the latest posting. */
	analysisDate?: string;
	log: Logger;
	/** Named SQL; default: loaded from the project's sql/ folder. */
	sql?: SqlCatalog;
	/** Materials per batch (default 500). */
	batchSize?: number;
	signal?: AbortSignal;
}

/** What one run wrote. */
export interface ComputeStoxResult {
	/** Rows written per stox_* table. */
	tables: Record<string, number>;
	materials: number;
	ms: number;
	analysisDate: string;
	windowStart: string;
}

/** Bad config must fail before anything is written: service levels and the interval level. */
function checkConfig(config: StoxConfig): void {
	for (const [k, level] of Object.entries(config.serviceLevels))
		serviceLevelZ(level, `stox.serviceLevels.${k}`);
	intervalZ(config.projection.intervalLevel, "stox.projection.intervalLevel");
}

function checkDate(date: string | undefined): void {
	if (date === undefined) return;
	try {
		dayNumber(date);
	} catch {
		throw new AppError(
			"usage",
			`analysis date must be a real date YYYY-MM-DD, got "${date}"`,
		);
	}
}

async function writeColumns(
	client: PoolClient,
	text: string,
	rows: readonly (readonly unknown[])[],
	extra: readonly unknown[] = [],
): Promise<number> {
	const width = rows[0]?.length ?? 0;
	if (width === 0) return 0;
	const columns = Array.from({ length: width }, (_, i) =>
		rows.map((r) => r[i]),
	);
	await client.query(text, [...columns, ...extra]);
	return rows.length;
}

/** Analyses and writes one batch; returns the summary records of its materials. */
async function writeBatch(
	client: PoolClient,
	sql: SqlCatalog,
	batch: readonly GatheredMaterial[],
	config: StoxConfig,
	window: AnalysisWindow,
	tables: Record<string, number>,
): Promise<ItemSummaryInput[]> {
	const rows: MaterialRows[] = batch.map((m) =>
		materialRows(m, analyseMaterial(m.input, config)),
	);
	for (const [table, name, part] of ITEM_TABLES) {
		const extra =
			part === "lotSize" || part === "reorderPoint"
				? [window.analysisDate]
				: [];
		tables[table] =
			(tables[table] ?? 0) +
			(await writeColumns(
				client,
				sql.get(name),
				rows.map((r) => r[part]),
				extra,
			));
	}
	tables.stox_future_projection =
		(tables.stox_future_projection ?? 0) +
		(await writeColumns(
			client,
			sql.get("stox/write-projection"),
			rows.flatMap((r) => r.projection),
		));
	return rows.map((r) => r.summary);
}

async function writeEnterprise(
	client: PoolClient,
	sql: SqlCatalog,
	items: readonly ItemSummaryInput[],
	window: AnalysisWindow,
): Promise<void> {
	const e = enterpriseSummary(items);
	const cents = (x: number) => Math.round(x * 100) / 100;
	await client.query(sql.get("stox/write-enterprise"), [
		window.analysisDate,
		e.totalSkuCount,
		cents(e.totalInventoryValue),
		e.avgTurnoverRatio,
		cents(e.totalWorkingCapital),
		e.serviceLevelAchievement === null ? null : e.serviceLevelAchievement * 100,
		window.windowDays,
		[e.reason, ACCURACY_REASON].filter(Boolean).join("; "),
	]);
}

/** The body of the run, inside the transaction. */
async function run(
	client: PoolClient,
	sql: SqlCatalog,
	opts: ComputeStoxOptions,
	tables: Record<string, number>,
): Promise<{ materials: number; window: AnalysisWindow }> {
	const window = await analysisWindow(
		client,
		sql,
		opts.config.windowDays,
		opts.analysisDate,
	);
	const materials = await prepareMaterials(client, sql, window);
	opts.log.info({ ...window, materials }, "stox compute: materials listed");
	await client.query(sql.get("stox/clear"));
	const items: ItemSummaryInput[] = [];
	let done = 0;
	const batches = materialBatches(
		client,
		sql,
		window,
		materials,
		opts.batchSize ?? 500,
		opts.signal,
	);
	// The next batch's query goes out before this batch is analysed, so Postgres gathers while
	// the analysis runs; at most two batches are held at once.
	let next = batches.next();
	next.catch(() => undefined);
	for (;;) {
		const { value: batch, done: finished } = await next;
		if (finished) break;
		next = batches.next();
		next.catch(() => undefined);
		items.push(
			...(await writeBatch(client, sql, batch, opts.config, window, tables)),
		);
		done += batch.length;
		opts.log.debug({ done, materials }, "stox compute: batch written");
	}
	await writeEnterprise(client, sql, items, window);
	tables.stox_enterprise_summary = 1;
	return { materials, window };
}

/**
 * Rebuilds the stox_* tables from the warehouse as of the analysis date (default: the day after
 * the latest posting date). Throws `config_invalid` on a bad service level before touching the
 * database; any failure rolls the whole rebuild back.
 */
export async function computeStox(
	pool: Pool,
	opts: ComputeStoxOptions,
): Promise<ComputeStoxResult> {
	const started = performance.now();
	checkConfig(opts.config);
	checkDate(opts.analysisDate);
	const sql = opts.sql ?? loadSqlCatalog(sqlDir);
	sql.requireAll(STOX_SQL);
	const client = await pool.connect();
	const tables: Record<string, number> = {};
	try {
		await advisoryLock(client, STOX_LOCK_KEY);
		try {
			await client.query("begin isolation level repeatable read");
			// Many small per-material lookups: JIT compilation costs more than it saves here.
			await setLocal(client, { jit: "off" });
			const { materials, window } = await run(client, sql, opts, tables);
			await client.query("commit");
			const ms = Math.round(performance.now() - started);
			opts.log.info({ materials, tables, ms }, "stox compute: done");
			return {
				tables,
				materials,
				ms,
				analysisDate: window.analysisDate,
				windowStart: window.windowStart,
			};
		} catch (err) {
			await client.query("rollback").catch(() => undefined);
			throw err;
		} finally {
			await advisoryUnlock(client, STOX_LOCK_KEY);
		}
	} finally {
		client.release();
	}
}
