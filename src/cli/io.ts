import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { LoadedConfig } from "../config/load.ts";
import { openDatabase } from "../db/database.ts";
import { assertReachable, createPool, type Pool } from "../db/pool.ts";
import { AppError } from "../errors.ts";
import { createLogger, type Logger, logFormat } from "../log.ts";

/** Where a command writes and what environment it sees; tests pass their own. */
export interface Io {
	out(line: string): void;
	err(line: string): void;
	env: NodeJS.ProcessEnv;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

/** A one-shot command keeps stdout for its answer; its log goes to stderr (readable on a terminal). */
export function commandLogger(loaded: LoadedConfig, io?: Io): Logger {
	// A one-shot command's answer is its output; at the default level its log says only what went
	// wrong (log.level: debug or trace shows everything).
	const level = loaded.config.log.level;
	return createLogger({
		level: level === "info" ? "warn" : level,
		secrets: loaded.secrets,
		format: logFormat(io?.env ?? process.env, process.stderr),
		fd: 2,
	});
}

/** Opens the bot's database (embedded or not) and a pool on it; `close` ends both. */
export async function openCommandDatabase(
	loaded: LoadedConfig,
	io: Io,
): Promise<{
	pool: Pool;
	url: string;
	log: Logger;
	close(): Promise<void>;
}> {
	const log = commandLogger(loaded, io);
	const db = await openDatabase(loaded.config, log, io.env);
	const pool = createPool(db.url, log, { max: 4 });
	const close = async () => {
		await pool.end();
		await db.stop();
	};
	try {
		await assertReachable(pool, db.url);
	} catch (err) {
		await close();
		throw err;
	}
	return { pool, url: db.url, log, close };
}

/** Opens the bot's database (embedded or not) for the length of one command. */
export async function withDatabase<T>(
	loaded: LoadedConfig,
	io: Io,
	fn: (pool: Pool, log: Logger) => Promise<T>,
): Promise<T> {
	const { pool, log, close } = await openCommandDatabase(loaded, io);
	try {
		return await fn(pool, log);
	} finally {
		await close();
	}
}

export function intOption(
	name: string,
	raw: Values[string],
): number | undefined {
	if (raw === undefined) return undefined;
	// Digits only: Number() would also take "0x10", "1e3" and " 5 ".
	if (typeof raw !== "string" || !/^-?\d{1,15}$/.test(raw)) {
		throw new AppError(
			"usage",
			`--${name} expects a whole number, got "${String(raw)}".`,
		);
	}
	return Number(raw);
}

/**
 * Refuses an output path that already holds something other than what the command writes (its
 * first bytes differ from `magic`): `--out /etc/passwd` must not replace a file by a typo.
 */
export function checkOutFile(
	option: string,
	file: string,
	magic: Buffer,
	kind: string,
): void {
	let head: Buffer;
	try {
		if (!statSync(file).isFile())
			throw new AppError(
				"usage",
				`--${option} ${file} is not a file (a folder or a device). Fix: name a new ${kind} file.`,
			);
		head = Buffer.alloc(magic.length);
		const fd = openSync(file, "r");
		try {
			readSync(fd, head, 0, magic.length, 0);
		} finally {
			closeSync(fd);
		}
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
		throw err;
	}
	if (!head.equals(magic))
		throw new AppError(
			"usage",
			`--${option} ${file} already exists and is not a ${kind} file; it would be replaced. Fix: name a new file, or one this command wrote before.`,
		);
}

/** Left-aligned columns for terminal tables. */
export function table(rows: readonly (readonly string[])[]): string[] {
	const widths = rows.reduce<number[]>(
		(w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)),
		[],
	);
	return rows.map((r) =>
		r
			.map((c, i) => c.padEnd(widths[i] ?? 0))
			.join("  ")
			.trimEnd(),
	);
}
