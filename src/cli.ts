#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { parseArgs } from "node:util";
import { correlateCommand } from "../commands/correlate.ts";
import { metricCommand } from "../commands/metric.ts";
import { queryCommand } from "../commands/query.ts";
import { demoData, doctor, migrateOnly, start } from "./cli/admin.ts";
import { runCommand } from "./cli/analytics.ts";
import { chartMetric, chartOptionWords } from "./cli/chart.ts";
import { chatCommand, slackCommand } from "./cli/chat.ts";
import { computeNow } from "./cli/compute.ts";
import { cleanData, ingestNow, sources } from "./cli/data.ts";
import { digestPreview } from "./cli/digest.ts";
import { discordCommand } from "./cli/discord.ts";
import type { Io, Values } from "./cli/io.ts";
import { PULSE_USAGE, pulseCli } from "./cli/pulse.ts";
import { stox } from "./cli/stox.ts";
import { type LoadedConfig, loadConfig } from "./config/load.ts";
import { AppError, errorMessage } from "./errors.ts";

export type { Io } from "./cli/io.ts";

const USAGE = `Usage: erp-pulse [--config <file>] <command> [options]

Commands:
  start                          run the bot (no config: embedded Postgres + demo ERP + local channel)
  migrate                        apply pending database migrations, then exit
  doctor                         check config, database, sources, data freshness and chat credentials
  demo-data                      write the synthetic demo ERP to a SQLite file
      --out <file>                 where to write it (default <dataDir>/demo-erp.sqlite)
      --seed <n>                   random seed (default 42); the same seed gives the same bytes
      --scale <lines>              order lines, 1000 to 10000000 (default 150000)
      --end-date <date>            last day of history, YYYY-MM-DD (default 2026-10-31)
  sources list                   the configured sources and when each last received data
  sources test <source>          connect and check every mapped column exists
  sources inspect <source> [t]   list tables with row counts; with a table, profile and sample it
  ingest <source> [--full]       run one ingest now (--full ignores the watermarks)
  compute                        rebuild the RFM/ABC, segment, cohort and regional tables now
  clean <task> [--source s]      data-quality fixes, a dry run unless --execute:
        [--execute]                salespeople | branches | lead-sources | link-quotes
  metric list                    the metric catalog: units, grains, dimensions, synonyms
  metric <name> [by <dim>]       one metric per period, or broken down by a dimension
        [last N months|weeks]      e.g. metric revenue by region last 12 months
        [--grain g] [--since YYYY-MM] [--until YYYY-MM] [--by dim=value] [--source s]
  correlate <a> [b]              correlate two metrics with a verdict; with one, rank every
        [--grain month|week]       other metric against it (Benjamini-Hochberg q-values)
        [--since YYYY-MM] [--until YYYY-MM] [--by dim=value] [--source s]
  query list [category]          the analytics query library
  query run <name>               run one library query with validated parameters
        [--param name=value ...]
  chart <metric> [by <dim>]      the metric as a PNG chart (alt text printed)
        [last N months] --out <file.png> [--grain g] [--since …] [--by dim=value]
  digest [--as-of YYYY-MM-DD]    the weekly digest as it would be posted, printed as Markdown
  chat "<command text>"          run a chat command here and print the reply (help, pulse status, …);
                                 a chart is saved as a PNG in the outbox folder
  slack manifest                 print the Slack app manifest (slash commands, interactivity URL, scopes)
  discord register [--guild ID]  register the Discord slash commands (in one server, or globally)
                                   with DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID; prints the invite URL
  discord invite                 print the Discord invite URL (scopes bot + applications.commands)
${PULSE_USAGE}
  stox compute [--date <d>]      rebuild the inventory (stox_*) tables now; --date: analysis date
                                   YYYY-MM-DD (default: the day after the latest order line)
  stox summary                   enterprise inventory value, turns, service level, excess
  stox item <material>           every inventory figure of one material, with its projection
  stox reorder [--limit n]       materials at/below their reorder point, projected to run out
                                   within the lead time, or waiting on a late order
  stox excess [--limit n]        materials with excess or obsolete stock, largest value first

Options:
  -c, --config <file>            config file (default ./erp-pulse.yaml or $ERP_PULSE_CONFIG; none: built-in defaults)
  -h, --help                     show this help
`;

