/**
 * The Discord side of the chat port, over @discordjs/rest: post (the chart uploaded with the
 * message as multipart and shown by the embed as `attachment://<name>`), edit in place, and
 * replies in the alert's thread.
 *
 * Threads: a thread started from a message has that message's id, so the thread of an alert is
 * its root message id; the first reply creates it (POST /channels/{c}/messages/{m}/threads) and
 * later ones find it already there (Discord answers 160004, which is fine).
 *
 * No double posts: every post carries a nonce derived from the delivery key with
 * `enforce_nonce`, so Discord itself answers a repeated post by the same bot with the message
 * the first one created instead of creating a second. Discord keeps nonces only for "the past
 * few minutes" and never returns them when messages are read back, so there is no `findPosted`
 * (nothing to look up by); a retry inside that window is deduplicated by Discord, and the
 * outbox's lease (SENDING_LEASE_SECONDS) keeps a crashed attempt's retry close to it.
 */
import { createHash } from "node:crypto";
import type { REST } from "@discordjs/rest";
import { type APIMessage, Routes } from "discord-api-types/v10";
import type { ChatChannel, PostedRef, PostTarget } from "../channel.ts";
import type { ChatMessage } from "../message.ts";
import { clip } from "../text.ts";
import { embedImageUrl, keepImage } from "./edit.ts";
import {
	discordError,
	isThreadAlreadyCreated,
	messageRequest,
} from "./rest.ts";
import { toDiscord } from "./serialize.ts";

/** Discord's nonce limit (characters). */
export const DISCORD_NONCE_MAX = 25;
/** Thread names: 1 to 100 characters. */
export const DISCORD_THREAD_NAME_MAX = 100;
/** Threads are archived after a week without messages. */
const THREAD_ARCHIVE_MINUTES = 10080;

/** The nonce of a delivery: the first 25 hex digits of SHA-256 of its key (stable across retries). */
export function deliveryNonce(deliveryKey: string): string {
	return createHash("sha256")
		.update(deliveryKey)
		.digest("hex")
		.slice(0, DISCORD_NONCE_MAX);
}

/** The Discord channel adapter. */
export function createDiscordChannel(rest: REST): ChatChannel {
	return {
		kind: "discord",
		async post(
			target: PostTarget,
			message: ChatMessage,
			deliveryKey: string,
		): Promise<PostedRef> {
			let channel = target.channelId;
			if (target.threadId) {
				await openThread(rest, target.channelId, target.threadId, message);
				channel = target.threadId;
			}
			let res: APIMessage;
			try {
				res = (await rest.post(
					Routes.channelMessages(channel),
					messageRequest(toDiscord(message), {
						nonce: deliveryNonce(deliveryKey),
						enforce_nonce: true,
					}),
				)) as APIMessage;
			} catch (err) {
				throw discordError(err, "create message");
			}
			return {
				messageId: res.id,
				...(target.threadId ? { threadId: target.threadId } : {}),
			};
		},
		async update(
			channelId: string,
			messageId: string,
			message: ChatMessage,
		): Promise<void> {
			try {
				let edited = message;
				if (!message.chart) {
					// A re-rendered alert has no chart bytes: keep the one the message shows.
					const old = await rest.get(
						Routes.channelMessage(channelId, messageId),
					);
					edited = keepImage(message, embedImageUrl(old));
				}
				await rest.patch(
					Routes.channelMessage(channelId, messageId),
					messageRequest(toDiscord(edited)),
				);
			} catch (err) {
				throw discordError(err, "edit message");
			}
		},
	};
}

/** Starts the thread on the root message, or finds it already started. */
async function openThread(
	rest: REST,
	channelId: string,
	rootId: string,
	message: ChatMessage,
): Promise<void> {
	try {
		await rest.post(Routes.threads(channelId, rootId), {
			body: {
				name: clip(message.title.trim() || "Updates", DISCORD_THREAD_NAME_MAX),
				auto_archive_duration: THREAD_ARCHIVE_MINUTES,
			},
		});
	} catch (err) {
		if (isThreadAlreadyCreated(err)) return;
		throw discordError(err, "start thread");
	}
}
