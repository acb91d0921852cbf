#!/usr/bin/env -S node --max-semi-space-size=16 --max-old-space-size=1024
import { realpathSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { parseArgs } from "node:util";
import type { Io, Values } from "./cli/io.ts";
import { USAGE, usageOf } from "./cli/usage.ts";
import type { LoadedConfig } from "./config/load.ts";
import { closest } from "./edit-distance.ts";
import { AppError, errorMessage } from "./errors.ts";

export type { Io } from "./cli/io.ts";

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
		run: async (cfg, _a, _v, io) =>
			(await import("./cli/admin.ts")).start(cfg(), io),
	},
	migrate: {
		args: [0, 0],
		options: [],
		run: async (cfg, _a, _v, io) =>
			(await import("./cli/admin.ts")).migrateOnly(cfg(), io),
	},
	doctor: {
		args: [0, 0],
		options: [],
		run: async (_cfg, _a, v, io) =>
			(await import("./cli/admin.ts")).doctor(
				v.config as string | undefined,
				io,
			),
	},
	"demo-data": {
		args: [0, 0],
		options: ["out", "seed", "scale", "end-date", "format"],
		run: async (cfg, _a, v, io) =>
			(await import("./cli/admin.ts")).demoData(cfg(), v, io),
	},
	sources: {
		args: [1, 3],
		options: ["out"],
		run: async (cfg, a, v, io) =>
			(await import("./cli/data.ts")).sources(cfg(), a, v, io),
	},
	ingest: {
		args: [1, 1],
		options: ["full", "dry-run", "limit"],
		run: async (cfg, a, v, io) =>
			(await import("./cli/data.ts")).ingestNow(cfg(), a, v, io),
	},
	compute: {
		args: [0, 0],
		options: [],
		run: async (cfg, _a, _v, io) =>
			(await import("./cli/compute.ts")).computeNow(cfg(), io),
	},
	clean: {
		args: [1, 1],
		options: ["source", "execute"],
		run: async (cfg, a, v, io) =>
			(await import("./cli/data.ts")).cleanData(cfg(), a, v, io),
	},
	metric: {
		args: [1, 8],
		options: ["grain", "since", "until", "by", "source"],
		run: async (cfg, a, v, io) => {
			const { runCommand } = await import("./cli/analytics.ts");
			const { metricCommand } = await import("../commands/metric.ts");
			return runCommand(metricCommand, cfg(), a, v, io);
		},
	},
	explain: {
		args: [1, 12],
		options: ["grain", "source"],
		run: async (cfg, a, v, io) => {
			const { runCommand } = await import("./cli/analytics.ts");
			const { explainCommand } = await import("../commands/explain.ts");
			return runCommand(explainCommand, cfg(), a, v, io);
		},
	},
	correlate: {
		args: [1, 6],
		options: ["grain", "since", "until", "by", "source"],
		run: async (cfg, a, v, io) => {
			const { runCommand } = await import("./cli/analytics.ts");
			const { correlateCommand } = await import("../commands/correlate.ts");
			return runCommand(correlateCommand, cfg(), a, v, io);
		},
	},
	chat: {
		args: [1, 64],
		options: [],
		run: async (cfg, a, _v, io) =>
			(await import("./cli/chat.ts")).chatCommand(cfg(), a, io),
	},
	slack: {
		args: [1, 1],
		options: [],
		run: async (cfg, a, _v, io) =>
			(await import("./cli/chat.ts")).slackCommand(cfg(), a, io),
	},
	discord: {
		args: [1, 1],
		options: ["guild"],
		run: async (cfg, a, v, io) =>
			(await import("./cli/discord.ts")).discordCommand(cfg, a, v, io),
	},
	chart: {
		args: [1, 8],
		options: ["out", "grain", "since", "until", "by", "source"],
		run: async (cfg, a, v, io) => {
			const { chartMetric, chartOptionWords } = await import("./cli/chart.ts");
			return chartMetric(cfg(), [...a, ...chartOptionWords(v)], v, io);
		},
	},
	digest: {
		args: [0, 0],
		options: ["as-of"],
		run: async (cfg, a, v, io) =>
			(await import("./cli/chat.ts")).runShared(cfg(), ["digest", ...a], v, io),
	},
	// The monitor verbs are the chat command's (commands/pulse.ts): one grammar for both.
	pulse: {
		args: [1, 64],
		options: ["yes", "as-of", "accept", "errors"],
		run: async (cfg, a, v, io) =>
			(await import("./cli/chat.ts")).runShared(cfg(), ["pulse", ...a], v, io),
	},
	query: {
		args: [1, 24],
		options: ["param", "source"],
		run: async (cfg, a, v, io) => {
			const { runCommand } = await import("./cli/analytics.ts");
			const { queryCommand } = await import("../commands/query.ts");
			return runCommand(queryCommand, cfg(), a, v, io);
		},
	},
	stox: {
		args: [1, 2],
		options: ["date", "limit"],
		run: async (cfg, a, v, io) =>
			(await import("./cli/stox.ts")).stox(cfg(), a, v, io),
	},
};

