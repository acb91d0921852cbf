import type { LoadedConfig } from "../config/load.ts";
import { migrate } from "../db/migrate.ts";
import { loadSqlCatalog } from "../db/sql-catalog.ts";
import { AppError, errorMessage } from "../errors.ts";
import { freshness } from "../ingest/freshness.ts";
import { resolveColumns } from "../ingest/mapping.ts";
import { loadMapping } from "../ingest/mapping-file.ts";
import { dryRunIngest, type IngestSource, runIngest } from "../ingest/run.ts";
import {
	connectorFor,
	effectiveSources,
	ingestSource,
	sourceConfig,
} from "../ingest/sources.ts";
import { migrationsDir, sqlDir } from "../paths.ts";
import {
	CLEAN_SQL,
	CLEAN_TASKS,
	type CleanTask,
	clean,
} from "../quality/clean.ts";
import { type Io, intOption, table, type Values, withDatabase } from "./io.ts";

/** `sources list | test <source> | inspect <source> [table]`: the seed's "test connection / list tables / sample". */
export async function sources(
	loaded: LoadedConfig,
	args: string[],
	values: Values,
	io: Io,
): Promise<number> {
	const [verb, name, tableName] = args;
	if (verb === "suggest" && name && !tableName)
		return (await import("./suggest.ts")).suggestSource(
			loaded,
			name,
			values,
			io,
		);
	if (values.out !== undefined)
		throw new AppError(
			"usage",
			"--out goes with sources suggest: erp-pulse sources suggest <source> --out mapping.yaml",
		);
	if (verb === "list" && !name) return listSources(loaded, io);
	if (verb === "test" && name && !tableName)
		return testSource(loaded, name, io);
	if (verb === "inspect" && name)
		return inspectSource(loaded, name, tableName, io);
	if (verb === "reference" && !name)
		return withDatabase(loaded, io, async (pool, log) => {
			await migrate(pool, migrationsDir, log);
			const { mappingReference } = await import("../ingest/reference.ts");
			io.out((await mappingReference(pool)).trimEnd());
			return 0;
		});
	throw new AppError(
		"usage",
		'expected "sources list", "sources test <source>", "sources inspect <source> [table]", "sources suggest <source> [--out file.yaml]" or "sources reference".',
	);
}

async function listSources(loaded: LoadedConfig, io: Io): Promise<number> {
	const all = effectiveSources(loaded.config);
	if (Object.keys(all).length === 0) {
		io.out(
			"No sources configured. Add one under sources: in the config file (see templates/erp-pulse.example.yaml).",
		);
		return 0;
	}
	const fresh = await withDatabase(loaded, io, (pool) =>
		freshness(pool, loaded.config),
	).catch(() => []);
	const rows = [["source", "kind", "mapping", "schedule", "last data"]];
	for (const [name, s] of Object.entries(all)) {
		const last = fresh
			.filter((f) => f.source === name && f.lastReceivedAt)
			.map((f) => f.lastReceivedAt as Date);
		const newest = last.length
			? new Date(Math.max(...last.map((d) => d.getTime()))).toISOString()
			: "never";
		rows.push([
			name,
			s.connection.kind,
			s.mapping,
			s.schedule ?? "on demand",
			newest,
		]);
	}
	for (const line of table(rows)) io.out(line);
	return 0;
}

/** Connects, then checks every mapped entity's columns exist; names each missing column. */
async function testSource(
	loaded: LoadedConfig,
	name: string,
	io: Io,
): Promise<number> {
	const src = sourceConfig(loaded.config, name);
	const conn = connectorFor(loaded.config, name);
	let failed = false;
	try {
		io.out(`ok    connected: ${await conn.test()}`);
		let mapping: ReturnType<typeof loadMapping>;
		try {
			mapping = loadMapping(src.mapping);
		} catch (err) {
			io.out(`FAIL  mapping: ${errorMessage(err)}`);
			if (/not found/.test(errorMessage(err)))
				io.out(
					`      to have one proposed from the source's tables: erp-pulse sources suggest ${name} --out ${src.mapping}`,
				);
			return 1;
		}
		for (const [entity, m] of Object.entries(mapping.entities)) {
			if (!m) continue;
			try {
				resolveColumns(entity, m, await conn.columns(m.from));
				io.out(
					`ok    ${entity}: ${"table" in m.from ? m.from.table : "SELECT"} has every mapped column`,
				);
			} catch (err) {
				failed = true;
				io.out(`FAIL  ${entity}: ${errorMessage(err)}`);
			}
		}
	} finally {
		await conn.close();
	}
	return failed ? 1 : 0;
}

