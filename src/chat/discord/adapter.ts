/** Discord as a chat adapter: on when DISCORD_BOT_TOKEN is set (the interactions endpoint with a public key). */
import type { ChatAdapter } from "../adapter.ts";

export const discordAdapter: ChatAdapter = {
	kind: "discord",
	async connect(ctx) {
		const { createDiscordApp, discordCredentials } = await import("./app.ts");
		const creds = discordCredentials(ctx.env);
		if (!creds) return null;
		const discord = createDiscordApp(creds, ctx.config.chat.discord.path, {
			commands: ctx.commands,
			alerts: ctx.alerts,
			catalog: ctx.catalog,
			library: ctx.library,
			log: ctx.log,
		});
		ctx.log.info(
			{ mode: discord.mode, path: discord.route ? discord.path : undefined },
			"discord enabled",
		);
		return {
			channel: discord.channel,
			routes: discord.route ? { [`POST ${discord.path}`]: discord.route } : {},
			start: () => discord.start(),
			stop: () => discord.stop(),
		};
	},
};
