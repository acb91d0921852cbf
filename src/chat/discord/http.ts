/**
 * The HTTP way in: Discord POSTs every interaction to the endpoint URL set in the Developer
 * Portal (mounted on the bot's own HTTP server at `chat.discord.path`). The signature is checked
 * before anything is parsed: a forged, stale or unsigned request gets 401 and nothing else
 * happens (Discord itself sends such requests when the URL is saved, to check that). A genuine
 * one gets its initial response as the HTTP answer, and the work it asked for runs afterwards.
 */
import type { KeyObject } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../../http/body.ts";
import type { Route } from "../../http/server.ts";
import type { Logger } from "../../log.ts";
import { type Interaction, parseInteraction } from "./interaction.ts";
import type { Handled } from "./interactions.ts";
import { checkDiscordSignature } from "./verify.ts";

/** Interactions are small; anything bigger is refused unread. */
export const DISCORD_BODY_MAX_BYTES = 256 * 1024;
/** How long a handled interaction's id is remembered: longer than the signature window. */
export const DISCORD_REPLAY_WINDOW_MS = 2 * 5 * 60_000;

/** What the route needs. */
export interface InteractionsRouteDeps {
	publicKey: KeyObject;
	handle(interaction: Interaction): Handled;
	/** Keeps the after-response work, so shutdown (and tests) can wait for it. */
	track(work: Promise<void>): void;
	log: Logger;
	now?: () => Date;
}

function json(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, {
		"content-type": "application/json",
		"cache-control": "no-store",
	});
	res.end(JSON.stringify(body));
}

const header = (req: IncomingMessage, name: string) => {
	const v = req.headers[name];
	return Array.isArray(v) ? v[0] : v;
};

/**
 * The POST route for Discord's interactions endpoint. Each interaction id is acted on once: the
 * same signed request resent within the signature window (a replay) is answered and does nothing.
 */
export function interactionsRoute(deps: InteractionsRouteDeps): Route {
	const seen = new Map<string, number>();
	return async (req, res) => {
		const body = await readBody(req, DISCORD_BODY_MAX_BYTES);
		if (!body) {
			res.setHeader("connection", "close");
			json(res, 413, { error: "request body too large" });
			return;
		}
		const problem = checkDiscordSignature(
			deps.publicKey,
			{
				signature: header(req, "x-signature-ed25519"),
				timestamp: header(req, "x-signature-timestamp"),
			},
			body,
			deps.now?.() ?? new Date(),
		);
		if (problem) {
			deps.log.warn({ problem }, "discord request refused");
			json(res, 401, { error: "invalid request signature" });
			return;
		}
		let interaction: Interaction | null;
		try {
			interaction = parseInteraction(JSON.parse(body.toString("utf8")));
		} catch {
			interaction = null;
		}
		if (!interaction) {
			json(res, 400, { error: "not an interaction" });
			return;
		}
		const at = (deps.now?.() ?? new Date()).getTime();
		for (const [id, until] of seen) {
			if (until > at) break;
			seen.delete(id);
		}
		if (seen.has(interaction.id)) {
			deps.log.info(
				{ interaction: interaction.id },
				"discord interaction replayed; ignored",
			);
			// DEFERRED_UPDATE_MESSAGE: acknowledged, nothing changes.
			json(res, 200, { type: 6 });
			return;
		}
		seen.set(interaction.id, at + DISCORD_REPLAY_WINDOW_MS);
		const handled = deps.handle(interaction);
		json(res, 200, handled.response);
		if (handled.after) deps.track(handled.after());
	};
}
