/**
 * The small markup of ChatMessage.text, deliberately Slack-like so messages read naturally in
 * source: *bold*, _italic_, `code`, <https://example.com|label> (or <https://example.com>).
 * A backslash makes the next markup character literal (`\*`, `\_`, `` \` ``, `\<`, `\\`).
 *
 * Anything that is not one of these tokens is literal text: a stray `<script>` or `a & b` is
 * text, and each serializer escapes it for its platform. Spans do not nest.
 */

/** A run of text with at most one kind of formatting. */
export type Span =
	| { kind: "text" | "bold" | "italic" | "code"; text: string }
	| { kind: "link"; text: string; url: string };

/** Characters that mean something in the markup and are escaped by escapeMarkup. */
const MARKUP_CHARS = /[\\*_`<]/g;

// Emphasis needs a non-word character (or the line edge) outside and non-space inside, as in
// Slack, so snake_case_names and 2*3*4 stay literal.
const TOKEN = new RegExp(
	[
		String.raw`\\([\\*_\x60<])`,
		String.raw`<((?:https?://|mailto:)[^\s|<>]+)(?:\|([^<>\n]+))?>`,
		String.raw`(?<![\p{L}\p{N}_*])\*(?![\s*])([^*\n]*?[^\s*\\])\*(?![\p{L}\p{N}_*])`,
		String.raw`(?<![\p{L}\p{N}_])_(?![\s_])([^_\n]*?[^\s_\\])_(?![\p{L}\p{N}_])`,
		String.raw`\x60([^\x60\n]+)\x60`,
	].join("|"),
	"gu",
);

const UNESCAPE = /\\([\\*_`<])/g;

/** Makes a plain string safe to splice into markup: every markup character becomes literal. */
export function escapeMarkup(s: string): string {
	return s.replace(MARKUP_CHARS, "\\$&");
}

/** Splits markup into spans; adjacent literal text is merged into one span. */
export function parseMarkup(s: string): Span[] {
	const spans: Span[] = [];
	const text = (t: string) => {
		if (!t) return;
		const last = spans.at(-1);
		if (last?.kind === "text") last.text += t;
		else spans.push({ kind: "text", text: t });
	};
	let at = 0;
	for (const m of s.matchAll(TOKEN)) {
		text(s.slice(at, m.index));
		at = m.index + m[0].length;
		const [, escaped, url, label, bold, italic, code] = m;
		if (escaped !== undefined) text(escaped);
		else if (url !== undefined)
			spans.push({ kind: "link", url, text: label ?? url });
		else if (bold !== undefined)
			spans.push({ kind: "bold", text: unescapeMarkup(bold) });
		else if (italic !== undefined)
			spans.push({ kind: "italic", text: unescapeMarkup(italic) });
		else if (code !== undefined) spans.push({ kind: "code", text: code });
	}
	text(s.slice(at));
	return spans;
}

function unescapeMarkup(s: string): string {
	return s.replace(UNESCAPE, "$1");
}

/** The words a reader sees, with formatting dropped and links as their label. */
export function plainText(spans: Span[]): string {
	return spans.map((s) => s.text).join("");
}

/** Markup to plain text, for places that cannot format (notifications, footers). */
export function markupToPlain(s: string): string {
	return plainText(parseMarkup(s));
}
