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

/** Who holds a pool's connections: the code that asked for each one, and for how long. */
export interface PoolHolder {
	state: "connecting" | "checked out";
	/** The first frames of the caller's stack outside pg and this file. */
	where: string;
	ms: number;
}

const HOLDERS = new WeakMap<pg.Pool, () => PoolHolder[]>();

/**
 * The connections of a pool made by createPool that are being opened or are checked out, each
 * with the code that asked for it: what a shutdown that waits on the pool names in its log.
 */
export function poolHolders(pool: Pool): PoolHolder[] {
	return HOLDERS.get(pool)?.() ?? [];
}

/**
 * The caller's frames, outside pg and this file: where a connection was asked for. Read from an
 * Error made when it was asked for; V8 formats the stack only here, when someone looks.
 */
function callerFrames(asked: Error): string {
	const frames = (asked.stack ?? "").split("\n").slice(1);
	return frames
		.map((f) => f.trim().replace(/^at /, ""))
		.filter((f) => !f.includes("node_modules") && !f.includes("db/pool.ts"))
		.slice(0, 3)
		.join(" < ");
}

/**
 * Keeps, for each connection asked of the pool (`connect`, and `query`, which connects), where it
 * was asked for, until it is released; pool.query and pool.connect behave as before.
 */
function trackHolders(pool: pg.Pool): void {
	const held = new Map<object, { asked: Error; since: number }>();
	const connecting = new Set<{ asked: Error; since: number }>();
	const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
	const track = (asked: Error) => {
		const pending = { asked, since: Date.now() };
		connecting.add(pending);
		return (client: unknown) => {
			connecting.delete(pending);
			if (client) held.set(client as object, pending);
		};
	};
	(pool as unknown as { connect: unknown }).connect = (...args: unknown[]) => {
		const done = track(new Error("connection asked for"));
		const cb = args[0];
		if (typeof cb === "function")
			return connect((err: unknown, client: unknown, release: unknown) => {
				done(err ? undefined : client);
				return cb(err, client, release);
			});
		return (connect() as Promise<object>).then(
			(client) => {
				done(client);
				return client;
			},
			(err: unknown) => {
				done(undefined);
				throw err;
			},
		);
	};
	pool.on("release", (_err, client) => held.delete(client));
	pool.on("remove", (client) => held.delete(client));
	HOLDERS.set(pool, () => {
		const now = Date.now();
		return [
			...[...connecting].map((h) => ({
				state: "connecting" as const,
				where: callerFrames(h.asked),
				ms: now - h.since,
			})),
			...[...held.values()].map((h) => ({
				state: "checked out" as const,
				where: callerFrames(h.asked),
				ms: now - h.since,
			})),
		];
	});
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
	trackHolders(pool);
	return pool;
}

/**
 * Runs `fn` in one transaction on a client of its own: committed when `fn` resolves, rolled back
 * when it throws. `begin` may carry a mode ("begin read only"), and `settings` are applied with
 * SET LOCAL first (static text written in this code base, never user input).
 */
export async function inTransaction<T>(
	pool: Pool,
	fn: (client: PoolClient) => Promise<T>,
	opts: { begin?: string; settings?: readonly string[] } = {},
): Promise<T> {
	const client = await pool.connect();
	try {
		await client.query(opts.begin ?? "begin");
		for (const setting of opts.settings ?? [])
			await client.query(`set local ${setting}`);
		const out = await fn(client);
		await client.query("commit");
		return out;
	} catch (err) {
		await client.query("rollback").catch(() => {});
		throw err;
	} finally {
		client.release();
	}
}

/** One round trip: resolves when the database answers. */
export async function ping(pool: Pick<Pool, "query">): Promise<void> {
	await pool.query("select 1");
}

/** Checks the database answers; on failure says where we tried to connect and how to fix it. */
export async function assertReachable(pool: Pool, url: string): Promise<void> {
	try {
		await ping(pool);
	} catch (err) {
		throw new AppError(
			"db_unreachable",
			`Cannot reach Postgres at ${redactUrl(url)}: ${errorMessage(err)}. Fix: start Postgres or correct DATABASE_URL / database.url; unset both to use the embedded Postgres.`,
			{ retryable: true, cause: err },
		);
	}
}
