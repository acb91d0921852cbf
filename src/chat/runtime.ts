/**
 * Chat, assembled for the composition root: which channels exist (Slack and Discord when their
 * tokens are set; the local outbox folder always, for `local:*` deliveries and as the
 * zero-config channel), the payload renderer, the HTTP routes to mount (Slack's and Discord's
 * endpoints, the playground page), and the poller that queues the deliver job when the outbox
 * has something due.
 */
import type { ChartRenderer } from "../charts/index.ts";
import type { Config } from "../config/schema.ts";
import type { Pool } from "../db/pool.ts";
import { errorMessage } from "../errors.ts";
import type { Route } from "../http/server.ts";
import type { Logger } from "../log.ts";
import { createMetricCatalog } from "../metrics/index.ts";
import type { ChatRuntime } from "../queue/job.ts";
import type { AlertActions, ExplainMessage } from "./alert-actions.ts";
import type { ChannelSet } from "./channel.ts";
import {
	createDiscordApp,
	type DiscordApp,
	discordCredentials,
} from "./discord/app.ts";
import type { CommandHandler } from "./inbound.ts";
import { createLocalChannel, outboxDir } from "./local/channel.ts";
import { countDue } from "./outbox-sql.ts";
import { createRenderer } from "./payload.ts";
import { createPlayground } from "./playground/routes.ts";
import {
	createSlackApp,
	type SlackApp,
	slackCredentials,
} from "./slack/app.ts";
import { createSlackChannel } from "./slack/channel.ts";

/** Chat as main.ts uses it. */
export interface Chat {
	runtime: ChatRuntime;
	alerts: AlertActions;
	slack: SlackApp | null;
	/** Discord when DISCORD_BOT_TOKEN is set; main.ts starts and stops it (the gateway, if used). */
	discord: DiscordApp | null;
	/** HTTP routes to mount on the bot's server (the Slack events endpoint in HTTP mode). */
	routes: Record<string, Route>;
	outboxDir: string;
}

/** Builds the channels from env: Slack when SLACK_BOT_TOKEN (+ signing secret or app token) is set, Discord when DISCORD_BOT_TOKEN is. */
export function createChat(opts: {
	config: Config;
	env: NodeJS.ProcessEnv;
	/**
	 * What the alert buttons act through (the Pulse engine's, src/pulse/engine/chat-actions.ts,
	 * built by the composition root with `explainMessage` for the Explain button).
	 */
	alerts: AlertActions;
	log: Logger;
	/** The inbound port every adapter hands typed commands to (built by the composition root). */
	commands: CommandHandler;
	/** The shared chart renderer for alert charts. */
	charts?: ChartRenderer;
}): Chat {
	const { config, env, log } = opts;
	const dir = outboxDir(config);
	const local = createLocalChannel(dir, log.child({ channel: "local" }));
	const channels: ChannelSet = { local };
	const { alerts } = opts;
	const creds = slackCredentials(env);
	let slack: SlackApp | null = null;
	const routes: Record<string, Route> = {};
	if (creds) {
		slack = createSlackApp(
			creds,
			config.chat.slack.path,
			{
				commands: opts.commands,
				alerts,
				log: log.child({ channel: "slack" }),
			},
			log,
		);
		channels.slack = createSlackChannel(slack.client);
		const listener = slack.requestListener;
		if (listener)
			routes[`POST ${slack.path}`] = (req, res) => listener(req, res);
		log.info(
			{
				mode: slack.mode,
				path: slack.mode === "http" ? slack.path : undefined,
			},
			"slack enabled",
		);
	}
	const discord = addDiscord(opts, channels, routes, alerts);
	if (!creds && !discord)
		log.info(
			{ outbox: dir },
			"no chat credentials: messages go to the local outbox folder",
		);
	const playground = createPlayground({
		config,
		local,
		alerts,
		commands: opts.commands,
		user: { id: "local", name: env.USER ?? "local" },
		log: log.child({ channel: "playground" }),
	});
	if (playground) Object.assign(routes, playground.routes);
	return {
		runtime: { channels, render: createRenderer(alerts) },
		alerts,
		slack,
		discord,
		routes,
		outboxDir: dir,
	};
}

/**
 * The Explain button's thread reply: the `explain` command run as if someone had typed it for the
 * alert's metric, period and member, so the reply is the same answer and chart as /explain.
 */
export function explainMessage(
	commands: CommandHandler,
	log: Logger,
): ExplainMessage {
	return async (r) => {
		const period =
			r.grain === "month"
				? r.period.slice(0, 7)
				: r.grain === "week"
					? `week of ${r.period}`
					: r.period;
		// Quoted, so a member with spaces or quotes in its name stays one word.
		const quote = (v: string) => `"${v.replace(/["\\]/g, "\\$&")}"`;
		const within = r.within
			? ` in ${quote(`${r.within.dimension}=${r.within.value}`)}`
			: "";
		const reply = await commands.run(
			`explain ${r.metric} ${period} --grain ${r.grain}${within}`,
			{
				user: { id: "erp-pulse", name: "Explain" },
				channel: { kind: "local", id: "alerts" },
				now: new Date(),
				log,
			},
		);
		return reply.message;
	};
}

/** Discord when DISCORD_BOT_TOKEN is set: its outbox channel and, with a public key, its endpoint. */
function addDiscord(
	opts: Parameters<typeof createChat>[0],
	channels: ChannelSet,
	routes: Record<string, Route>,
	alerts: AlertActions,
): DiscordApp | null {
	const creds = discordCredentials(opts.env);
	if (!creds) return null;
	const { config, log } = opts;
	const discord = createDiscordApp(creds, config.chat.discord.path, {
		commands: opts.commands,
		alerts,
		catalog: createMetricCatalog({ currency: config.currency }),
		log: log.child({ channel: "discord" }),
	});
	channels.discord = discord.channel;
	if (discord.route) routes[`POST ${discord.path}`] = discord.route;
	log.info(
		{ mode: discord.mode, path: discord.route ? discord.path : undefined },
		"discord enabled",
	);
	return discord;
}

/**
 * Every `intervalMs`, queues the deliver job when a delivery is due. One cheap indexed query per
 * tick; the job's `exclusive` policy drops a send while one is queued or running.
 */
export function startOutboxPoller(opts: {
	pool: Pool;
	kinds: readonly string[];
	intervalMs: number;
	send: () => Promise<unknown>;
	log: Logger;
}): { stop(): void } {
	let busy = false;
	const timer = setInterval(() => {
		if (busy) return;
		busy = true;
		opts.pool
			.query<{ due: boolean }>(countDue(opts.kinds, new Date()))
			.then((r) => (r.rows[0]?.due ? opts.send() : undefined))
			.catch((err: unknown) =>
				opts.log.warn(
					{ err: errorMessage(err) },
					"outbox poll failed; will try again",
				),
			)
			.finally(() => {
				busy = false;
			});
	}, opts.intervalMs);
	timer.unref();
	return { stop: () => clearInterval(timer) };
}

export { outboxDir };
