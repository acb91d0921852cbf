/**
 * `erp-pulse discord register [--guild ID]`: registers the slash commands (in one server, or
 * globally) with DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID from the environment, then prints
 * the invite URL. `erp-pulse discord invite`: prints the invite URL only.
 */
import { commands } from "../../commands/index.ts";
import { discordCredentials } from "../chat/discord/app.ts";
import { inviteUrl, registerCommands } from "../chat/discord/register.ts";
import { createDiscordRest } from "../chat/discord/rest.ts";
import { slashSpecs } from "../chat/discord/specs.ts";
import type { LoadedConfig } from "../config/load.ts";
import { AppError } from "../errors.ts";
import { commandLogger, type Io, type Values } from "./io.ts";

export async function discordCommand(
	loaded: () => LoadedConfig,
	args: string[],
	values: Values,
	io: Io,
): Promise<number> {
	const [verb] = args;
	if (verb !== "register" && verb !== "invite")
		throw new AppError(
			"usage",
			'expected "discord register" or "discord invite"',
		);
	const guild = values.guild as string | undefined;
	if (
		guild !== undefined &&
		(verb !== "register" || !/^\d{17,20}$/.test(guild))
	)
		throw new AppError(
			"usage",
			verb === "register"
				? `--guild expects a server id (right-click the server → Copy Server ID), got "${guild}"`
				: "--guild goes only with discord register",
		);
	const creds = discordCredentials(io.env);
	if (!creds)
		throw new AppError(
			"config_missing_env",
			"DISCORD_BOT_TOKEN is not set. Fix: export DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID (Developer Portal → your application → Bot / General Information).",
		);
	if (verb === "register") {
		const rest = createDiscordRest({
			botToken: creds.botToken,
			...(creds.apiUrl ? { apiUrl: creds.apiUrl } : {}),
			log: commandLogger(loaded(), io),
		});
		const names = await registerCommands(
			rest,
			creds.applicationId,
			slashSpecs(commands),
			guild,
		);
		io.out(
			`Registered ${names.length} commands ${guild ? `in server ${guild}` : "globally"}: ${names.map((n) => `/${n}`).join(" ")}`,
		);
		if (!guild)
			io.out(
				"Global commands can take a while to show up in every server; --guild <server id> registers them in one server at once.",
			);
	}
	io.out(`Invite the bot: ${inviteUrl(creds.applicationId)}`);
	return 0;
}
