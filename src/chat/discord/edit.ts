/**
 * Editing a message in place without losing its chart. An alert re-rendered after a click comes
 * from the database and has no chart bytes; the message on Discord shows its chart as an
 * uploaded file referenced by the embed. The edit therefore points the embed at the file the
 * message already has (`attachment://<name>`, resolved against the message's retained files —
 * the edit sends no `attachments` list, so none is removed) instead of uploading it again.
 */
import type { ChatMessage } from "../message.ts";

/** The embed image of a message as Discord returns it (the first embed's image URL). */
export function embedImageUrl(message: unknown): string | undefined {
	const m = message as { embeds?: { image?: { url?: unknown } }[] } | undefined;
	const url = m?.embeds?.[0]?.image?.url;
	return typeof url === "string" && url !== "" ? url : undefined;
}

/**
 * `message` with the chart of the message it replaces: unchanged when it brings its own chart or
 * the old message had none. An uploaded file (Discord answers with its CDN URL,
 * …/attachments/<channel>/<file id>/<name>) is referenced by name; a hosted URL is kept as is.
 */
export function keepImage(
	message: ChatMessage,
	oldImageUrl: string | undefined,
): ChatMessage {
	if (message.chart || !oldImageUrl) return message;
	const name = attachmentName(oldImageUrl);
	return {
		...message,
		chart: {
			filename: name ?? "chart.png",
			alt: "chart",
			url: name ? `attachment://${name}` : oldImageUrl,
		},
	};
}

/** The file name of an uploaded attachment's URL, or undefined for any other URL. */
export function attachmentName(url: string): string | undefined {
	if (url.startsWith("attachment://")) return url.slice("attachment://".length);
	let path: string;
	try {
		path = new URL(url).pathname;
	} catch {
		return undefined;
	}
	const m = /\/attachments\/\d+\/\d+\/([^/]+)$/.exec(path);
	return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}
