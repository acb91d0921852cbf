/**
 * Discord markdown from the message markup: `*bold*` → `**bold**`, `_italic_` → `*italic*`,
 * `<url|label>` → `[label](url)`.
 *
 * User text is escaped with backslashes, which Discord removes before any ASCII punctuation:
 * everywhere for the characters that format inline (`\ * _ ~ \` | [ ]`) or open mentions,
 * channels, emoji and timestamps (`<`); at the start of a line only for the block syntax
 * (`#` headings, `>` quotes, `- `/`+ ` lists, `-#` subtext, `1. ` lists). Code spans are left
 * alone: Discord shows their content raw.
 */
import type { Span } from "../markup.ts";

const INLINE = /[\\*_~`|<[\]]/g;
const LINE_START = /^(\s*)([#>]|[-+](?=[\s#]))/gm;
const ORDERED = /^(\s*)(\d+)\.(?=\s)/gm;

/** Escapes plain text for any slot where Discord renders markdown. */
export function escapeDiscord(s: string): string {
	return s
		.replace(INLINE, "\\$&")
		.replace(LINE_START, "$1\\$2")
		.replace(ORDERED, "$1$2\\.");
}

/** Renders markup spans as Discord markdown. */
export function renderDiscord(spans: Span[]): string {
	return spans.map(span).join("");
}

function span(s: Span): string {
	switch (s.kind) {
		case "text":
			return escapeDiscord(s.text);
		case "bold":
			return `**${escapeDiscord(s.text)}**`;
		case "italic":
			return `*${escapeDiscord(s.text)}*`;
		case "code":
			return `\`${s.text}\``;
		case "link":
			return link(s.text, s.url);
	}
}

/** Masked links work for web URLs only; other schemes (mailto:) are spelled out. */
function link(label: string, url: string): string {
	if (label === url) return url;
	if (!/^https?:\/\//.test(url)) return `${escapeDiscord(label)} (${url})`;
	const safe = url.replaceAll("(", "%28").replaceAll(")", "%29");
	return `[${escapeDiscord(label)}](${safe})`;
}
