/**
 * The statements that manage a session or a transaction rather than read or write data: advisory
 * locks, SET LOCAL, ANALYZE, emptying a table a step rebuilds. Orchestration code calls these
 * (and begin/commit/rollback) and holds no SQL text of its own; see README, "SQL".
 */
import { AppError } from "../errors.ts";
import type { Pool, PoolClient } from "./pool.ts";

type Db = Pick<PoolClient, "query"> | Pick<Pool, "query">;

/** A table or column name written in this code base: lower-case words, never user input. */
function identifier(name: string): string {
	if (!/^[a-z_][a-z0-9_]*$/.test(name))
		throw new AppError(
			"config_invalid",
			`"${name}" is not a table name erp-pulse writes`,
		);
	return name;
}

/** Waits for the session-level advisory lock `key` (a bigint, as text). */
export async function advisoryLock(db: Db, key: bigint): Promise<void> {
	await db.query("select pg_advisory_lock($1)", [key.toString()]);
}

/** Releases it; a broken connection has released it already, so this never throws. */
export async function advisoryUnlock(db: Db, key: bigint): Promise<void> {
	await db
		.query("select pg_advisory_unlock($1)", [key.toString()])
		.catch(() => undefined);
}

/** Waits for the advisory lock `key` until the transaction ends. */
export async function advisoryXactLock(db: Db, key: bigint): Promise<void> {
	await db.query("select pg_advisory_xact_lock($1)", [key.toString()]);
}

/**
 * SET LOCAL for each setting, as bound values (set_config(…, true)), for the rest of the
 * transaction: `{ statement_timeout: 0, jit: "off" }`.
 */
export async function setLocal(
	db: Db,
	settings: Readonly<Record<string, string | number>>,
): Promise<void> {
	for (const [name, value] of Object.entries(settings))
		await db.query("select set_config($1, $2, true)", [
			identifier(name),
			String(value),
		]);
}

/** Refreshes a table's planner statistics (after a bulk write the planner has not seen). */
export async function analyze(db: Db, table: string): Promise<void> {
	await db.query(`analyze ${identifier(table)}`);
}

/** Deletes every row of a table a step rebuilds in the same transaction (readers keep the old rows until commit). */
export async function clearTable(db: Db, table: string): Promise<number> {
	const r = await db.query(`delete from ${identifier(table)}`);
	return r.rowCount ?? 0;
}
