/**
 * The chat platforms the bot knows, besides the local outbox folder (always on). Adding one is a
 * folder under src/chat/ with its ChatAdapter and one line here (README, "Adding a channel").
 * Cheap to import: each adapter loads its SDK only when it connects.
 */
import type { ChatAdapter } from "./adapter.ts";
import { discordAdapter } from "./discord/adapter.ts";
import { slackAdapter } from "./slack/adapter.ts";

export const CHAT_ADAPTERS: readonly ChatAdapter[] = [
	slackAdapter,
	discordAdapter,
];

/** The destination kinds a channel reference may name: the local outbox folder and every adapter's. */
export const CHANNEL_KINDS: readonly string[] = [
	"local",
	...CHAT_ADAPTERS.map((a) => a.kind),
];
