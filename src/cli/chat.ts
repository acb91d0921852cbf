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
 * The CLI's one-shot root for commands: the database (the embedded one included), migrated, and
 * a monitor pool that logs in as the monitors' own role as the bot does (src/main.ts), all opened
 * on the first query, so a command that answers from its words alone — help, or a typo it names —
 * never starts Postgres.
 */
function lazyDatabase(loaded: LoadedConfig, io: Io) {
	type Opened = { pool: Pool; monitorPool: Pool; close(): Promise<void> };
	let opened: Promise<Opened> | undefined;
	let failure: unknown;
	const open = () => {
		opened ??= (async () => {
			const db = await openCommandDatabase(loaded, io);
			try {
				await migrate(db.pool, migrationsDir, db.log);
				const login = await monitorLogin(db.pool, db.url, { env: io.env });
				const monitorPool = createPool(login.url, db.log, {
					max: 2,
					applicationName: "erp-pulse:monitors",
				});
				return {
					pool: db.pool,
					monitorPool,
					close: async () => {
						await monitorPool.end();
						await db.close();
					},
				};
			} catch (err) {
				await db.close();
				throw err;
			}
		})().catch((err: unknown) => {
			failure = err;
			throw err;
		});
		return opened;
	};
	const lazy = (pick: (o: Opened) => Pool) =>
		({
			query: async (...args: unknown[]) =>
				(
					pick(await open()).query as unknown as (
						...a: unknown[]
					) => Promise<unknown>
				)(...args),
			connect: async () => pick(await open()).connect(),
		}) as unknown as Pool;
	return {
		pool: lazy((o) => o.pool),
		monitorPool: lazy((o) => o.monitorPool),
		/** Why the database could not be opened, once a command tried. */
		failure: () => failure,
		close: async () => {
			if (opened) await (await opened.catch(() => undefined))?.close();
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
			user: {
				id: io.env.USER ? `cli:${io.env.USER}` : "cli",
				name: io.env.USER ? `cli:${io.env.USER}` : "cli",
				operator: true,
			},
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
 * chat tokenizer would split or read as an option is quoted; `k=v` stays a pair.
 */
export function commandLine(
	words: readonly string[],
	values: Values,
	options: readonly string[],
): string {
	const word = (w: string) =>
		/^[A-Za-z][\w.-]*=\S*$/.test(w) || /^[^\s"'\\-][^\s"'\\]*$/.test(w)
			? w
			: `"${w.replace(/[\\"]/g, "\\$&")}"`;
	const flags = options.flatMap((o) => {
		const v = values[o];
		if (v === undefined || v === false) return [];
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
	options: readonly string[],
	io: Io,
): Promise<number> {
	return runChatLine(loaded, commandLine(words, values, options), io, {
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
