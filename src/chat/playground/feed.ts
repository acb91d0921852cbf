/**
 * The playground's view of the local channel: every post and edit the channel makes (command
 * replies, alerts and their edits, the digest) becomes an entry with its HTML, kept in a short
 * in-memory history and pushed to the open pages as Server-Sent Events. A page that connects
 * gets the history first, so a reload shows what was said since the bot started.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LocalChannel, LocalEvent } from "../local/channel.ts";
import { toHtml } from "./html.ts";

/** How many messages a page gets when it connects. */
export const FEED_HISTORY = 100;
/** A comment line this often keeps proxies and the browser from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/** How long the browser waits before reconnecting a dropped stream. */
const RETRY_MS = 2_000;

/** One message as the page shows it. `html` comes from toHtml, so it is safe to insert. */
export interface FeedEntry {
	id: string;
	/** The local channel id ("pulse", "digest", "playground"). */
	channel: string;
	/** The thread's root message id, for a reply. */
	thread?: string;
	html: string;
	/** ISO time of the post or the last edit. */
	at: string;
}

/** The history and the live subscribers. */
export interface Feed {
	recent(): FeedEntry[];
	get(messageId: string): FeedEntry | undefined;
	subscribe(listener: (entry: FeedEntry) => void): () => void;
	/** Stops following the channel. */
	close(): void;
}

/** Where the page loads an outbox chart from. */
export function chartUrl(file: string): string {
	return `/playground/files/${file}`;
}

/** The entry for one channel event. */
export function entryOf(event: LocalEvent): FeedEntry {
	return {
		id: event.messageId,
		channel: event.channelId,
		...(event.threadId ? { thread: event.threadId } : {}),
		html: toHtml(
			event.message,
			event.chartFile ? { chartSrc: chartUrl(event.chartFile) } : {},
		),
		at: event.at.toISOString(),
	};
}

/** Follows `local`; an edit replaces its message's entry in place, as in a chat client. */
export function createFeed(local: LocalChannel, limit = FEED_HISTORY): Feed {
	const entries = new Map<string, FeedEntry>();
	const listeners = new Set<(entry: FeedEntry) => void>();
	const unsubscribe = local.subscribe((event) => {
		const entry = entryOf(event);
		entries.set(entry.id, entry);
		for (const id of entries.keys()) {
			if (entries.size <= limit) break;
			entries.delete(id);
		}
		for (const listener of listeners) listener(entry);
	});
	return {
		recent: () => [...entries.values()],
		get: (id) => entries.get(id),
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		close: unsubscribe,
	};
}

/** One SSE frame: an event name and a one-line JSON payload. */
function frame(event: string, data: unknown): string {
	return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Serves the feed as an event stream: `entry` for each message in the history, then `ready`,
 * then `entry` for each post or edit until the page goes away.
 */
export function serveEvents(
	feed: Feed,
	req: IncomingMessage,
	res: ServerResponse,
	heartbeatMs = HEARTBEAT_MS,
): void {
	res.writeHead(200, {
		"content-type": "text/event-stream; charset=utf-8",
		"cache-control": "no-store",
		"x-accel-buffering": "no",
	});
	res.write(`retry: ${RETRY_MS}\n\n`);
	for (const entry of feed.recent()) res.write(frame("entry", entry));
	res.write(frame("ready", { history: feed.recent().length }));
	const unsubscribe = feed.subscribe((entry) =>
		res.write(frame("entry", entry)),
	);
	const heartbeat = setInterval(() => res.write(": ping\n\n"), heartbeatMs);
	heartbeat.unref();
	const stop = () => {
		clearInterval(heartbeat);
		unsubscribe();
	};
	req.once("close", stop);
	res.once("close", stop);
}
