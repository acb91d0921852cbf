import { computeSql, runCompute } from "../analytics/compute/run.ts";
import type { LoadedConfig } from "../config/load.ts";
import { migrate } from "../db/migrate.ts";
import { loadSqlCatalog } from "../db/sql-catalog.ts";
import { computeStox, STOX_SQL } from "../inventory/compute.ts";
import { migrationsDir, sqlDir } from "../paths.ts";
import { type Io, table, withDatabase } from "./io.ts";

/**
 * `compute`: rebuilds the derived analytics tables, then the inventory (stox_*) tables, now, in this process, and prints what each
 * step built. If the bot (or another shell) is computing, it waits for that run, then runs itself.
 */
export async function computeNow(
	loaded: LoadedConfig,
	io: Io,
): Promise<number> {
	const sql = loadSqlCatalog(sqlDir);
	sql.requireAll([...computeSql(), ...STOX_SQL]);
	return withDatabase(loaded, io, async (pool, log) => {
		await migrate(pool, migrationsDir, log);
		const r = await runCompute(pool, sql, {
			trigger: "cli",
			wait: true,
			log,
			onWait: () =>
				io.out("another compute run is in progress; waiting for it to finish…"),
		});
		if (r.status === "skipped") {
			io.out(`compute skipped: ${r.reason}`);
			return 1;
		}
		io.out(
			`compute run ${r.runId}: ${r.lines} order lines, ${r.customers} customers with orders, analysis date ${r.analysisDate ?? "none (no data)"}, ${(r.ms / 1000).toFixed(1)} s`,
		);
		io.out(
			`  basis, one snapshot: ${r.basis.map((b) => `${b.name} ${b.rows} rows in ${b.ms} ms`).join(", ")}`,
		);
		const rows = [["table", "rows", "ms"]];
		for (const s of r.steps) rows.push([s.name, String(s.rows), String(s.ms)]);
		for (const line of table(rows)) io.out(`  ${line}`);
		for (const note of r.notes) io.out(`note: ${note}`);
		const stox = await computeStox(pool, {
			config: loaded.config.stox,
			log,
			sql,
		});
		io.out(
			`inventory: ${stox.materials} materials as of ${stox.analysisDate}, ${(stox.ms / 1000).toFixed(1)} s (${Object.entries(
				stox.tables,
			)
				.map(([t, n]) => `${t} ${n}`)
				.join(", ")})`,
		);
		return 0;
	});
}
