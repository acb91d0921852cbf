/**
 * Slack mrkdwn from the message markup. Slack asks apps to escape exactly three characters in
 * text: `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`. That is enough to stop user text from forming
 * links, mentions (`<@U123>`, `<!channel>`) or date tokens. Slack has no escape for `*`, `_`, `~`
 * or `` ` ``; it only formats them between word boundaries, so they are left as typed.
 */
import type { Span } from "../markup.ts";

/** Escapes `&`, `<` and `>` for any mrkdwn slot. */
export function escapeSlack(s: string): string {
	return s
		.replaceAll("&", "&amp;")
		.replaceAll("<", "&lt;")
		.replaceAll(">", "&gt;");
}

/** Renders markup spans as mrkdwn; our own links become `<url|label>`. */
export function renderSlack(spans: Span[]): string {
	return spans.map(span).join("");
}

function span(s: Span): string {
	const text = escapeSlack(s.text);
	switch (s.kind) {
		case "text":
			return text;
		case "bold":
			return `*${text}*`;
		case "italic":
			return `_${text}_`;
		case "code":
			return `\`${text}\``;
		case "link":
			return s.text === s.url
				? `<${escapeSlack(s.url)}>`
				: `<${escapeSlack(s.url)}|${text}>`;
	}
}
