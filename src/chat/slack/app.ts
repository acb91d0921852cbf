/**
 * The Slack app: Bolt with one of two receivers, chosen from the environment.
 * - SLACK_SIGNING_SECRET: Bolt's HTTPReceiver, mounted on the bot's own HTTP server at
 *   `chat.slack.path` (default /slack/events) rather than on a port of its own: one port to
 *   expose, one TLS terminator, /healthz beside it. The receiver checks the v0 signature and
 *   the 5-minute timestamp window and answers 401 before any listener runs.
 * - SLACK_APP_TOKEN (and no signing secret): Socket Mode, for a bot behind a firewall. It opens
 *   a WebSocket to Slack, so it is constructed here but cannot be exercised offline.
 * SLACK_BOT_TOKEN is needed in both cases. The WebClient options (timeouts, no queue-freezing
 * 429 handling) come from client.ts through Bolt's `clientOptions`. Bolt gets the token through
 * authorize.ts (auth.test once, not per request), so `client` is a WebClient of our own with the
 * token, for the outbox.
 */
import type { RequestListener } from "node:http";
import { App, HTTPReceiver } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import type { Logger } from "../../log.ts";
import type { SlackCredentials } from "../credentials.ts";
import { onceAuthorize } from "./authorize.ts";
import { slackClientOptions, slackLogger } from "./client.ts";
import { guardSlackRequests } from "./guard.ts";
import { type ListenerDeps, registerListeners } from "./listeners.ts";

/** A running (or ready-to-mount) Slack app. */
export interface SlackApp {
	mode: "http" | "socket";
	client: WebClient;
	/** HTTP mode: the handler to mount at `path` on the bot's HTTP server. */
	requestListener?: RequestListener;
	path: string;
	start(): Promise<void>;
	stop(): Promise<void>;
}

/** Builds the Bolt app with the listeners registered. */
export function createSlackApp(
	creds: SlackCredentials,
	path: string,
	deps: ListenerDeps,
	log: Logger,
): SlackApp {
	const logger = slackLogger(log);
	const clientOptions = slackClientOptions(log, creds.apiUrl);
	const client = new WebClient(creds.botToken, clientOptions);
	const authorize = onceAuthorize(client, creds.botToken, log);
	if (creds.signingSecret) {
		const receiver = new HTTPReceiver({
			signingSecret: creds.signingSecret,
			endpoints: path,
			// Acknowledge before the listener finishes: the bot is a long-running server, not a FaaS.
			processBeforeResponse: false,
			logger,
		});
		const app = new App({ authorize, receiver, clientOptions, logger });
		registerListeners(app, deps);
		return {
			mode: "http",
			client,
			requestListener: guardSlackRequests(receiver.requestListener, {
				signingSecret: creds.signingSecret,
				log,
			}),
			path,
			start: async () => {},
			stop: async () => {},
		};
	}
	const app = new App({
		authorize,
		appToken: creds.appToken as string,
		socketMode: true,
		clientOptions,
		logger,
	});
	registerListeners(app, deps);
	return {
		mode: "socket",
		client,
		path,
		start: async () => {
			await app.start();
		},
		stop: () => app.stop().then(() => {}),
	};
}

export { type SlackCredentials, slackCredentials } from "../credentials.ts";
