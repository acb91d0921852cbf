import {
	existsSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LoadedConfig } from "../config/load.ts";
import { migrate } from "../db/migrate.ts";
import { AppError, errorMessage } from "../errors.ts";
import { createLogger, logFormat } from "../log.ts";
import { migrationsDir } from "../paths.ts";
import {
	checkOutFile,
	type Io,
	intOption,
	type Values,
	withDatabase,
} from "./io.ts";

/** The first 16 bytes of every SQLite database file. */
const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");

export async function doctor(
	configPath: string | undefined,
	io: Io,
): Promise<number> {
	const { runDoctor } = await import("../doctor.ts");
	const checks = await runDoctor(configPath, io.env);
	for (const c of checks)
		io.out(
			`${c.status === "ok" ? "ok  " : c.status === "warn" ? "warn" : "FAIL"}  ${c.name}: ${c.detail}`,
		);
	return checks.some((c) => c.status === "fail") ? 1 : 0;
}

export async function demoData(
	loaded: LoadedConfig,
	values: Values,
	io: Io,
): Promise<number> {
	const format = (values.format as string | undefined) ?? "sqlite";
	if (format !== "sqlite" && format !== "csv" && format !== "parquet")
		throw new AppError(
			"usage",
			`--format ${format} is not a demo format: write sqlite (one file, the default), csv or parquet (a folder of exports)`,
		);
	const exportTo =
		format === "sqlite" ? undefined : (values.out as string | undefined);
	if (format !== "sqlite") {
		if (!exportTo)
			throw new AppError(
				"usage",
				`--format ${format} writes a folder of files: give it with --out, e.g. --out ./demo-${format}`,
			);
		if (
			existsSync(exportTo) &&
			(!statSync(exportTo).isDirectory() || readdirSync(exportTo).length > 0)
		)
			throw new AppError(
				"usage",
				`--out ${exportTo} already exists and is not an empty folder; it would be mixed with the exports. Fix: name a new folder.`,
			);
	}
	const file = exportTo
		? path.join(
				mkdtempSync(path.join(tmpdir(), "erp-pulse-demo-")),
				"demo-erp.sqlite",
			)
		: ((values.out as string | undefined) ??
			path.resolve(loaded.config.dataDir, "demo-erp.sqlite"));
	if (!exportTo) checkOutFile("out", file, SQLITE_MAGIC, "SQLite");
	const started = performance.now();
	const { generateDemoErp } = await import("../demo/index.ts");
	try {
		const summary = await generateDemoErp({
			file,
			seed: intOption("seed", values.seed) ?? loaded.config.demo.seed,
			lines: intOption("scale", values.scale) ?? loaded.config.demo.lines,
			...(values["end-date"] ? { endDate: values["end-date"] as string } : {}),
		});
		const where =
			exportTo && format !== "sqlite"
				? await exportDemo(file, exportTo, format)
				: summary.file;
		const secs = (performance.now() - started) / 1000;
		io.out(
			`wrote ${where}: ${summary.lines} order lines in ${summary.invoices} invoices, ${summary.customers} customers, ${summary.items} items, ${summary.quotes} quotes, ${summary.stockSnapshots} stock snapshots, ${summary.startDate} to ${summary.endDate} (seed ${summary.seed}, ${secs.toFixed(1)} s)`,
		);
		for (const e of summary.events) io.out(`  planted: ${e.description}`);
		if (exportTo)
			io.out(
				`  read it with connection: {kind: ${format}, path: ${exportTo}} and mapping: demo-erp-csv`,
			);
	} finally {
		if (exportTo) rmSync(path.dirname(file), { recursive: true, force: true });
	}
	return 0;
}

/** Writes the demo as CSV.gz or Parquet exports (one file per table plus the joined sales lines). */
async function exportDemo(
	sqliteFile: string,
	dir: string,
	format: "csv" | "parquet",
): Promise<string> {
	const { demoSalesLineSelect, exportDemoCsv } = await import(
		"../demo/export.ts"
	);
	const select = demoSalesLineSelect();
	if (format === "csv") await exportDemoCsv(sqliteFile, dir, select);
	else
		await (await import("../demo/export-parquet.ts")).exportDemoParquet(
			sqliteFile,
			dir,
			select,
		);
	return `${dir} (${format} exports)`;
}

export async function migrateOnly(
	loaded: LoadedConfig,
	io: Io,
): Promise<number> {
	return withDatabase(loaded, io, async (pool, log) => {
		const result = await migrate(pool, migrationsDir, log);
		io.out(
			result.applied.length
				? `applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
				: `schema up to date (${result.alreadyApplied} migrations applied earlier)`,
		);
		return 0;
	});
}

export async function start(loaded: LoadedConfig, io: Io): Promise<number> {
	const log = createLogger({
		level: loaded.config.log.level,
		secrets: loaded.secrets,
		format: logFormat(io.env, process.stdout),
	});
	// Handlers go in before anything starts: a Ctrl-C while the bot is still starting must stop
	// it in order too, not kill the process with Postgres and the queue half up.
	let requested: NodeJS.Signals | undefined;
	let onStopRequest: (() => void) | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		if (requested) {
			log.warn({ signal }, "second signal: exiting now");
			process.exit(130);
		}
		requested = signal;
		log.info({ signal }, "shutting down");
		onStopRequest?.();
	};
	process.on("SIGINT", onSignal);
	process.on("SIGTERM", onSignal);
	// The last resort: a promise some listener or library left unhandled is logged, and the bot
	// keeps serving everyone else instead of exiting.
	process.on("unhandledRejection", (err) =>
		log.error(
			{ err: errorMessage(err) },
			"unhandled rejection; the bot carries on",
		),
	);
	log.info({ config: loaded.source }, "starting erp-pulse");
	// The composition root loads everything: only `start` pays for it.
	const { startApp } = await import("../main.ts");
	const app = await startApp({ loaded, log, env: io.env });
	log.info(
		{ url: `http://${loaded.config.http.host}:${app.httpPort}/healthz` },
		"erp-pulse is running; Ctrl-C stops it",
	);
	const clean = await new Promise<boolean>((resolve) => {
		onStopRequest = () => {
			app.stop().then(resolve, () => resolve(false));
		};
		if (requested) onStopRequest();
	});
	if (clean) log.info("stopped cleanly");
	else log.warn("stopped, but not every part stopped in time (see above)");
	return 0;
}
