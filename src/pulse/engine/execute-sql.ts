/**
 * Runs a monitor's SQL safely. `checkMonitorSql` refuses anything but one SELECT first (a
 * clear reason, nothing run); the statement then runs on a connection of its own in a
 * READ ONLY transaction, under the restricted role erp_pulse_monitor (SELECT on the warehouse
 * and derived tables only), with a statement timeout, wrapped in a row cap, sent over the
 * extended protocol (one statement per message, so "select 1; commit; …" cannot smuggle a
 * second statement past the server), and is always rolled back.
 *
 * ERP-source monitors run through the source's connector instead (read-only logins), with a
 * wall-clock cancel and the same row cap.
 */
import type { QueryConfig } from "pg";
import type { Pool, PoolClient } from "../../db/pool.ts";
import { errorMessage, isTransient } from "../../errors.ts";
import type { SourceConnector } from "../../sources/types.ts";
import type { Row } from "../input.ts";
import { checkMonitorSql, wrapWithRowCap } from "../sql-check.ts";

/** The role monitor SQL runs under (created by migrations/008_pulse_engine.sql). */
export const MONITOR_ROLE = "erp_pulse_monitor";

export interface SqlLimits {
	statementTimeoutMs: number;
	rowCap: number;
}

/** Why a monitor query produced no rows to judge. */
export type SqlFailure =
	| "refused"
	| "timeout"
	| "permission"
	| "read_only"
	| "error";

export type SqlOutcome =
	| {
			ok: true;
			rows: Row[];
			/** More rows than the cap came back; `rows` holds the first `rowCap`. */
			capped: boolean;
			durationMs: number;
	  }
	| { ok: false; failure: SqlFailure; reason: string; durationMs: number };

/** When the run is "as of": pulse_now() / pulse_as_of() in the query return these. */
export interface AsOf {
	now: Date;
	/** YYYY-MM-DD in the configured time zone. */
	date: string;
	/** The money unit pulse_currency() returns, so a sentence can say "12,400 USD"; default USD. */
	currency?: string;
}

/** Checks monitor SQL, then runs it against the bot's database under the restricted role. */
export async function runWarehouseSql(
	pool: Pool,
	sql: string,
	limits: SqlLimits,
	asOf: AsOf,
): Promise<SqlOutcome> {
	const checked = checkMonitorSql(sql);
	if (!checked.ok)
		return {
			ok: false,
			failure: "refused",
			reason: checked.reason,
			durationMs: 0,
		};
	return runGuarded(pool, checked.sql, limits, asOf);
}

/**
 * The server-side guards alone, without the pre-check: exported so tests can show each guard
 * holds by itself (a statement the pre-check would refuse is still stopped here).
 */
export async function runGuarded(
	pool: Pool,
	statement: string,
	limits: SqlLimits,
	asOf: AsOf,
): Promise<SqlOutcome> {
	const started = performance.now();
	const ms = () => Math.round(performance.now() - started);
	const timeout = Math.max(1, Math.floor(limits.statementTimeoutMs));
	let client: PoolClient | null = null;
	let broken: unknown;
	try {
		client = await pool.connect();
		await client.query("begin read only");
		await client.query(
			"select set_config('erp_pulse.now', $1, true), set_config('erp_pulse.as_of', $2, true), set_config('erp_pulse.currency', $3, true), set_config('search_path', 'pg_catalog, public', true)",
			[asOf.now.toISOString(), asOf.date, asOf.currency ?? "USD"],
		);
		await client.query(`set local statement_timeout = ${timeout}`);
		await client.query(`set local role ${MONITOR_ROLE}`);
		const result = await client.query(
			extended(wrapWithRowCap(statement, limits.rowCap)),
		);
		const rows = result.rows as Row[];
		const capped = rows.length > limits.rowCap;
		return {
			ok: true,
			rows: capped ? rows.slice(0, limits.rowCap) : rows,
			capped,
			durationMs: ms(),
		};
	} catch (err) {
		// A lost connection (Postgres restarting) is not the monitor's fault: it must not count
		// towards pausing the monitor. Thrown, so the run is retried with its batch.
		if (connectionLost(err)) {
			broken = err;
			throw err;
		}
		return { ok: false, ...classify(err, timeout), durationMs: ms() };
	} finally {
		if (client) {
			await client.query("rollback").catch((err: unknown) => {
				broken = err;
			});
			// Whatever the query managed to leave in the session (advisory locks, settings,
			// prepared statements, temp tables) goes before the connection is reused.
			if (!broken)
				await client.query("discard all").catch((err: unknown) => {
					broken = err;
				});
			// A connection that could not roll back is closed rather than reused.
			client.release(broken instanceof Error ? broken : undefined);
		}
	}
}

/**
 * A query sent with the extended protocol (Parse/Bind/Execute) even without parameters: the
 * server then accepts exactly one statement. pg supports `queryMode`; its typings do not list it.
 */
function extended(text: string): QueryConfig {
	const config: QueryConfig & { queryMode: "extended" } = {
		text,
		values: [],
		queryMode: "extended",
	};
	return config;
}

/** The connection, not the query, failed: retry later rather than blame the monitor. */
function connectionLost(err: unknown): boolean {
	const code = (err as { code?: unknown } | null)?.code;
	return isTransient(err) && code !== "57014";
}

/** Turns a Postgres error into a sentence a monitor owner can act on. */
function classify(
	err: unknown,
	timeoutMs: number,
): { failure: SqlFailure; reason: string } {
	const code = (err as { code?: string }).code;
	const message = errorMessage(err);
	if (code === "57014")
		return {
			failure: "timeout",
			reason: `The query ran longer than the ${timeoutMs} ms statement timeout and was cancelled. Narrow it (a date range, an index-friendly filter) or raise pulse.statementTimeoutMs.`,
		};
	if (code === "42501")
		return {
			failure: "permission",
			reason: `Permission denied: monitor queries may read only the warehouse and derived tables (${message}).`,
		};
	if (code === "25006")
		return {
			failure: "read_only",
			reason: `The query tried to change something in a read-only transaction (${message}).`,
		};
	return { failure: "error", reason: `The query failed: ${message}` };
}

/**
 * Runs checked monitor SQL on an ERP source through its connector (the source's read-only
 * login), cancelling it after the timeout and stopping after the row cap.
 */
export async function runSourceSql(
	connector: SourceConnector,
	sql: string,
	limits: SqlLimits,
): Promise<SqlOutcome> {
	const started = performance.now();
	const ms = () => Math.round(performance.now() - started);
	const checked = checkMonitorSql(sql);
	if (!checked.ok)
		return {
			ok: false,
			failure: "refused",
			reason: checked.reason,
			durationMs: 0,
		};
	const signal = AbortSignal.timeout(limits.statementTimeoutMs);
	const rows: Row[] = [];
	let capped = false;
	try {
		for await (const row of connector.stream(
			{ from: { select: checked.sql } },
			signal,
		)) {
			if (rows.length === limits.rowCap) {
				capped = true;
				break;
			}
			rows.push(row);
		}
		return { ok: true, rows, capped, durationMs: ms() };
	} catch (err) {
		if (signal.aborted)
			return {
				ok: false,
				failure: "timeout",
				reason: `The query ran longer than ${limits.statementTimeoutMs} ms on the source and was cancelled.`,
				durationMs: ms(),
			};
		return {
			ok: false,
			failure: "error",
			reason: `The query failed on the source: ${errorMessage(err)}`,
			durationMs: ms(),
		};
	}
}
