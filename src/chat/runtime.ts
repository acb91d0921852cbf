/**
 * Chat, assembled for the composition root: which channels exist (Slack and Discord when their
 * tokens are set; the local outbox folder always, for `local:*` deliveries and as the
 * zero-config channel), the payload renderer, the HTTP routes to mount (Slack's and Discord's
 * endpoints, the playground page), and the poller that queues the deliver job when the outbox
 * has something due.
 */
import type { Config } from "../config/schema.ts";
import type { Pool } from "../db/pool.ts";
import { errorMessage } from "../errors.ts";
import type { Route } from "../http/server.ts";
import type { QueryLibrary } from "../library/library.ts";
import type { Logger } from "../log.ts";
import type { MetricCatalog } from "../metrics/index.ts";
import type { ChatRuntime } from "../queue/job.ts";
import type { ChatAdapter } from "./adapter.ts";
import type { AlertActions, ExplainMessage } from "./alert-actions.ts";
import type { ChannelSet } from "./channel.ts";
import type { CommandHandler } from "./inbound.ts";
import { createLocalChannel, outboxDir } from "./local/channel.ts";
import { countDue } from "./outbox-sql.ts";
import { createRenderer } from "./payload.ts";
import { createPlayground } from "./playground/routes.ts";
import { CHAT_ADAPTERS } from "./registry.ts";

/** A platform the environment turned on, for main.ts to start after the bot is up and stop first. */
export interface ConnectedPlatform {
	kind: string;
	start(): Promise<void>;
	stop(): Promise<void>;
}

/** Chat as main.ts uses it. */
export interface Chat {
	runtime: ChatRuntime;
	alerts: AlertActions;
	/** The adapters the environment configures (Slack, Discord, …), in registry order. */
	platforms: ConnectedPlatform[];
	/** HTTP routes to mount on the bot's server (the Slack events endpoint in HTTP mode). */
	routes: Record<string, Route>;
	outboxDir: string;
}

/**
 * Builds the channels: the local outbox folder always, and each registered adapter (./registry.ts)
 * the environment configures: Slack when SLACK_BOT_TOKEN (+ signing secret or app token) is set,
 * Discord when DISCORD_BOT_TOKEN is.
 */
export async function createChat(opts: {
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
	/** The root's metric catalog (Discord suggests metric names from it). */
	catalog: MetricCatalog;
	/** The root's query library (Discord suggests query names from it). */
	library: QueryLibrary;
	/** The platforms to offer; default the registry. A test adds its own adapter here. */
	adapters?: readonly ChatAdapter[];
}): Promise<Chat> {
	const { config, env, log } = opts;
	const dir = outboxDir(config);
	const local = createLocalChannel(dir, log.child({ channel: "local" }));
	const channels: ChannelSet = { local };
	const { alerts } = opts;
	const routes: Record<string, Route> = {};
	const platforms: ConnectedPlatform[] = [];
	for (const adapter of opts.adapters ?? CHAT_ADAPTERS) {
		const connection = await adapter.connect({
			config,
			env,
			log: log.child({ channel: adapter.kind }),
			commands: opts.commands,
			alerts,
			catalog: opts.catalog,
			library: opts.library,
		});
		if (!connection) continue;
		channels[adapter.kind] = connection.channel;
		Object.assign(routes, connection.routes);
		platforms.push({
			kind: adapter.kind,
			start: () => connection.start?.() ?? Promise.resolve(),
			stop: () => connection.stop?.() ?? Promise.resolve(),
		});
	}
	if (platforms.length === 0)
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
		platforms,
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
