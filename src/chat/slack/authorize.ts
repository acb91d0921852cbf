/**
 * Bolt's `authorize` for the one workspace the bot token belongs to.
 *
 * Bolt's own single-token authorize (with token verification off, as app.ts needs it) calls
 * auth.test on every request it receives, only to learn the bot's ids: a Slack round trip before
 * every slash command and button, and when that call fails (a 429 is rejected at once by our
 * client options) Bolt acknowledges the request and drops it without a word to the user. This one
 * asks once and keeps the answer. A failed ask is logged and retried on the next request; the
 * request itself goes on without the ids, which only Bolt's ignoreSelf check on events reads.
 */
import type { Authorize } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { errorMessage } from "../../errors.ts";
import type { Logger } from "../../log.ts";

/** The bot's own ids, as auth.test reports them. */
interface BotIdentity {
	botId?: string;
	botUserId?: string;
}

/** An authorize that calls auth.test on the first request only (again after a failure). */
export function onceAuthorize(
	client: WebClient,
	botToken: string,
	log: Logger,
): Authorize<boolean> {
	let identity: BotIdentity | undefined;
	let asking: Promise<BotIdentity | undefined> | undefined;
	const ask = () =>
		client.auth
			.test({ token: botToken })
			.then(
				(r): BotIdentity => ({
					...(r.bot_id ? { botId: r.bot_id } : {}),
					...(r.user_id ? { botUserId: r.user_id } : {}),
				}),
			)
			.catch((err: unknown) => {
				log.warn(
					{ err: errorMessage(err) },
					"auth.test failed; going on without the bot's ids and asking again next request",
				);
				return undefined;
			})
			.finally(() => {
				asking = undefined;
			});
	return async ({ isEnterpriseInstall }) => {
		if (!identity) {
			asking ??= ask();
			identity = await asking;
		}
		return { botToken, isEnterpriseInstall, ...identity };
	};
}
