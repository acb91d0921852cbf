/**
 * The Slack listeners, kept thin: acknowledge at once (Slack gives 3 s), then do the work.
 * - Slash commands go to the command handler (the inbound port, ../inbound.ts); the reply is posted in the channel (its chart
 *   uploaded with files v2) or, for errors and help, shown only to the person who typed it.
 * - Alert buttons and the snooze menu: decode the versioned action id, call AlertActions, edit
 *   the clicked message in place with the re-rendered alert. AlertActions is idempotent, so a
 *   double click or a Slack retry (X-Slack-Retry-Num) changes the alert once.
 */
import type {
	AllMiddlewareArgs,
	App,
	BlockAction,
	SlackActionMiddlewareArgs,
	SlackCommandMiddlewareArgs,
} from "@slack/bolt";
import { errorMessage } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import { decodeActionId } from "../action-id.ts";
import { type AlertActions, AlertNotFoundError } from "../alert-actions.ts";
import type { CommandHandler, Reply } from "../inbound.ts";
import type { ChatMessage } from "../message.ts";
import { toSlack } from "./blocks.ts";
import { slackPayload } from "./channel.ts";
import { slackError } from "./client.ts";

/** What the listeners need besides the Bolt app. */
export interface ListenerDeps {
	/** The inbound port: the command line in, the reply out. */
	commands: CommandHandler;
	alerts: AlertActions;
	log: Logger;
	now?: () => Date;
	/** The catch-all slash command whose text is the whole command line (default "/erp-pulse"). */
	catchAll?: string;
}

/** "/pulse" + "status" → "pulse status"; the catch-all passes its text through. */
export function commandLine(
	command: string,
	text: string,
	catchAll = "/erp-pulse",
): string {
	if (command === catchAll) return text;
	return `${command.replace(/^\//, "")} ${text}`.trim();
}

/** Registers the command and action listeners on a Bolt app. */
export function registerListeners(app: App, deps: ListenerDeps): void {
	app.command(/^\/.+/, (args) => onCommand(args, deps));
	app.action<BlockAction>(/^pulse:/, (args) => onAction(args, deps));
}

async function onCommand(
	{
		command,
		ack,
		respond,
		client,
	}: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
	deps: ListenerDeps,
): Promise<void> {
	await ack();
	const log = deps.log.child({
		command: command.command,
		user: command.user_id,
		channel: command.channel_id,
	});
	const line = commandLine(command.command, command.text, deps.catchAll);
	const reply: Reply = await deps.commands.run(line, {
		user: { id: command.user_id, name: command.user_name },
		channel: { kind: "slack", id: command.channel_id },
		now: deps.now?.() ?? new Date(),
		log,
	});
	if (reply.ephemeral) {
		await respond({ response_type: "ephemeral", ...toSlack(reply.message) });
		return;
	}
	try {
		const { payload } = await slackPayload(client, reply.message);
		await client.chat.postMessage({
			channel: command.channel_id,
			...payload,
			unfurl_links: false,
		});
	} catch (err) {
		const e = slackError(err, "chat.postMessage");
		log.warn(
			{ err: e.message },
			"could not post the command reply in the channel",
		);
		// Not a member of the channel (or a DM the bot cannot post in): answer through the response URL.
		await respond({
			response_type: "in_channel",
			...toSlack(withoutUpload(reply.message)),
		});
	}
}

/** The message without chart bytes, for paths that cannot upload (the response URL). */
function withoutUpload(message: ChatMessage): ChatMessage {
	if (!message.chart?.png || message.chart.url) return message;
	const { chart: _chart, ...rest } = message;
	return {
		...rest,
		context: [
			...(rest.context ?? []),
			"(chart not shown: invite the bot to this channel to see charts)",
		],
	};
}

async function onAction(
	{
		ack,
		body,
		action,
		client,
		respond,
		context,
	}: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs,
	deps: ListenerDeps,
): Promise<void> {
	await ack();
	const value =
		action.type === "static_select" ? action.selected_option?.value : undefined;
	const actionId = "action_id" in action ? action.action_id : "";
	const log = deps.log.child({
		action: actionId,
		user: body.user.id,
		retry: context.retryNum,
	});
	const decoded = decodeActionId(actionId, value);
	if (!decoded.ok) {
		await respond({
			response_type: "ephemeral",
			replace_original: false,
			text: decoded.error,
		});
		return;
	}
	const actor = {
		id: body.user.id,
		name: body.user.username ?? body.user.name ?? body.user.id,
	};
	let outcome: Awaited<ReturnType<AlertActions["act"]>>;
	try {
		outcome = await deps.alerts.act(
			decoded.action,
			actor,
			deps.now?.() ?? new Date(),
		);
	} catch (err) {
		const text =
			err instanceof AlertNotFoundError
				? err.message
				: "That did not work on our side; the details are in the bot's log. Try again in a minute.";
		if (!(err instanceof AlertNotFoundError))
			log.error({ err: errorMessage(err) }, "alert action failed");
		await respond({
			response_type: "ephemeral",
			replace_original: false,
			text,
		});
		return;
	}
	const channel = body.channel?.id;
	const ts = body.message?.ts;
	if (channel && ts) {
		await client.chat.update({
			channel,
			ts,
			...keepChart(outcome.message, imageFile(body.message)),
		});
	}
	if (!outcome.changed)
		await respond({
			response_type: "ephemeral",
			replace_original: false,
			text: outcome.note,
		});
	log.info({ changed: outcome.changed }, "alert action applied");
}

/** The slack_file image on the clicked message, so the edit keeps the chart. */
export function imageFile(
	message: unknown,
): { id: string; alt: string } | undefined {
	const m = message as
		| { blocks?: unknown[]; attachments?: { blocks?: unknown[] }[] }
		| undefined;
	const blocks = [
		...(m?.blocks ?? []),
		...(m?.attachments ?? []).flatMap((a) => a.blocks ?? []),
	];
	for (const b of blocks) {
		const block = b as {
			type?: string;
			alt_text?: string;
			slack_file?: { id?: string };
		};
		if (block.type === "image" && block.slack_file?.id)
			return { id: block.slack_file.id, alt: block.alt_text ?? "chart" };
	}
	return undefined;
}

/** The re-rendered message with the clicked message's uploaded chart carried over. */
export function keepChart(
	message: ChatMessage,
	file: { id: string; alt: string } | undefined,
) {
	if (!file) return toSlack(message);
	const chart = message.chart ?? { filename: "chart.png", alt: file.alt };
	return toSlack({ ...message, chart }, { slackFileId: file.id });
}
