/**
 * Chat credentials from the environment, and every rule they must meet — one source of truth
 * for `start` (which builds the adapters from them) and `doctor` (which reports the same
 * sentence). Kept apart from the adapters so that checking them loads neither Bolt nor discord.js.
 */
import { AppError } from "../errors.ts";
import { discordPublicKey } from "./discord/verify.ts";

/** Secrets and endpoints, read from env by the composition root. */
export interface SlackCredentials {
	botToken: string;
	signingSecret?: string;
	appToken?: string;
	/** Web API base URL; tests point it at a loopback stand-in. */
	apiUrl?: string;
}

/** Reads Slack credentials from env; null when the bot token is missing (local channel only). */
export function slackCredentials(
	env: NodeJS.ProcessEnv,
): SlackCredentials | null {
	const botToken = env.SLACK_BOT_TOKEN;
	if (!botToken) return null;
	if (!botToken.startsWith("xoxb-"))
		throw new AppError(
			"config_invalid",
			"SLACK_BOT_TOKEN is not a bot token (it starts with xoxb-). Fix: copy the Bot User OAuth Token from the Slack app settings → OAuth & Permissions.",
		);
	const signingSecret = env.SLACK_SIGNING_SECRET || undefined;
	const appToken = env.SLACK_APP_TOKEN || undefined;
	if (!signingSecret && !appToken)
		throw new AppError(
			"config_invalid",
			"SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP events) nor SLACK_APP_TOKEN (Socket Mode) is. Fix: export one of them (Slack app settings → Basic Information).",
		);
	if (appToken && !appToken.startsWith("xapp-"))
		throw new AppError(
			"config_invalid",
			"SLACK_APP_TOKEN is not an app-level token (it starts with xapp-). Fix: create one with the connections:write scope in the Slack app settings → Basic Information → App-Level Tokens.",
		);
	return {
		botToken,
		...(signingSecret ? { signingSecret } : {}),
		...(appToken ? { appToken } : {}),
		...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
	};
}

/** Secrets and endpoints, read from env by the composition root. */
export interface DiscordCredentials {
	botToken: string;
	applicationId: string;
	publicKey?: string;
	/** Receive interactions over the gateway (DISCORD_GATEWAY=1, or no public key). */
	gateway: boolean;
	apiUrl?: string;
}

/** Reads Discord credentials from env; null when DISCORD_BOT_TOKEN is not set. */
export function discordCredentials(
	env: NodeJS.ProcessEnv,
): DiscordCredentials | null {
	const botToken = env.DISCORD_BOT_TOKEN;
	if (!botToken) return null;
	const applicationId = env.DISCORD_APPLICATION_ID ?? "";
	if (!/^\d{17,20}$/.test(applicationId))
		throw new AppError(
			"config_invalid",
			"DISCORD_BOT_TOKEN is set but DISCORD_APPLICATION_ID is missing or not a Discord id. Fix: export DISCORD_APPLICATION_ID (Developer Portal → your application → General Information → Application ID).",
		);
	const publicKey = env.DISCORD_PUBLIC_KEY || undefined;
	// The same check the interactions endpoint makes when it starts (throws with the fix).
	if (publicKey) discordPublicKey(publicKey);
	return {
		botToken,
		applicationId,
		...(publicKey ? { publicKey } : {}),
		gateway: env.DISCORD_GATEWAY === "1" || !publicKey,
		...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
	};
}
