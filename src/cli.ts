#!/usr/bin/env node
import path from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { type LoadedConfig, loadConfig } from "./config/load.ts";
import { openDatabase } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { assertReachable, createPool } from "./db/pool.ts";
import { generateDemoErp } from "./demo/index.ts";
import { runDoctor } from "./doctor.ts";
import { AppError, errorMessage } from "./errors.ts";
import { createLogger } from "./log.ts";
import { startApp } from "./main.ts";
import { migrationsDir } from "./paths.ts";

const USAGE = `Usage: erp-pulse [--config <file>] <command> [options]

Commands:
  start                 run the bot (no config: embedded Postgres + demo ERP + local channel)
  migrate               apply pending database migrations, then exit
  doctor                check config, database, sources and chat credentials; changes nothing
  demo-data             write the synthetic demo ERP to a SQLite file
      --out <file>        where to write it (default <dataDir>/demo-erp.sqlite)
      --seed <n>          random seed (default 42); the same seed gives the same bytes
      --scale <lines>     order lines, 1000 to 10000000 (default 150000)
      --end-date <date>   last day of history, YYYY-MM-DD (default 2026-10-31)

Options:
  -c, --config <file>   config file (default ./erp-pulse.yaml or $ERP_PULSE_CONFIG; none: built-in defaults)
  -h, --help            show this help
`;

export interface Io {
	out(line: string): void;
	err(line: string): void;
	env: NodeJS.ProcessEnv;
}

const COMMANDS = ["start", "migrate", "doctor", "demo-data", "help"] as const;
type Command = (typeof COMMANDS)[number];

const options = {
	config: { type: "string", short: "c" },
	help: { type: "boolean", short: "h" },
	out: { type: "string" },
	seed: { type: "string" },
	scale: { type: "string" },
	"end-date": { type: "string" },
} as const;

/** Options only `demo-data` takes; anywhere else they are a usage error. */
const DEMO_ONLY = ["out", "seed", "scale", "end-date"];

type Values = Record<string, string | boolean | undefined>;

