/**
 * `erp-pulse discord register`: replaces the application's slash commands with the current set
 * (PUT is a bulk overwrite, so a command removed from the registry disappears from Discord too).
 * With a guild id the commands are registered in that server only and show up at once, which
 * suits testing; without one they are global, for every server the bot is in.
 */
import type { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import { applicationCommands, type SlashSpec } from "./commands.ts";
import { discordError } from "./rest.ts";

/** Permissions the bot asks for in the invite URL, and why. */
export const BOT_PERMISSIONS = {
	ViewChannel: 1n << 10n, // see the channels it posts in
	SendMessages: 1n << 11n, // post alerts, digests and command replies
	EmbedLinks: 1n << 14n, // embeds (the whole message is one)
	AttachFiles: 1n << 15n, // charts
	ReadMessageHistory: 1n << 16n, // edit its own alert messages in place
	CreatePublicThreads: 1n << 35n, // re-fires and recovery go into the alert's thread
	SendMessagesInThreads: 1n << 38n, // … and are posted there
} as const;

/** The invite URL: the bot user plus its slash commands, with the permissions above. */
export function inviteUrl(applicationId: string): string {
	const permissions = Object.values(BOT_PERMISSIONS).reduce((a, b) => a | b);
	const q = new URLSearchParams({
		client_id: applicationId,
		scope: "bot applications.commands",
		permissions: permissions.toString(),
	});
	return `https://discord.com/oauth2/authorize?${q.toString()}`;
}

/** Registers the commands; returns the names Discord now has. */
export async function registerCommands(
	rest: REST,
	applicationId: string,
	specs: readonly SlashSpec[],
	guildId?: string,
): Promise<string[]> {
	const route = guildId
		? Routes.applicationGuildCommands(applicationId, guildId)
		: Routes.applicationCommands(applicationId);
	try {
		const registered = (await rest.put(route, {
			body: applicationCommands(specs),
		})) as { name: string }[];
		return registered.map((c) => c.name);
	} catch (err) {
		throw discordError(
			err,
			guildId ? "register guild commands" : "register commands",
		);
	}
}
