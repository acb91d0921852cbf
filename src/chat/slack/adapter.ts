/** Slack as a chat adapter: on when SLACK_BOT_TOKEN and a signing secret (HTTP) or app token (Socket Mode) are set. */
import type { ChatAdapter } from "../adapter.ts";

export const slackAdapter: ChatAdapter = {
	kind: "slack",
	async connect(ctx) {
		const { createSlackApp, slackCredentials } = await import("./app.ts");
		const creds = slackCredentials(ctx.env);
		if (!creds) return null;
		const { createSlackChannel } = await import("./channel.ts");
		const slack = createSlackApp(
			creds,
			ctx.config.chat.slack.path,
			{ commands: ctx.commands, alerts: ctx.alerts, log: ctx.log },
			ctx.log,
		);
		const listener = slack.requestListener;
		ctx.log.info(
			{
				mode: slack.mode,
				path: slack.mode === "http" ? slack.path : undefined,
			},
			"slack enabled",
		);
		return {
			channel: createSlackChannel(slack.client),
			routes: listener
				? { [`POST ${slack.path}`]: (req, res) => listener(req, res) }
				: {},
			start: () => slack.start(),
			stop: () => slack.stop(),
		};
	},
};
