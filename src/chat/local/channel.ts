/**
 * The local channel: with no chat credentials every message becomes a Markdown file (and its
 * chart a PNG beside it) in the outbox folder, named by time and id so `ls` lists them in order,
 * plus one log line. An edit rewrites the file in place; a thread reply is a file of its own that
 * names its parent. Each file starts with an HTML comment carrying the delivery key, so a retry
 * after a crash finds the file instead of writing a second one.
 *
 * In-process listeners (the playground page) can subscribe to every post and edit once its file
 * is written; a listener that throws is logged and never fails the delivery.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../../config/schema.ts";
import { errorMessage } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import type { ChatChannel, PostedRef, PostTarget } from "../channel.ts";
import type { ChatMessage } from "../message.ts";
import { toMarkdown } from "./markdown.ts";

const HEADER =
	/^<!-- erp-pulse delivery: (.*?) channel: (.*?)(?: thread: (.*?))? -->\n/;

/** What localMessageId makes, and nothing else (no dots or slashes: safe as a file name). */
export const LOCAL_MESSAGE_ID = /^\d{8}-\d{6}-[0-9a-f]{6}$/;

/** "20261122-171952-3f9a1c" (UTC time, then a random suffix). */
export function localMessageId(now: Date): string {
	const t = now
		.toISOString()
		.replace(/[-:]/g, "")
		.replace("T", "-")
		.slice(0, 15);
	return `${t}-${randomBytes(3).toString("hex")}`;
}

/**
 * Writes a file atomically (write a temp file, rename), so a reader never sees half a message.
 * The temp name is unique per write: two edits of one message at once (two clicks) must not
 * share it, or the second rename finds its file gone.
 */
async function writeAtomic(
	file: string,
	data: string | Uint8Array,
): Promise<void> {
	const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
	await writeFile(tmp, data);
	await rename(tmp, file);
}

/** What one message's files are called. */
export function messageFiles(dir: string, messageId: string) {
	return {
		markdown: path.join(dir, `${messageId}.md`),
		png: path.join(dir, `${messageId}.png`),
	};
}

/** Writes a message (Markdown + PNG) under `messageId`; returns the Markdown path. */
export async function writeMessage(
	dir: string,
	messageId: string,
	message: ChatMessage,
	header: string,
): Promise<string> {
	await mkdir(dir, { recursive: true });
	const files = messageFiles(dir, messageId);
	if (message.chart?.png) await writeAtomic(files.png, message.chart.png);
	const chart = message.chart?.png
		? { ...message.chart, filename: `${messageId}.png` }
		: message.chart;
	const body = toMarkdown(chart ? { ...message, chart } : message);
	await writeAtomic(files.markdown, `${header}\n${body}`);
	return files.markdown;
}

/** A message the local channel just wrote (`post`) or rewrote in place (`update`). */
export interface LocalEvent {
	type: "post" | "update";
	channelId: string;
	messageId: string;
	threadId?: string;
	/** The message without its chart bytes; those are in the outbox as `chartFile`. */
	message: ChatMessage;
	/** The chart PNG's file name in the outbox folder, when the message uploaded one. */
	chartFile?: string;
	at: Date;
}

/** The local channel, with a subscriber list for in-process listeners. */
export interface LocalChannel extends ChatChannel {
	/** The outbox folder the channel writes into. */
	readonly dir: string;
	/** Calls `listener` after each post and edit; returns the unsubscribe function. */
	subscribe(listener: (event: LocalEvent) => void): () => void;
}

/** The local channel adapter writing into `dir`. */
export function createLocalChannel(
	dir: string,
	log: Logger,
	now: () => Date = () => new Date(),
): LocalChannel {
	const listeners = new Set<(event: LocalEvent) => void>();
	const emit = (
		type: LocalEvent["type"],
		target: PostTarget,
		messageId: string,
		message: ChatMessage,
	) => {
		if (listeners.size === 0) return;
		const event: LocalEvent = {
			type,
			channelId: target.channelId,
			messageId,
			...(target.threadId ? { threadId: target.threadId } : {}),
			message: withoutBytes(message),
			...(message.chart?.png ? { chartFile: `${messageId}.png` } : {}),
			at: now(),
		};
		for (const listener of listeners)
			try {
				listener(event);
			} catch (err) {
				log.warn(
					{ err: errorMessage(err), messageId },
					"a local channel listener failed; the message is written",
				);
			}
	};
	const header = (key: string, target: PostTarget) =>
		`<!-- erp-pulse delivery: ${key.replace(/\s|-->/g, "_")} channel: ${target.channelId}${target.threadId ? ` thread: ${target.threadId}` : ""} -->`;
	return {
		kind: "local",
		dir,
		async post(target, message, deliveryKey): Promise<PostedRef> {
			const messageId = localMessageId(now());
			const file = await writeMessage(
				dir,
				messageId,
				message,
				header(deliveryKey, target),
			);
			log.info(
				{ channel: `local:${target.channelId}`, file, title: message.title },
				"message written to the local outbox",
			);
			emit("post", target, messageId, message);
			return {
				messageId,
				...(target.threadId ? { threadId: target.threadId } : {}),
			};
		},
		async update(channelId, messageId, message) {
			const file = messageFiles(dir, messageId).markdown;
			const old = await readFile(file, "utf8").catch(() => "");
			const first =
				HEADER.exec(old)?.[0].trimEnd() ??
				`<!-- erp-pulse delivery: (edit) channel: ${channelId} -->`;
			await writeMessage(dir, messageId, message, first);
			log.info(
				{ channel: `local:${channelId}`, file, title: message.title },
				"message in the local outbox edited",
			);
			emit("update", { channelId }, messageId, message);
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		async findPosted(target, deliveryKey): Promise<PostedRef | null> {
			const names = await readdir(dir).catch(() => [] as string[]);
			for (const name of names
				.filter((n) => n.endsWith(".md"))
				.sort()
				.reverse()) {
				const head = HEADER.exec(await readFile(path.join(dir, name), "utf8"));
				if (
					head?.[1] === deliveryKey.replace(/\s|-->/g, "_") &&
					head[2] === target.channelId
				)
					return {
						messageId: name.slice(0, -3),
						...(head[3] ? { threadId: head[3] } : {}),
					};
			}
			return null;
		},
	};
}

function withoutBytes(message: ChatMessage): ChatMessage {
	if (!message.chart?.png) return message;
	const { png: _png, ...chart } = message.chart;
	return { ...message, chart };
}

/** The local outbox folder. */
export function outboxDir(config: Config): string {
	return path.resolve(
		config.chat.outboxDir ?? path.join(config.dataDir, "outbox"),
	);
}
