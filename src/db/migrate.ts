import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Pool } from "./pool.ts";
import { advisoryXactLock } from "./session.ts";

export interface Migration {
	name: string;
	checksum: string;
	sql: string;
}

export interface MigrationResult {
	applied: string[];
	alreadyApplied: number;
}

/** Any fixed 64-bit number, distinct from other advisory locks we take. */
const MIGRATION_LOCK_KEY = 7_236_189_004_112n;

/** Reads `NNN_name.sql` files in name order; the checksum covers the exact bytes. */
export function readMigrations(dir: string): Migration[] {
	return readdirSync(dir)
		.filter((f) => /^\d{3,}_[\w-]+\.sql$/.test(f))
		.sort()
		.map((name) => {
			const sql = readFileSync(path.join(dir, name), "utf8");
			return {
				name,
				sql,
				checksum: createHash("sha256").update(sql).digest("hex"),
			};
		});
}

/**
 * Applies pending migrations in order, all inside one transaction under an advisory lock, so two
 * processes starting together apply each migration once and a failure leaves nothing half-done.
 * Refuses to run when an applied migration's file has been edited since it was applied.
 */
export async function migrate(
	pool: Pool,
	dir: string,
	log: Logger,
): Promise<MigrationResult> {
	const migrations = readMigrations(dir);
	const client = await pool.connect();
	try {
		await client.query("begin");
		await advisoryXactLock(client, MIGRATION_LOCK_KEY);
		await client.query(`create table if not exists schema_migrations (
			name text primary key,
			checksum text not null,
			applied_at timestamptz not null default now())`);
		const { rows } = await client.query<{ name: string; checksum: string }>(
			"select name, checksum from schema_migrations order by name",
		);
		const applied = new Map(rows.map((r) => [r.name, r.checksum]));
		assertUnchanged(migrations, applied);
		const pending = migrations.filter((m) => !applied.has(m.name));
		for (const m of pending) {
			try {
				await client.query(m.sql);
			} catch (err) {
				throw new AppError(
					"migration_failed",
					`Migration ${m.name} failed: ${(err as Error).message}`,
					{ cause: err },
				);
			}
			await client.query(
				"insert into schema_migrations (name, checksum) values ($1, $2)",
				[m.name, m.checksum],
			);
			log.info({ migration: m.name }, "applied migration");
		}
		await client.query("commit");
		return {
			applied: pending.map((m) => m.name),
			alreadyApplied: applied.size,
		};
	} catch (err) {
		await client.query("rollback").catch(() => undefined);
		throw err;
	} finally {
		client.release();
	}
}

function assertUnchanged(
	migrations: readonly Migration[],
	applied: ReadonlyMap<string, string>,
): void {
	const byName = new Map(migrations.map((m) => [m.name, m]));
	for (const [name, checksum] of applied) {
		const file = byName.get(name);
		if (!file) {
			throw new AppError(
				"migration_edited",
				`Migration ${name} is recorded as applied but its file is missing. Fix: restore migrations/${name}; applied migrations are frozen.`,
			);
		}
		if (file.checksum !== checksum) {
			throw new AppError(
				"migration_edited",
				`Migration ${name} was edited after it was applied (checksum ${checksum.slice(0, 12)}… now ${file.checksum.slice(0, 12)}…). Fix: restore the original file and put the change in a new numbered migration.`,
			);
		}
	}
}

/** The names of the migrations a database has applied; none when it has no schema yet. */
export async function appliedMigrations(
	pool: Pick<Pool, "query">,
): Promise<Set<string>> {
	return pool
		.query<{ name: string }>("select name from schema_migrations")
		.then((r) => new Set(r.rows.map((x) => x.name)))
		.catch(() => new Set<string>());
}