/** Runs one CLI command and resolves to its exit code (0 ok, 1 failed, 2 bad usage). `start` resolves when the bot stops. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
	let values: Values;
	let positionals: string[];
	try {
		({ values, positionals } = parseArgs({
			args: [...argv],
			options,
			strict: true,
			allowPositionals: true,
		}));
	} catch (err) {
		io.err(`erp-pulse: ${errorMessage(err)}\n\n${USAGE}`);
		return 2;
	}
	const [command, ...extra] = positionals;
	if (command === undefined || command === "help") {
		const asked = values.help === true || command === "help";
		(asked ? io.out : io.err)(USAGE);
		return asked ? 0 : 2;
	}
	const problem = !(COMMANDS as readonly string[]).includes(command)
		? `unknown command "${command}"`
		: extra.length > 0
			? `unexpected argument "${extra[0]}"`
			: command !== "demo-data" &&
					DEMO_ONLY.some((o) => values[o] !== undefined)
				? `option --${DEMO_ONLY.find((o) => values[o] !== undefined)} only goes with demo-data`
				: undefined;
	if (problem) {
		io.err(`erp-pulse: ${problem}.\n\n${USAGE}`);
		return 2;
	}
	if (values.help) {
		io.out(USAGE);
		return 0;
	}
	try {
		return await dispatch(command as Command, values, io);
	} catch (err) {
		io.err(`erp-pulse ${command}: ${errorMessage(err)}`);
		return err instanceof AppError && err.code === "usage" ? 2 : 1;
	}
}

async function dispatch(
	command: Command,
	values: Values,
	io: Io,
): Promise<number> {
	const configPath = values.config as string | undefined;
	switch (command) {
		case "doctor":
			return doctor(configPath, io);
		case "demo-data":
			return demoData(loadConfig(configPath, io.env), values, io);
		case "migrate":
			return migrateOnly(loadConfig(configPath, io.env), io);
		case "start":
			return start(loadConfig(configPath, io.env), io);
		default:
			io.out(USAGE);
			return 0;
	}
}

async function doctor(configPath: string | undefined, io: Io): Promise<number> {
	const checks = await runDoctor(configPath, io.env);
	for (const c of checks)
		io.out(
			`${c.status === "ok" ? "ok  " : c.status === "warn" ? "warn" : "FAIL"}  ${c.name}: ${c.detail}`,
		);
	return checks.some((c) => c.status === "fail") ? 1 : 0;
}

function intOption(
	name: string,
	raw: string | boolean | undefined,
): number | undefined {
	if (raw === undefined) return undefined;
	const n = Number(raw);
	if (typeof raw !== "string" || !Number.isInteger(n)) {
		throw new AppError(
			"usage",
			`--${name} expects a whole number, got "${String(raw)}".`,
		);
	}
	return n;
}

async function demoData(
	loaded: LoadedConfig,
	values: Values,
	io: Io,
): Promise<number> {
	const file =
		(values.out as string | undefined) ??
		path.resolve(loaded.config.dataDir, "demo-erp.sqlite");
	const started = performance.now();
	const summary = await generateDemoErp({
		file,
		seed: intOption("seed", values.seed) ?? loaded.config.demo.seed,
		lines: intOption("scale", values.scale) ?? loaded.config.demo.lines,
		...(values["end-date"] ? { endDate: values["end-date"] as string } : {}),
	});
	const secs = (performance.now() - started) / 1000;
	io.out(
		`wrote ${summary.file}: ${summary.lines} order lines in ${summary.invoices} invoices, ${summary.customers} customers, ${summary.items} items, ${summary.quotes} quotes, ${summary.stockSnapshots} stock snapshots, ${summary.startDate} to ${summary.endDate} (seed ${summary.seed}, ${secs.toFixed(1)} s)`,
	);
	for (const e of summary.events) io.out(`  planted: ${e.description}`);
	return 0;
}

async function migrateOnly(loaded: LoadedConfig, io: Io): Promise<number> {
	// A one-shot command keeps stdout for its answer; its log goes to stderr.
	const log = createLogger({
		level: loaded.config.log.level,
		secrets: loaded.secrets,
		destination: pino.destination(2),
	});
	const db = await openDatabase(loaded.config, log, io.env);
	const pool = createPool(db.url, log, { max: 2 });
	try {
		await assertReachable(pool, db.url);
		const result = await migrate(pool, migrationsDir, log);
		io.out(
			result.applied.length
				? `applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
				: `schema up to date (${result.alreadyApplied} migrations applied earlier)`,
		);
		return 0;
	} finally {
		await pool.end();
		await db.stop();
	}
}

async function start(loaded: LoadedConfig, io: Io): Promise<number> {
	const log = createLogger({
		level: loaded.config.log.level,
		secrets: loaded.secrets,
	});
	log.info({ config: loaded.source }, "starting erp-pulse");
	const app = await startApp({ loaded, log, env: io.env });
	log.info(
		{ url: `http://${loaded.config.http.host}:${app.httpPort}/healthz` },
		"erp-pulse is running; Ctrl-C stops it",
	);
	await new Promise<void>((resolve) => {
		let stopping = false;
		const onSignal = (signal: NodeJS.Signals) => {
			if (stopping) {
				log.warn({ signal }, "second signal: exiting now");
				process.exit(130);
			}
			stopping = true;
			log.info({ signal }, "shutting down");
			app.stop().then(resolve, resolve);
		};
		process.on("SIGINT", onSignal);
		process.on("SIGTERM", onSignal);
	});
	log.info("stopped cleanly");
	return 0;
}

const isMain =
	process.argv[1] &&
	import.meta.filename ===
		(await import("node:fs")).realpathSync(process.argv[1]);
if (isMain) {
	const io: Io = {
		out: (l) => process.stdout.write(`${l}\n`),
		err: (l) => process.stderr.write(`${l}\n`),
		env: process.env,
	};
	const code = await runCli(process.argv.slice(2), io);
	process.exitCode = code;
	// Pools and timers are closed by now; exit explicitly so a stray handle cannot keep a finished command alive.
	setTimeout(() => process.exit(code), 200).unref();
}
