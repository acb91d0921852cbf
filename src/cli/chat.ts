/**
 * `erp-pulse chat "<command text>"`: runs any registered command locally through the same
 * dispatcher as Slack and prints the reply as Markdown; a chart is saved as a PNG in the outbox
 * folder next to a Markdown copy. `erp-pulse slack manifest`: prints the Slack app manifest.
 */

import {
	dispatch,
	resolveCommand,
	withoutSlash,
} from "../../commands/dispatch.ts";
import { commands } from "../../commands/index.ts";
import { tokenize } from "../../commands/tokenize.ts";
import {
	localMessageId,
	outboxDir,
	writeMessage,
} from "../chat/local/channel.ts";
import { toMarkdown } from "../chat/local/markdown.ts";
import { slackManifest } from "../chat/slack/manifest.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { Pool } from "../db/pool.ts";
import { AppError } from "../errors.ts";
import { commandLogger, type Io, withDatabase } from "./io.ts";

/** A pool for commands that declared they never touch the database. */
function noDatabase(): Pool {
	const refuse = () =>
		Promise.reject(
			new AppError(
				"usage",
				"this command was declared database-free but used the database",
			),
		);
	return { query: refuse, connect: refuse } as unknown as Pool;
}

/** Does the text name a command that needs the database? Unknown text does not (it only gets an error reply). */
function needsDatabase(text: string): boolean {
	try {
		const found = resolveCommand(commands, tokenize(withoutSlash(text)));
		return found.ok && found.command.database !== false;
	} catch {
		return false;
	}
}

export async function chatCommand(
	loaded: LoadedConfig,
	args: string[],
	io: Io,
): Promise<number> {
	const text = args.join(" ");
	const run = async (pool: Pool) => {
		const log = commandLogger(loaded, io);
		const reply = await dispatch(commands, text, {
			pool,
			config: loaded.config,
			user: { id: io.env.USER ?? "local", name: io.env.USER ?? "local" },
			channel: { kind: "local", id: "cli" },
			now: new Date(),
			log,
		});
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
		} else io.out(toMarkdown(reply.message));
		return reply.problem ? 2 : 0;
	};
	if (!needsDatabase(text)) return run(noDatabase());
	return withDatabase(loaded, io, (pool) => run(pool));
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
