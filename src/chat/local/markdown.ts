/**
 * ChatMessage → Markdown, for the local channel (one outbox file per message, next to the chart
 * PNG) and the local web page. No platform limits apply, so nothing is cut.
 *
 * User text is escaped with CommonMark backslash escapes: inline syntax and `<`/`&` everywhere
 * (so a monitor named "<script>" stays text even if the page renders the Markdown as HTML), block
 * syntax at the start of a line. `pre` goes in a fenced code block as typed, its fence one
 * backtick longer than any run of backticks in it, so nothing inside can close it.
 */
import { parseMarkup, type Span } from "../markup.ts";
import type { Action, ChatMessage } from "../message.ts";
import { formatStatus, SEVERITY_LABELS } from "../message.ts";
import { preLines, tableLines } from "../text.ts";

const INLINE = /[\\*_~`|<>&[\]]/g;
const LINE_START = /^(\s*)([#=+-])/gm;
const ORDERED = /^(\s*)(\d+)([.)])(?=\s|$)/gm;

/** Escapes plain text for CommonMark. */
export function escapeMarkdown(s: string): string {
	return s
		.replace(INLINE, "\\$&")
		.replace(LINE_START, "$1\\$2")
		.replace(ORDERED, "$1$2\\$3");
}

/** Serializes a message as a Markdown document. */
export function toMarkdown(message: ChatMessage): string {
	const blocks: string[] = [
		`# ${escapeMarkdown(message.title.trim() || "Untitled")}`,
	];
	const heading = [
		message.severity ? `**${SEVERITY_LABELS[message.severity]}**` : "",
		message.status ? escapeMarkdown(formatStatus(message.status)) : "",
	].filter(Boolean);
	if (heading.length > 0) blocks.push(heading.join(" · "));
	if (message.text?.trim())
		blocks.push(
			message.text
				.replace(/\r\n?/g, "\n")
				.split("\n")
				.map((line) => parseMarkup(line).map(span).join(""))
				.join("  \n"),
		);
	const pre = preLines(message.pre);
	if (pre.length > 0) blocks.push(fenced(pre));
	if (message.facts?.length)
		blocks.push(
			message.facts
				.map(
					(f) => `- **${escapeMarkdown(f.label)}:** ${escapeMarkdown(f.value)}`,
				)
				.join("\n"),
		);
	if (message.table && message.table.columns.length > 0) {
		const { head, rows } = tableLines(message.table);
		blocks.push(["```", ...head, ...rows, "```"].join("\n"));
	}
	if (message.chart) {
		const c = message.chart;
		const target = c.png || !c.url ? c.filename : c.url;
		blocks.push(`![${escapeMarkdown(c.alt)}](${destination(target)})`);
	}
	if (message.actions?.length)
		blocks.push(message.actions.map(control).join(" "));
	if (message.context?.length)
		blocks.push(`_${escapeMarkdown(message.context.join(" · "))}_`);
	return `${blocks.join("\n\n")}\n`;
}

/** Lines in a ``` fence, lengthened past the longest backtick run in them (CommonMark). */
function fenced(lines: string[]): string {
	const runs = lines.join("\n").match(/`+/g) ?? [];
	const longest = Math.max(2, ...runs.map((r) => r.length));
	const fence = "`".repeat(longest + 1);
	return [fence, ...lines, fence].join("\n");
}

/** `[Acknowledge]`, `[Snooze ▾]`: how a control would look, for a reader of the file. */
function control(a: Action): string {
	return a.kind === "button"
		? `[${escapeMarkdown(a.label)}]`
		: `[${escapeMarkdown(a.placeholder)} ▾]`;
}

/** A link destination without the characters that would end it early. */
function destination(url: string): string {
	return url.replace(
		/[\s()<>]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
	);
}

function span(s: Span): string {
	switch (s.kind) {
		case "text":
			return escapeMarkdown(s.text);
		case "bold":
			return `**${escapeMarkdown(s.text)}**`;
		case "italic":
			return `*${escapeMarkdown(s.text)}*`;
		case "code":
			return `\`${s.text}\``;
		case "link":
			return s.text === s.url
				? `<${s.url}>`
				: `[${escapeMarkdown(s.text)}](${destination(s.url)})`;
	}
}
