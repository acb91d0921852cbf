/**
 * The Slack side of the chat port, over the real WebClient: post (chart first uploaded with the
 * files v2 flow and shown with a `slack_file` image block), edit in place, and find an earlier
 * attempt's post by the delivery key carried in message metadata.
 */
import type { WebClient } from "@slack/web-api";
import type { ChatChannel, PostedRef, PostTarget } from "../channel.ts";
import { ChatSendError } from "../channel.ts";
import type { ChatChart, ChatMessage } from "../message.ts";
import { toSlack } from "./blocks.ts";
import { slackError } from "./client.ts";

/** The metadata event type every bot post carries; its payload names the delivery. */
export const DELIVERY_EVENT_TYPE = "erp_pulse_delivery";
/** Messages per page of history `findPosted` reads. */
export const HISTORY_LIMIT = 200;
/** Pages `findPosted` follows before it gives up guessing (40,000 messages since the attempt). */
export const HISTORY_MAX_PAGES = 200;
/** A file just uploaded can be unknown to chat.postMessage for a moment; wait this long once. */
const FILE_SETTLE_MS = 1_000;

/** Uploads a chart with files v2 (getUploadURLExternal → upload → completeUploadExternal, no channel) and returns its file id. */
export async function uploadChart(
	client: WebClient,
	chart: ChatChart,
): Promise<string> {
	if (!chart.png) throw new Error("uploadChart needs chart.png");
	let res: Awaited<ReturnType<WebClient["filesUploadV2"]>>;
	try {
		res = await client.filesUploadV2({
			file: Buffer.from(chart.png),
			filename: chart.filename,
			alt_text: chart.alt,
			title: chart.alt,
		});
	} catch (err) {
		throw slackError(err, "files.uploadV2");
	}
	const completion = res.files[0] as { files?: { id?: string }[] } | undefined;
	const id = completion?.files?.[0]?.id;
	if (!id)
		throw new ChatSendError(
			"upload_failed",
			"files.completeUploadExternal returned no file id",
			{
				retryable: true,
			},
		);
	return id;
}

/** Serializes a message, uploading its chart first when it has bytes. */
export async function slackPayload(client: WebClient, message: ChatMessage) {
	const fileId = message.chart?.png
		? await uploadChart(client, message.chart)
		: undefined;
	return {
		payload: toSlack(message, fileId ? { slackFileId: fileId } : {}),
		fileId,
	};
}

/** The Slack channel adapter. */
export function createSlackChannel(client: WebClient): ChatChannel {
	return {
		kind: "slack",
		async post(
			target: PostTarget,
			message: ChatMessage,
			deliveryKey: string,
		): Promise<PostedRef> {
			const { payload, fileId } = await slackPayload(client, message);
			const args = {
				channel: target.channelId,
				...(target.threadId ? { thread_ts: target.threadId } : {}),
				...payload,
				unfurl_links: false,
				unfurl_media: false,
				metadata: {
					event_type: DELIVERY_EVENT_TYPE,
					event_payload: { delivery: deliveryKey },
				},
			};
			const send = () => client.chat.postMessage(args);
			let res: Awaited<ReturnType<typeof send>>;
			try {
				res = await send().catch(async (err: unknown) => {
					// Slack may not know a just-uploaded file yet (invalid_blocks on slack_file): wait once.
					if (!fileId || slackError(err, "").code !== "invalid_blocks")
						throw err;
					await new Promise((r) => setTimeout(r, FILE_SETTLE_MS));
					return send();
				});
			} catch (err) {
				throw slackError(err, "chat.postMessage");
			}
			if (!res.ts)
				throw new ChatSendError("no_ts", "chat.postMessage returned no ts", {
					retryable: true,
				});
			return {
				messageId: res.ts,
				...(target.threadId ? { threadId: target.threadId } : {}),
			};
		},
		async update(
			channelId: string,
			messageId: string,
			message: ChatMessage,
		): Promise<void> {
			const { payload } = await slackPayload(client, message);
			try {
				await client.chat.update({
					channel: channelId,
					ts: messageId,
					...payload,
				});
			} catch (err) {
				throw slackError(err, "chat.update");
			}
		},
		async findPosted(
			target: PostTarget,
			deliveryKey: string,
			since: Date,
		): Promise<PostedRef | null> {
			// `oldest` bounds the look-up at the delivery's creation (less a minute for clock skew),
			// so following the cursor reads every message posted since, however busy the channel.
			const common = {
				channel: target.channelId,
				oldest: (since.getTime() / 1000).toFixed(6),
				include_all_metadata: true,
				limit: HISTORY_LIMIT,
			};
			let cursor: string | undefined;
			for (let page = 0; page < HISTORY_MAX_PAGES; page++) {
				const res = await historyPage(client, target, common, cursor);
				const found = (res.messages ?? []).find((m) => {
					const meta = m.metadata as
						| { event_type?: string; event_payload?: { delivery?: unknown } }
						| undefined;
					return (
						meta?.event_type === DELIVERY_EVENT_TYPE &&
						meta.event_payload?.delivery === deliveryKey &&
						m.ts
					);
				});
				if (found?.ts)
					return {
						messageId: found.ts,
						...(target.threadId ? { threadId: target.threadId } : {}),
					};
				cursor = res.response_metadata?.next_cursor || undefined;
				if (!cursor) return null;
			}
			// Over HISTORY_MAX_PAGES pages of messages since the attempt: refuse to guess (a blind
			// post could double it); the outbox retries later and, past maxAttempts, marks it dead.
			throw new ChatSendError(
				"history_too_long",
				`more than ${HISTORY_MAX_PAGES * HISTORY_LIMIT} messages since the earlier attempt; cannot tell whether it was posted`,
				{ retryable: true },
			);
		},
	};
}

interface HistoryPage {
	messages?: { ts?: string; thread_ts?: string; metadata?: unknown }[];
	response_metadata?: { next_cursor?: string };
}

/** One page of a channel's history, or of a thread's replies (which are not in the channel's). */
async function historyPage(
	client: WebClient,
	target: PostTarget,
	common: {
		channel: string;
		oldest: string;
		include_all_metadata: boolean;
		limit: number;
	},
	cursor: string | undefined,
): Promise<HistoryPage> {
	const args = { ...common, ...(cursor ? { cursor } : {}) };
	try {
		return target.threadId
			? await client.conversations.replies({ ...args, ts: target.threadId })
			: await client.conversations.history(args);
	} catch (err) {
		throw slackError(
			err,
			target.threadId ? "conversations.replies" : "conversations.history",
		);
	}
}
