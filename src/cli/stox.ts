import type { LoadedConfig } from "../config/load.ts";
import { migrate } from "../db/migrate.ts";
import { loadSqlCatalog, type SqlCatalog } from "../db/sql-catalog.ts";
import { AppError } from "../errors.ts";
import { computeStox, STOX_SQL } from "../inventory/compute.ts";
import { migrationsDir, sqlDir } from "../paths.ts";
import { runShared } from "./chat.ts";
import { type Io, table, type Values, withDatabase } from "./io.ts";

function catalog(): SqlCatalog {
	const sql = loadSqlCatalog(sqlDir);
	sql.requireAll(STOX_SQL);
	return sql;
}

/** `stox compute [--date d]`: rebuild the stox_* tables now and say what was written. */
async function compute(
	loaded: LoadedConfig,
	values: Values,
	io: Io,
): Promise<number> {
	const sql = catalog();
	const analysisDate = values.date as string | undefined;
	return withDatabase(loaded, io, async (pool, log) => {
		await migrate(pool, migrationsDir, log);
		const r = await computeStox(pool, {
			config: loaded.config.stox,
			analysisDate,
			log,
			sql,
		});
		io.out(
			`stox computed for ${r.materials} material(s) as of ${r.analysisDate} (demand from ${r.windowStart}) in ${(r.ms / 1000).toFixed(1)} s`,
		);
		const rows = Object.entries(r.tables).map(([t, n]) => [t, String(n)]);
		for (const line of table([["table", "rows"], ...rows])) io.out(`  ${line}`);
		return 0;
	});
}

/**
 * `stox compute [--date d]` rebuilds the tables; `stox summary | item <material> | reorder |
 * excess` are the chat command's reports (commands/stox.ts), read from what the last compute
 * wrote, in the same words as in chat.
 */
export async function stox(
	loaded: LoadedConfig,
	args: string[],
	values: Values,
	io: Io,
): Promise<number> {
	if (args[0] !== "compute") {
		if (values.date !== undefined)
			throw new AppError("usage", "--date goes only with stox compute.");
		return runShared(loaded, ["stox", ...args], values, io);
	}
	if (args.length > 1)
		throw new AppError("usage", `unexpected argument "${args[1]}".`);
	if (values.limit !== undefined)
		throw new AppError(
			"usage",
			"--limit goes only with stox reorder and stox excess.",
		);
	return compute(loaded, values, io);
}
