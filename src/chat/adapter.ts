/**
 * A chat platform, as the bot plugs it in: a folder under src/chat/ that exports a ChatAdapter,
 * and one line in ./registry.ts. The adapter gets the ports (typed commands in, alert buttons)
 * and gives back the channel the outbox sends through, the HTTP routes
 * to mount and, for a platform with a socket or gateway, how to connect and disconnect. See the
 * README, "Adding a channel".
 */
import type { Config } from "../config/schema.ts";
import type { Route } from "../http/server.ts";
import type { QueryLibrary } from "../library/library.ts";
import type { Logger } from "../log.ts";
import type { MetricCatalog } from "../metrics/index.ts";
import type { AlertActions } from "./alert-actions.ts";
import type { ChatChannel } from "./channel.ts";
import type { CommandHandler } from "./inbound.ts";

/** What every adapter gets from the composition root. */
export interface AdapterContext {
	config: Config;
	/** Credentials come from here (SLACK_BOT_TOKEN, DISCORD_BOT_TOKEN, …), never from the config file. */
	env: NodeJS.ProcessEnv;
	/** The adapter's own logger (bound with `channel: <kind>`). */
	log: Logger;
	/** The inbound port: a typed command line in, the reply out. */
	commands: CommandHandler;
	/** What the alert buttons do. */
	alerts: AlertActions;
	/** The metric catalog, for platforms that suggest metric names as you type. */
	catalog: MetricCatalog;
	/** The saved queries (sql/library), for platforms that suggest query names as you type. */
	library: QueryLibrary;
}

/** A platform the environment configures, connected. */
export interface ChatConnection {
	/** Posts, edits and finds messages for "<kind>:<id>" destinations. */
	channel: ChatChannel;
	/** Routes to mount on the bot's HTTP server ("POST /slack/events"). */
	routes?: Record<string, Route>;
	/** Connects a socket or gateway once the bot is up. */
	start?(): Promise<void>;
	/** Disconnects, waiting for work under way. */
	stop?(): Promise<void>;
}

export interface ChatAdapter {
	/** The destination prefix, lower case: "slack" for "slack:C0123". */
	kind: string;
	/**
	 * The platform's connection when the environment configures it; null when it does not. An
	 * adapter imports its SDK here (`await import(…)`), so the registry stays cheap to load: the
	 * config reads it to check destinations.
	 */
	connect(ctx: AdapterContext): Promise<ChatConnection | null>;
}