interface Command {
	/** How many positional arguments after the command name. */
	args: [min: number, max: number];
	options: readonly string[];
	run(
		loaded: () => LoadedConfig,
		args: string[],
		values: Values,
		io: Io,
	): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
	start: {
		args: [0, 0],
		options: [],
		run: (cfg, _a, _v, io) => start(cfg(), io),
	},
	migrate: {
		args: [0, 0],
		options: [],
		run: (cfg, _a, _v, io) => migrateOnly(cfg(), io),
	},
	doctor: {
		args: [0, 0],
		options: [],
		run: (_cfg, _a, v, io) => doctor(v.config as string | undefined, io),
	},
	"demo-data": {
		args: [0, 0],
		options: ["out", "seed", "scale", "end-date"],
		run: (cfg, _a, v, io) => demoData(cfg(), v, io),
	},
	sources: {
		args: [1, 3],
		options: [],
		run: (cfg, a, _v, io) => sources(cfg(), a, io),
	},
	ingest: {
		args: [1, 1],
		options: ["full"],
		run: (cfg, a, v, io) => ingestNow(cfg(), a, v, io),
	},
	compute: {
		args: [0, 0],
		options: [],
		run: (cfg, _a, _v, io) => computeNow(cfg(), io),
	},
	clean: {
		args: [1, 1],
		options: ["source", "execute"],
		run: (cfg, a, v, io) => cleanData(cfg(), a, v, io),
	},
	metric: {
		args: [1, 8],
		options: ["grain", "since", "until", "by", "source"],
		run: (cfg, a, v, io) => runCommand(metricCommand, cfg(), a, v, io),
	},
	correlate: {
		args: [1, 6],
		options: ["grain", "since", "until", "by", "source"],
		run: (cfg, a, v, io) => runCommand(correlateCommand, cfg(), a, v, io),
	},
	chat: {
		args: [1, 64],
		options: [],
		run: (cfg, a, _v, io) => chatCommand(cfg(), a, io),
	},
	slack: {
		args: [1, 1],
		options: [],
		run: (cfg, a, _v, io) => slackCommand(cfg(), a, io),
	},
	discord: {
		args: [1, 1],
		options: ["guild"],
		run: (cfg, a, v, io) => discordCommand(cfg, a, v, io),
	},
	chart: {
		args: [1, 8],
		options: ["out", "grain", "since", "until", "by", "source"],
		run: (cfg, a, v, io) =>
			chartMetric(cfg(), [...a, ...chartOptionWords(v)], v, io),
	},
	digest: {
		args: [0, 0],
		options: ["as-of"],
		run: (cfg, _a, v, io) => digestPreview(cfg(), v, io),
	},
	pulse: {
		args: [1, 3],
		options: ["yes", "param", "as-of", "accept"],
		run: (cfg, a, v, io) => pulseCli(cfg(), a, v, io),
	},
	query: {
		args: [1, 24],
		options: ["param", "source"],
		run: (cfg, a, v, io) => runCommand(queryCommand, cfg(), a, v, io),
	},
	stox: {
		args: [1, 2],
		options: ["date", "limit"],
		run: (cfg, a, v, io) => stox(cfg(), a, v, io),
	},
};

const OPTIONS = {
	config: { type: "string", short: "c" },
	help: { type: "boolean", short: "h" },
	out: { type: "string" },
	seed: { type: "string" },
	scale: { type: "string" },
	"end-date": { type: "string" },
	full: { type: "boolean" },
	source: { type: "string" },
	execute: { type: "boolean" },
	grain: { type: "string" },
	since: { type: "string" },
	until: { type: "string" },
	by: { type: "string" },
	param: { type: "string", multiple: true },
	"as-of": { type: "string" },
	yes: { type: "boolean" },
	accept: { type: "boolean" },
	date: { type: "string" },
	limit: { type: "string" },
	guild: { type: "string" },
} as const;

/** Runs one CLI command and resolves to its exit code (0 ok, 1 failed, 2 bad usage). `start` resolves when the bot stops. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
	let values: Values;
	let positionals: string[];
	try {
		({ values, positionals } = parseArgs({
			args: [...argv],
			options: OPTIONS,
			strict: true,
			allowPositionals: true,
		}));
	} catch (err) {
		io.err(`erp-pulse: ${errorMessage(err)}\n\n${USAGE}`);
		return 2;
	}
	const [name, ...args] = positionals;
	if (name === undefined || name === "help") {
		const asked = values.help === true || name === "help";
		(asked ? io.out : io.err)(USAGE);
		return asked ? 0 : 2;
	}
	const command = COMMANDS[name];
	const problem = usageProblem(name, command, args, values);
	if (problem) {
		io.err(`erp-pulse: ${problem}.\n\n${USAGE}`);
		return 2;
	}
	if (values.help || !command) {
		io.out(USAGE);
		return 0;
	}
	try {
		return await command.run(
			() => loadConfig(values.config as string | undefined, io.env),
			args,
			values,
			io,
		);
	} catch (err) {
		io.err(`erp-pulse ${name}: ${errorMessage(err)}`);
		return err instanceof AppError && err.code === "usage" ? 2 : 1;
	}
}

function usageProblem(
	name: string,
	command: Command | undefined,
	args: string[],
	values: Values,
): string | undefined {
	if (!command) return `unknown command "${name}"`;
	const [min, max] = command.args;
	if (args.length > max) return `unexpected argument "${args[max]}"`;
	if (args.length < min)
		return `"${name}" needs ${min === 1 ? "an argument" : `${min} arguments`}`;
	const stray = Object.keys(values).find(
		(o) => o !== "config" && o !== "help" && !command.options.includes(o),
	);
	return stray ? `option --${stray} does not go with ${name}` : undefined;
}

const isMain =
	process.argv[1] !== undefined &&
	import.meta.filename === realpathSync(process.argv[1]);
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