const OPTIONS = {
	config: { type: "string", short: "c" },
	help: { type: "boolean", short: "h" },
	out: { type: "string" },
	seed: { type: "string" },
	scale: { type: "string" },
	"end-date": { type: "string" },
	format: { type: "string" },
	full: { type: "boolean" },
	"dry-run": { type: "boolean" },
	source: { type: "string" },
	execute: { type: "boolean" },
	// Multiple so that a repeat reaches the command parser, which refuses it, instead of the last
	// one silently winning.
	grain: { type: "string", multiple: true },
	since: { type: "string", multiple: true },
	until: { type: "string", multiple: true },
	by: { type: "string", multiple: true },
	param: { type: "string", multiple: true },
	// Multiple so that a repeat reaches the command parser, which names it.
	"as-of": { type: "string", multiple: true },
	yes: { type: "boolean" },
	accept: { type: "boolean" },
	errors: { type: "string", multiple: true },
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
		const name = argv.find((a) => !a.startsWith("-"));
		return usageError(io, optionProblem(err), name);
	}
	const [name, ...args] = positionals;
	if (name === undefined || name === "help") {
		const asked = values.help === true || name === "help";
		(asked ? io.out : io.err)(USAGE);
		return asked ? 0 : 2;
	}
	const command = COMMANDS[name];
	if (!command) {
		const hint = closest(name, Object.keys(COMMANDS));
		return usageError(
			io,
			`unknown command "${name}"${hint ? `; did you mean "${hint}"?` : ". Run erp-pulse --help for the commands."}`,
			hint,
		);
	}
	if (values.help) {
		io.out(usageOf(name) ?? USAGE);
		return 0;
	}
	const problem = usageProblem(name, command, args, values);
	if (problem) return usageError(io, problem, name);
	try {
		const { loadConfig } = await import("./config/load.ts");
		return await command.run(
			() => loadConfig(values.config as string | undefined, io.env),
			args,
			values,
			io,
		);
	} catch (err) {
		const hint =
			err instanceof AppError && err.code === "pulse_not_found"
				? " Run erp-pulse pulse list for the monitors."
				: "";
		io.err(`erp-pulse ${name}: ${errorMessage(err)}${hint}`);
		return err instanceof AppError && BAD_INPUT.has(err.code) ? 2 : 1;
	}
}

/**
 * Exit 2: what was typed on this command line is wrong (a word, an option, an id or a source name
 * that does not exist). Exit 1: anything else failed (a bad config file, an unreachable database,
 * a source that does not answer).
 */
const BAD_INPUT: ReadonlySet<string> = new Set([
	"usage",
	"pulse_not_found",
	"pulse_invalid",
	"source_unknown",
]);

/** A usage problem: one line saying what is wrong, then the usage of that command only. */
function usageError(io: Io, problem: string, name?: string): number {
	const usage = name ? usageOf(name) : undefined;
	io.err(
		`erp-pulse: ${problem}\n\n${usage ?? "Run erp-pulse --help for the commands and their options."}`,
	);
	return 2;
}

/** parseArgs's complaint in our words: which option, and what to do about it. */
function optionProblem(err: unknown): string {
	const e = err as { code?: string; message?: string };
	const option = /'(-{1,2}[^ ',]+)/.exec(e.message ?? "")?.[1];
	if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
		const hint = closest(option.replace(/^-+/, ""), Object.keys(OPTIONS));
		return `unknown option ${option}${hint ? `; did you mean --${hint}?` : "."}`;
	}
	if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option)
		return /argument missing/.test(e.message ?? "")
			? `option ${option} needs a value, e.g. ${option} <value>.`
			: `option ${option} takes no value.`;
	if (e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL")
		return "unexpected argument.";
	return errorMessage(err);
}

function usageProblem(
	name: string,
	command: Command,
	args: string[],
	values: Values,
): string | undefined {
	const [min, max] = command.args;
	if (args.length > max) return `unexpected argument "${args[max]}".`;
	if (args.length < min)
		return `"${name}" needs ${min === 1 ? "an argument" : `${min} arguments`}.`;
	const stray = Object.keys(values).find(
		(o) => o !== "config" && o !== "help" && !command.options.includes(o),
	);
	return stray ? `option --${stray} does not go with ${name}.` : undefined;
}

const isMain =
	process.argv[1] !== undefined &&
	import.meta.filename === realpathSync(process.argv[1]);
if (isMain) {
	// Node keeps what it compiled (and the types it stripped) on disk and reuses it next time:
	// a command's start-up CPU roughly halves after its first run. Everything a command needs is
	// imported after this line. NODE_DISABLE_COMPILE_CACHE=1 turns it off; it never fails a command.
	enableCompileCache();
	const io: Io = {
		out: (l) => process.stdout.write(`${l}\n`),
		err: (l) => process.stderr.write(`${l}\n`),
		env: process.env,
	};
	// `erp-pulse metric list | head` closes the pipe early: that is the reader's choice, not an error.
	for (const stream of [process.stdout, process.stderr])
		stream.on("error", (err: NodeJS.ErrnoException) => {
			if (err.code === "EPIPE") process.exit(0);
			throw err;
		});
	const code = await runCli(process.argv.slice(2), io);
	process.exitCode = code;
	// Pools and timers are closed by now; exit explicitly so a stray handle cannot keep a finished command alive.
	setTimeout(() => process.exit(code), 200).unref();
}
