import pg from "pg";
import { AppError, errorMessage } from "../errors.ts";
import type { Logger } from "../log.ts";

// Postgres `numeric` and `bigint` come back as strings by default; keep money exact (string) but
// give counts as numbers where they fit. int8 → number is safe for row counts below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** Shows a connection URL without its password. */
export function redactUrl(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = "***";
		return u.toString();
	} catch {
		return "(unparseable connection URL)";
	}
}

export interface PoolOptions {
	max?: number;
	statementTimeoutMs?: number;
	applicationName?: string;
}

/** A pg Pool whose idle-client errors are logged instead of crashing the process. */
export function createPool(
	url: string,
	log: Logger,
	opts: PoolOptions = {},
): Pool {
	const pool = new pg.Pool({
		connectionString: url,
		max: opts.max ?? 10,
		application_name: opts.applicationName ?? "erp-pulse",
		connectionTimeoutMillis: 10_000,
		...(opts.statementTimeoutMs
			? { statement_timeout: opts.statementTimeoutMs }
			: {}),
	});
	// A client can also fail while checked out (Postgres shutting down under a long job). pg then
	// emits "error" on the client itself, which crashes the process when nobody listens; the
	// query in flight still fails and its caller handles that.
	pool.on("connect", (client) => {
		client.on("error", (err) =>
			log.debug({ err: errorMessage(err) }, "Postgres client failed"),
		);
	});
	pool.on("error", (err) =>
		log.warn(
			{ err: errorMessage(err) },
			"idle Postgres client failed; it will be replaced",
		),
	);
	return pool;
}

/** Checks the database answers; on failure says where we tried to connect and how to fix it. */
export async function assertReachable(pool: Pool, url: string): Promise<void> {
	try {
		await pool.query("select 1");
	} catch (err) {
		throw new AppError(
			"db_unreachable",
			`Cannot reach Postgres at ${redactUrl(url)}: ${errorMessage(err)}. Fix: start Postgres or correct DATABASE_URL / database.url; unset both to use the embedded Postgres.`,
			{ retryable: true, cause: err },
		);
	}
}