async function inspectSource(
	loaded: LoadedConfig,
	name: string,
	tableName: string | undefined,
	io: Io,
): Promise<number> {
	const conn = connectorFor(loaded.config, name);
	try {
		if (!tableName) {
			const tables = await conn.listTables();
			for (const line of table([
				["table", "rows"],
				...tables.map((t) => [t.name, t.rows === null ? "?" : String(t.rows)]),
			]))
				io.out(line);
			return 0;
		}
		const p = await conn.profile(tableName);
		io.out(`${p.table}: ${p.rows} rows`);
		const cols = p.columns.map((c) => [
			c.name,
			c.type,
			String(c.nulls),
			String(c.distinct),
			String(c.min ?? ""),
			String(c.max ?? ""),
		]);
		for (const line of table([
			["column", "type", "nulls", "distinct", "min", "max"],
			...cols,
		]))
			io.out(`  ${line}`);
		io.out("sample:");
		for (const r of await conn.sample({ table: tableName }, 5))
			io.out(`  ${JSON.stringify(r)}`);
		return 0;
	} finally {
		await conn.close();
	}
}

/** `ingest <source> [--full]`: one run now, in this process, with its summary printed. */
export async function ingestNow(
	loaded: LoadedConfig,
	args: string[],
	values: Values,
	io: Io,
): Promise<number> {
	const [name] = args;
	if (!name)
		throw new AppError(
			"usage",
			"expected the name of a source: erp-pulse ingest <source> [--full]",
		);
	const source = ingestSource(loaded.config, name, io.env);
	if (values["dry-run"] === true) return dryRun(loaded, source, values, io);
	if (values.limit !== undefined)
		throw new AppError(
			"usage",
			"--limit goes with --dry-run: erp-pulse ingest <source> --dry-run --limit 1000",
		);
	return withDatabase(loaded, io, async (pool, log) => {
		await migrate(pool, migrationsDir, log);
		const r = await runIngest(pool, source, {
			full: values.full === true,
			log,
		});
		const rows = [["entity", "read", "loaded", "rejected", "watermark"]];
		for (const [entity, e] of Object.entries(r.entities)) {
			if (e)
				rows.push([
					entity,
					String(e.read),
					String(e.loaded),
					String(e.rejected),
					String(e.watermarkAfter ?? ""),
				]);
		}
		io.out(
			`run ${r.runId} of ${name}: ${r.read} read, ${r.loaded} loaded, ${r.rejected} rejected in ${(r.ms / 1000).toFixed(1)} s`,
		);
		for (const line of table(rows)) io.out(`  ${line}`);
		if (r.rejected > 0)
			io.out(
				`  rejected rows and their reasons: select * from ingest_rejects where run_id = ${r.runId}`,
			);
		return 0;
	});
}

/** `ingest <source> --dry-run [--limit N]`: what a run would load and reject, writing nothing. */
async function dryRun(
	loaded: LoadedConfig,
	source: IngestSource,
	values: Values,
	io: Io,
): Promise<number> {
	const limit = intOption("limit", values.limit) ?? 1000;
	if (limit < 1)
		throw new AppError("usage", `--limit expects at least 1, got ${limit}.`);
	return withDatabase(loaded, io, async (pool, log) => {
		await migrate(pool, migrationsDir, log);
		const r = await dryRunIngest(pool, source, {
			limit,
			full: values.full === true,
			log,
		});
		io.out(
			`dry run of ${r.source}: up to ${r.limit} source rows of each read, mapped and checked; nothing was written`,
		);
		for (const [entity, e] of Object.entries(r.entities)) {
			if (!e) continue;
			io.out(
				`${entity}: ${e.read} read, ${e.valid} valid, ${e.rejected} rejected`,
			);
			for (const row of e.sample)
				io.out(
					`  ${Object.entries(row)
						.filter(([, v]) => v !== null)
						.map(([k, v]) => `${k}=${JSON.stringify(v)}`)
						.join(" ")}`,
				);
			for (const reason of e.reasons)
				io.out(
					`  ${reason.count} × ${reason.reason}\n      e.g. ${reason.example}`,
				);
		}
		return 0;
	});
}

/** `clean <task> [--source s] [--execute]`: the data-quality fixes, a dry run unless --execute. */
export async function cleanData(
	loaded: LoadedConfig,
	args: string[],
	values: Values,
	io: Io,
): Promise<number> {
	const [task] = args;
	if (!task || !(CLEAN_TASKS as readonly string[]).includes(task)) {
		throw new AppError("usage", `expected one of: ${CLEAN_TASKS.join(", ")}.`);
	}
	const named = values.source as string | undefined;
	// A named source must be configured: a typo would otherwise clean nothing and report success.
	if (named !== undefined) sourceConfig(loaded.config, named);
	const source = named ?? Object.keys(effectiveSources(loaded.config))[0];
	if (!source)
		throw new AppError(
			"usage",
			"no source configured; name one with --source.",
		);
	const sql = loadSqlCatalog(sqlDir);
	sql.requireAll(CLEAN_SQL);
	const execute = values.execute === true;
	const report = await withDatabase(loaded, io, (pool) =>
		clean(pool, sql, task as CleanTask, { source, execute }),
	);
	io.out(
		`${task} (source ${source}): ${report.changes.length} change(s)${execute ? " applied" : " — dry run; add --execute to apply"}`,
	);
	for (const c of report.changes) io.out(`  ${c}`);
	if (report.skipped.length) io.out(`left alone (${report.skipped.length}):`);
	for (const s of report.skipped) io.out(`  ${s}`);
	return 0;
}
