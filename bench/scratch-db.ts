/**
 * A scratch database for a bench run: created under the admin URL, handed to `fn` as a pool,
 * dropped afterwards whatever happens (force: a bench may leave connections behind on failure).
 */
import pg from "pg";
import { migrate } from "../src/db/migrate.ts";
import { createPool, type Pool } from "../src/db/pool.ts";
import type { Logger } from "../src/log.ts";
import { migrationsDir } from "../src/paths.ts";

async function withAdmin<T>(
	url: string,
	fn: (c: pg.Client) => Promise<T>,
): Promise<T> {
	const c = new pg.Client({ connectionString: url });
	await c.connect();
	try {
		return await fn(c);
	} finally {
		await c.end();
	}
}

/** Runs `fn` on a fresh, migrated database `name` (a trusted identifier), then drops it. */
export async function withScratchDatabase<T>(
	adminUrl: string,
	name: string,
	opts: { log: Logger; poolSize: number },
	fn: (pool: Pool) => Promise<T>,
): Promise<T> {
	await withAdmin(adminUrl, (c) => c.query(`create database ${name}`));
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	const pool = createPool(url.toString(), opts.log, { max: opts.poolSize });
	try {
		await migrate(pool, migrationsDir, opts.log);
		return await fn(pool);
	} finally {
		await pool.end();
		await withAdmin(adminUrl, (c) =>
			c.query(`drop database if exists ${name} with (force)`),
		);
	}
}

/** The URL of database `name` on the server of `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
	const u = new URL(adminUrl);
	u.pathname = `/${name}`;
	return u.toString();
}

/** Runs one statement as the admin connection (create or drop a scratch database). */
export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
	await withAdmin(adminUrl, (c) => c.query(sql));
}

/** An empty database `name` (dropped first if a failed run left it), by URL. */
export async function emptyDatabase(
	adminUrl: string,
	name: string,
): Promise<string> {
	await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
	await adminQuery(adminUrl, `create database ${name}`);
	return databaseUrl(adminUrl, name);
}
