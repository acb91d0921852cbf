/**
 * The chat port: what the outbox needs from a platform. One adapter per technology (slack/,
 * discord/, local/) implements it; the outbox never sees a platform SDK.
 */

import { AppError } from "../errors.ts";
import type { ChatMessage } from "./message.ts";

/**
 * A platform, as destinations name it ("slack" in "slack:C0123"): "local" (the outbox folder) or
 * the kind of a registered adapter (./registry.ts).
 */
export type ChannelKind = string;

/** Where a new message goes: a channel, optionally inside a thread. */
export interface PostTarget {
	channelId: string;
	/** The thread's root message id (Slack thread_ts); absent for a top-level message. */
	threadId?: string;
}

/** A message the platform has: its id and the thread it lives in. */
export interface PostedRef {
	messageId: string;
	threadId?: string;
}

/**
 * One platform. `post` tags the message with `deliveryKey` where the platform can carry it
 * (Slack message metadata), so `findPosted` can tell after a crash whether the post went out.
 */
export interface ChatChannel {
	readonly kind: ChannelKind;
	post(
		target: PostTarget,
		message: ChatMessage,
		deliveryKey: string,
	): Promise<PostedRef>;
	/** Replaces a message in place (the living alert message). */
	update(
		channelId: string,
		messageId: string,
		message: ChatMessage,
	): Promise<void>;
	/**
	 * The message an earlier attempt posted for `deliveryKey` since `since`, or null. Channels
	 * that cannot look (none can lose a post) leave it out.
	 */
	findPosted?(
		target: PostTarget,
		deliveryKey: string,
		since: Date,
	): Promise<PostedRef | null>;
}

/** The channels the bot has, by kind. */
export type ChannelSet = Partial<Record<ChannelKind, ChatChannel>>;

/**
 * A send that failed. `retryable` says whether trying later can help; `retryAfterSeconds` is the
 * platform's own wait (HTTP 429 Retry-After), which the outbox honours instead of its backoff.
 */
export class ChatSendError extends AppError<string> {
	override readonly name = "ChatSendError";
	readonly retryAfterSeconds: number | undefined;

	/** `code`: the platform's own ("channel_not_found", "ratelimited", "http_503"). */
	constructor(
		code: string,
		message: string,
		opts: { retryable: boolean; retryAfterSeconds?: number; cause?: unknown },
	) {
		super(code, message, { retryable: opts.retryable, cause: opts.cause });
		this.retryAfterSeconds = opts.retryAfterSeconds;
	}
}
