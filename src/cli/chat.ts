/**
 * `erp-pulse chat "<command text>"`, and `erp-pulse pulse|stox|digest …`: run a registered command
 * locally through the same dispatcher as Slack and print the reply as Markdown; a chart is saved
 * as a PNG in the outbox folder next to a Markdown copy. `erp-pulse slack manifest`: prints the
 * Slack app manifest.
 */

import { dispatch } from "../../commands/dispatch.ts";
import { commands } from "../../commands/index.ts";
import { commandServices } from "../../commands/services.ts";
import {
	localMessageId,
	outboxDir,
	writeMessage,
} from "../chat/local/channel.ts";
import { toMarkdown } from "../chat/local/markdown.ts";
import { slackManifest } from "../chat/slack/manifest.ts";
import type { LoadedConfig } from "../config/load.ts";
import { migrate } from "../db/migrate.ts";
import { createPool, type Pool } from "../db/pool.ts";
import { AppError, errorMessage } from "../errors.ts";
import { migrationsDir } from "../paths.ts";
import { monitorLogin } from "../pulse/engine/monitor-login.ts";
import {
	commandLogger,
	type Io,
	openCommandDatabase,
	type Values,
} from "./io.ts";

/**
 * The CLI's one-shot root for commands: the database (the embedded one included), migrated, on
 * the first query, so a command that answers from its words alone — help, or a typo it names —
 * never starts Postgres; and a monitor pool that logs in as the monitors' own role as the bot does
 * (src/main.ts), set up only when a command runs monitor SQL.
 */
function lazyDatabase(loaded: LoadedConfig, io: Io) {
	type Opened = Awaited<ReturnType<typeof openCommandDatabase>>;
	let opened: Promise<Opened> | undefined;
	let monitors: Promise<Pool> | undefined;
	let failure: unknown;
	const failed = (err: unknown): never => {
		failure = err;
		throw err;
	};
	const open = () => {
		opened ??= (async () => {
			const db = await openCommandDatabase(loaded, io);
			try {
				await migrate(db.pool, migrationsDir, db.log);
				return db;
			} catch (err) {
				await db.close();
				throw err;
			}
		})().catch(failed);
		return opened;
	};
	const openMonitors = () => {
		monitors ??= open()
			.then(async (db) => {
				const login = await monitorLogin(db.pool, db.url, { env: io.env });
				return createPool(login.url, db.log, {
					max: 2,
					applicationName: "erp-pulse:monitors",
				});
			})
			.catch(failed);
		return monitors;
	};
	const lazy = (get: () => Promise<Pool>) =>
		({
			query: async (...args: unknown[]) =>
				(
					(await get()).query as unknown as (
						...a: unknown[]
					) => Promise<unknown>
				)(...args),
			connect: async () => (await get()).connect(),
		}) as unknown as Pool;
	return {
		pool: lazy(async () => (await open()).pool),
		monitorPool: lazy(openMonitors),
		/** Why the database could not be opened, once a command tried. */
		failure: () => failure,
		close: async () => {
			await (await monitors?.catch(() => undefined))?.end();
			await (await opened?.catch(() => undefined))?.close();
		},
	};
}

/**
 * One command line run here through the same dispatcher and commands as Slack and Discord, its
 * reply printed as Markdown (a chart saved as a PNG in the outbox folder). The person at the
 * terminal runs the bot, so they may do what a monitor admin may. Exit 2 on a usage or input
 * problem (printed on stderr with `problemsTo: "err"`), 1 when what the command ran failed.
 */
export async function runChatLine(
	loaded: LoadedConfig,
	text: string,
	io: Io,
	opts: { problemsTo?: "out" | "err" } = {},
): Promise<number> {
	const db = lazyDatabase(loaded, io);
	const operator = io.env.USER ? `cli:${io.env.USER}` : "cli";
	try {
		const log = commandLogger(loaded, io);
		const services = commandServices({
			pool: db.pool,
			config: loaded.config,
			log,
		});
		const reply = await dispatch(commands, text, {
			...services,
			pulse: { ...services.pulse, monitorPool: db.monitorPool },
			user: { id: operator, name: operator, operator: true },
			channel: { kind: "local", id: "cli" },
			now: new Date(),
			log,
		});
		// The database did not open (unreachable, a bad login): that is the answer, said plainly,
		// not the chat's "something went wrong" (exit 1, as for any command that cannot reach it).
		if (db.failure() !== undefined) {
			io.err(`erp-pulse: ${errorMessage(db.failure())}`);
			return 1;
		}
		if (reply.message.chart?.png) {
			const id = localMessageId(new Date());
			const file = await writeMessage(
				outboxDir(loaded.config),
				id,
				reply.message,
				"<!-- erp-pulse chat -->",
			);
			io.out(
				toMarkdown({
					...reply.message,
					chart: {
						...reply.message.chart,
						filename: file.replace(/\.md$/, ".png"),
					},
				}),
			);
		} else if (reply.problem && opts.problemsTo === "err")
			io.err(toMarkdown(reply.message).trimEnd());
		else io.out(toMarkdown(reply.message));
		return reply.problem ? 2 : reply.failed ? 1 : 0;
	} finally {
		await db.close();
	}
}

/** `erp-pulse chat "<command text>"`. */
export function chatCommand(
	loaded: LoadedConfig,
	args: string[],
	io: Io,
): Promise<number> {
	return runChatLine(loaded, args.join(" "), io);
}

/**
 * `erp-pulse pulse|stox|digest …`: the shell's words and options as the chat command line they
 * stand for, so the terminal and chat share one grammar. A word that the shell kept whole but the
 * chat tokenizer would split or read as an option is quoted; `k=v` stays a pair. Every option
 * given goes along but --config and --help, which are the CLI's own (src/cli.ts has already
 * refused any the command does not take).
 */
export function commandLine(words: readonly string[], values: Values): string {
	const word = (w: string) =>
		/^[A-Za-z][\w.-]*=\S*$/.test(w) || /^[^\s"'\\-][^\s"'\\]*$/.test(w)
			? w
			: `"${w.replace(/[\\"]/g, "\\$&")}"`;
	const flags = Object.entries(values).flatMap(([o, v]) => {
		if (o === "config" || o === "help" || v === undefined || v === false)
			return [];
		if (v === true) return [`--${o}`];
		return (Array.isArray(v) ? v : [v]).map((x) => `--${o} ${word(x)}`);
	});
	return [...words.map(word), ...flags].join(" ");
}

/** Runs one of the shared commands from the CLI's own words and options. */
export function runShared(
	loaded: LoadedConfig,
	words: readonly string[],
	values: Values,
	io: Io,
): Promise<number> {
	return runChatLine(loaded, commandLine(words, values), io, {
		problemsTo: "err",
	});
}

export async function slackCommand(
	loaded: LoadedConfig,
	args: string[],
	io: Io,
): Promise<number> {
	if (args[0] !== "manifest" || args.length !== 1)
		throw new AppError("usage", 'expected "slack manifest"');
	const slack = loaded.config.chat.slack;
	if (!slack.publicUrl)
		io.err(
			"note: chat.slack.publicUrl is not set, so this manifest uses Socket Mode (set SLACK_APP_TOKEN). Set it to your bot's https:// address for HTTP events.",
		);
	io.out(
		JSON.stringify(
			slackManifest({
				commands,
				path: slack.path,
				...(slack.publicUrl ? { publicUrl: slack.publicUrl } : {}),
			}),
			null,
			2,
		),
	);
	return 0;
}
