/**
 * The bot's Slack side as production wires it, for tests and benches: the real Bolt app (HTTP
 * receiver) mounted on the bot's own HTTP server, its WebClient pointed at the loopback stand-in
 * for Slack's Web API, and requests signed with a test signing secret the way Slack signs them.
 * Slash commands go in as Slack sends them: form-encoded, one field per slash-command property.
 */
import { commandHandler } from "../../commands/dispatch.ts";
import { commandServices } from "../../commands/services.ts";
import type { ChatCommand } from "../../commands/types.ts";
import { createSlackApp } from "../../src/chat/slack/app.ts";
import type { Pool } from "../../src/db/pool.ts";
import { createMetrics } from "../../src/http/metrics.ts";
import { startHttpServer } from "../../src/http/server.ts";
import type { Logger } from "../../src/log.ts";
import { createPgAlertActions } from "../../src/pulse/engine/chat-actions.ts";
import { pulseDepsFor, slackSignature } from "./chat.ts";
import { type SlackStandIn, startSlackStandIn } from "./slack-standin.ts";

/** The signing secret every bot started here checks requests against. */
export const TEST_SIGNING_SECRET = "test-signing-secret-0123456789";
/** The channel slash commands are typed in. */
export const TEST_CHANNEL = "C0ALERTS1";
export const FORM = "application/x-www-form-urlencoded";

/** How to sign one request; the defaults sign it correctly, now. */
export interface SendOptions {
	ts?: number;
	signature?: string;
	retry?: number;
}

/** A running bot and its Slack stand-in. */
export interface SlackBot {
	slack: SlackStandIn;
	/** The events URL (http://127.0.0.1:<port>/slack/events). */
	url: string;
	/** Posts a body signed the way Slack signs it. */
	send(body: string, type?: string, opts?: SendOptions): Promise<Response>;
	/** Sends `/command text` typed in TEST_CHANNEL; the reply URL is the stand-in's /respond/<id>. */
	slashCommand(command: string, text: string, id: string): Promise<Response>;
	close(): Promise<void>;
}

/** What the bot answers with; the alert buttons act through the Pulse engine on `pool`. */
export interface SlackBotOptions {
	pool: Pool;
	commands: readonly ChatCommand[];
	/** What the command handler's services are built from, as main.ts builds them. */
	context: Omit<Parameters<typeof commandServices>[0], "log">;
	log: Logger;
}

/** Slack's slash-command payload (application/x-www-form-urlencoded). */
export function slashCommandBody(
	command: string,
	text: string,
	responseUrl: string,
): string {
	return new URLSearchParams({
		token: "legacy",
		team_id: "T1",
		team_domain: "acme",
		channel_id: TEST_CHANNEL,
		channel_name: "alerts",
		user_id: "U0ANA",
		user_name: "ana",
		command,
		text,
		api_app_id: "A1",
		is_enterprise_install: "false",
		response_url: responseUrl,
		trigger_id: "1.2.3",
	}).toString();
}

/**
 * A click on a message's button (or a choice in its select, with `value`) as Slack posts it: a
 * block_actions payload, form-encoded, from ana in TEST_CHANNEL. `n` makes its trigger id and
 * action time its own, as every real click's are.
 */
export function blockActionsBody(o: {
	actionId: string;
	n: number;
	/** The clicked message's ts. */
	ts: string;
	responseUrl: string;
	label?: string;
	value?: string;
	/** The clicked message's blocks, as Slack sends them back. */
	blocks?: unknown[];
}): string {
	const actionTs = `1700000100.${o.n}`;
	const action = o.value
		? {
				type: "static_select",
				action_id: o.actionId,
				block_id: "b1",
				selected_option: {
					text: { type: "plain_text", text: "1 hour" },
					value: o.value,
				},
				action_ts: actionTs,
			}
		: {
				type: "button",
				action_id: o.actionId,
				block_id: "b1",
				text: { type: "plain_text", text: o.label ?? "button" },
				action_ts: actionTs,
			};
	const payload = {
		type: "block_actions",
		team: { id: "T1", domain: "acme" },
		user: { id: "U0ANA", username: "ana", name: "ana", team_id: "T1" },
		api_app_id: "A1",
		token: "legacy",
		trigger_id: `1.2.${o.n}`,
		container: {
			type: "message",
			message_ts: o.ts,
			channel_id: TEST_CHANNEL,
			is_ephemeral: false,
		},
		channel: { id: TEST_CHANNEL, name: "alerts" },
		message: {
			type: "message",
			ts: o.ts,
			text: "alert",
			blocks: o.blocks ?? [],
		},
		response_url: o.responseUrl,
		actions: [action],
	};
	return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Starts the stand-in, then the bot's HTTP server with the Bolt app on /slack/events. */
export async function startSlackBot(opts: SlackBotOptions): Promise<SlackBot> {
	const slack = await startSlackStandIn();
	const app = createSlackApp(
		{
			botToken: "xoxb-test-token",
			signingSecret: TEST_SIGNING_SECRET,
			apiUrl: slack.apiUrl,
		},
		"/slack/events",
		{
			commands: commandHandler(
				opts.commands,
				commandServices({ ...opts.context, log: opts.log }),
			),
			alerts: createPgAlertActions(pulseDepsFor(opts.pool, opts.log)),
			log: opts.log,
		},
		opts.log,
	);
	const listener = app.requestListener;
	if (!listener) throw new Error("expected the Slack app in HTTP mode");
	const http = await startHttpServer({
		host: "127.0.0.1",
		port: 0,
		log: opts.log,
		metrics: createMetrics(),
		health: async () => ({ ok: true }),
		routes: { "POST /slack/events": (req, res) => listener(req, res) },
	});
	const url = `http://127.0.0.1:${http.port}/slack/events`;
	const send = (body: string, type = FORM, o: SendOptions = {}) => {
		const ts = o.ts ?? Math.floor(Date.now() / 1000);
		return fetch(url, {
			method: "POST",
			headers: {
				"content-type": type,
				"x-slack-request-timestamp": String(ts),
				"x-slack-signature":
					o.signature ?? slackSignature(TEST_SIGNING_SECRET, ts, body),
				...(o.retry
					? {
							"x-slack-retry-num": String(o.retry),
							"x-slack-retry-reason": "http_timeout",
						}
					: {}),
			},
			body,
		});
	};
	return {
		slack,
		url,
		send,
		slashCommand: (command, text, id) =>
			send(slashCommandBody(command, text, `${slack.url}/respond/${id}`)),
		close: async () => {
			await http.close();
			await slack.close();
		},
	};
}
