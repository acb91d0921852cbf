/**
 * The Slack app manifest for `erp-pulse slack manifest`: paste it into "Create New App → From a
 * manifest" and the slash commands, interactivity URL and scopes are set in one go. A pure
 * function of the command registry and the public URL, so it never drifts from the code.
 */

/** Bot scopes and why each is needed. */
export const BOT_SCOPES = [
	"commands", // slash commands
	"chat:write", // post and edit the bot's messages
	"chat:write.public", // post alerts in public channels without being invited first
	"files:write", // upload charts (files v2) shown in image blocks
	"channels:history", // find a post after a crash (message metadata) in public channels
	"groups:history", // … and in private channels the bot was invited to
	"usergroups:read", // check monitor-admin user groups
] as const;

/** The catch-all command: `/erp-pulse <any command>`. */
export const CATCH_ALL_COMMAND = "/erp-pulse";

/** What the manifest is made from. */
export interface ManifestInput {
	/** Top-level command names and descriptions ("pulse", "correlate", …). */
	commands: readonly {
		name: string;
		description: string;
		usage: readonly string[];
	}[];
	/** Public base URL (https://bot.example.com); absent = Socket Mode. */
	publicUrl?: string;
	path: string;
	name?: string;
}

/** Slack shows at most this many characters of a slash command's usage hint. */
export const USAGE_HINT_MAX = 100;

/** A command's forms after its slash word ("list | show <id> | …"), cut to Slack's limit. */
export function usageHint(forms: readonly string[]): string {
	const all = forms.filter(Boolean).join(" | ");
	return all.length <= USAGE_HINT_MAX
		? all
		: `${all.slice(0, USAGE_HINT_MAX - 1).trimEnd()}…`;
}

/** Builds the manifest. One slash command per top-level word, plus the catch-all. */
export function slackManifest(input: ManifestInput) {
	const url = input.publicUrl
		? new URL(input.path, input.publicUrl).toString()
		: undefined;
	const name = input.name ?? "erp-pulse";
	const words = new Map<string, { description: string; usages: string[] }>();
	for (const c of input.commands) {
		const [word = c.name, ...rest] = c.name.split(" ");
		if (word === "help") continue;
		const usages = c.usage.map((u) =>
			u.replace(new RegExp(`^${word}\\s*`), ""),
		);
		const entry = words.get(word);
		if (entry) entry.usages.push(...usages);
		else
			words.set(word, {
				description: rest.length ? `${word} commands` : c.description,
				usages,
			});
	}
	const command = (cmd: string, description: string, hint: string) => ({
		command: cmd,
		description: description.slice(0, 100),
		usage_hint: hint,
		should_escape: false,
		...(url ? { url } : {}),
	});
	return {
		display_information: {
			name,
			description: "ERP analytics and Pulse alerts in Slack",
		},
		features: {
			bot_user: { display_name: name, always_online: true },
			slash_commands: [
				command(
					CATCH_ALL_COMMAND,
					"Any erp-pulse command (try: help)",
					"help | pulse status | …",
				),
				...[...words].map(([w, e]) =>
					command(`/${w}`, e.description, usageHint(e.usages)),
				),
			],
		},
		oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
		settings: {
			interactivity: { is_enabled: true, ...(url ? { request_url: url } : {}) },
			org_deploy_enabled: false,
			socket_mode_enabled: !url,
			token_rotation_enabled: false,
		},
	};
}
