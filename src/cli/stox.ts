import type { LoadedConfig } from "../config/load.ts";
import { migrate } from "../db/migrate.ts";
import { loadSqlCatalog, type SqlCatalog } from "../db/sql-catalog.ts";
import { AppError } from "../errors.ts";
import { computeStox, STOX_SQL } from "../inventory/compute.ts";
import {
	itemNotFound,
	REPORT_SQL,
	stoxExcess,
	stoxItem,
	stoxReorder,
	stoxSummary,
} from "../inventory/report.ts";
import {
	formatExcess,
	formatItem,
	formatReorder,
	formatSummary,
} from "../inventory/report-format.ts";
import { migrationsDir, sqlDir } from "../paths.ts";
import { type Io, intOption, table, type Values, withDatabase } from "./io.ts";

const VERBS = ["compute", "summary", "item", "reorder", "excess"] as const;

function catalog(): SqlCatalog {
	const sql = loadSqlCatalog(sqlDir);
	sql.requireAll([...STOX_SQL, ...REPORT_SQL]);
	return sql;
}

function limitOf(values: Values): number {
	const limit = intOption("limit", values.limit) ?? 50;
	if (limit < 1)
		throw new AppError("usage", `--limit expects at least 1, got ${limit}.`);
	return limit;
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
 * `stox compute | summary | item <material> | reorder | excess`. The readers print what the last
 * compute wrote; they never compute.
 */
export async function stox(
	loaded: LoadedConfig,
	args: string[],
	values: Values,
	io: Io,
): Promise<number> {
	const [verb, material] = args;
	const ok =
		(VERBS as readonly string[]).includes(verb ?? "") &&
		(verb === "item") === (material !== undefined);
	if (!ok)
		throw new AppError(
			"usage",
			'expected "stox compute", "stox summary", "stox item <material>", "stox reorder" or "stox excess".',
		);
	if (values.date !== undefined && verb !== "compute")
		throw new AppError("usage", "--date goes only with stox compute.");
	if (values.limit !== undefined && verb !== "reorder" && verb !== "excess")
		throw new AppError(
			"usage",
			"--limit goes only with stox reorder and stox excess.",
		);
	if (verb === "compute") return compute(loaded, values, io);
	const sql = catalog();
	const limit = verb === "reorder" || verb === "excess" ? limitOf(values) : 0;
	return withDatabase(loaded, io, async (pool, log) => {
		await migrate(pool, migrationsDir, log);
		if (verb === "summary") {
			for (const l of formatSummary(
				await stoxSummary(pool, sql),
				loaded.config.currency,
			))
				io.out(l);
			return 0;
		}
		if (verb === "reorder") {
			for (const l of formatReorder(await stoxReorder(pool, sql, limit)))
				io.out(l);
			return 0;
		}
		if (verb === "excess") {
			for (const l of formatExcess(await stoxExcess(pool, sql, limit)))
				io.out(l);
			return 0;
		}
		const found = await stoxItem(pool, sql, material ?? "");
		if (found.items.length === 0) {
			io.err(itemNotFound(material ?? "", found));
			return 1;
		}
		for (const [n, report] of found.items.entries()) {
			if (n > 0) io.out("");
			for (const l of formatItem(report)) io.out(l);
		}
		return 0;
	});
}
