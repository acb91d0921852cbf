/**
 * `erp-pulse chat "<command text>"`: runs any registered command locally through the same
 * dispatcher as Slack and prints the reply as Markdown; a chart is saved as a PNG in the outbox
 * folder next to a Markdown copy. `erp-pulse slack manifest`: prints the Slack app manifest.
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
import type { Pool } from "../db/pool.ts";
import { AppError } from "../errors.ts";
import { commandLogger, type Io, openCommandDatabase } from "./io.ts";

/**
 * A pool that opens the database (the embedded one included) on its first query: a command that
 * answers from its words alone — help, or a typo it names — never starts Postgres.
 */
function lazyPool(loaded: LoadedConfig, io: Io) {
	let opened: Promise<{ pool: Pool; close(): Promise<void> }> | undefined;
	const open = () => {
		opened ??= openCommandDatabase(loaded, io);
		return opened;
	};
	const pool = {
		query: async (...args: unknown[]) =>
			(
				(await open()).pool.query as unknown as (
					...a: unknown[]
				) => Promise<unknown>
			)(...args),
		connect: async () => (await open()).pool.connect(),
	} as unknown as Pool;
	return {
		pool,
		close: async () => {
			if (opened) await (await opened).close();
		},
	};
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
			...commandServices({ pool, config: loaded.config, log }),
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
	const lazy = lazyPool(loaded, io);
	try {
		return await run(lazy.pool);
	} finally {
		await lazy.close();
	}
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
