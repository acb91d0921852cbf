/**
 * ChatMessage → an HTML fragment for the playground page, as a pure function. The page inserts
 * the fragment as it comes, so this is the one place that makes message content safe: every
 * string is escaped (text and attribute values alike), and `text`, the only markup field
 * (markup.ts), becomes <strong>, <em>, <code> and links — which the markup parser only makes for
 * http(s) and mailto addresses. `pre` is escaped into a <pre>, its spaces and breaks kept.
 *
 * The layout follows the Slack serializer: title, status line, text, pre, facts, table, chart, one
 * row of controls, then the small print led by the severity in words (colour is never the only
 * signal). Nothing is cut: the page has no platform limits.
 */
import type { Span } from "../markup.ts";
import { parseMarkup } from "../markup.ts";
import type { Action, ChatMessage, ChatTable } from "../message.ts";
import { formatStatus, SEVERITY_LABELS } from "../message.ts";
import { preLines } from "../text.ts";

/** What the page knows that the message does not. */
export interface HtmlOptions {
	/** Where the page loads the chart PNG from (the outbox file), when the message uploaded one. */
	chartSrc?: string;
}

const ENTITIES: Record<string, string> = {
	"&": "&amp;",
	"<": "&lt;",
	">": "&gt;",
	'"': "&quot;",
	"'": "&#39;",
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** Serializes a message as one `<article>`. */
export function toHtml(
	message: ChatMessage,
	options: HtmlOptions = {},
): string {
	const severity = message.severity
		? ` data-severity="${message.severity}"`
		: "";
	const parts = [
		`<h2 class="msg-title">${escapeHtml(message.title.trim() || "Untitled")}</h2>`,
	];
	if (message.status)
		parts.push(
			`<p class="msg-status">${escapeHtml(formatStatus(message.status))}</p>`,
		);
	if (message.text?.trim())
		parts.push(`<div class="msg-text">${markupHtml(message.text)}</div>`);
	const pre = preLines(message.pre);
	if (pre.length > 0)
		parts.push(`<pre class="msg-pre">${escapeHtml(pre.join("\n"))}</pre>`);
	if (message.facts?.length)
		parts.push(
			`<dl class="msg-facts">${message.facts
				.map(
					(f) =>
						`<div${f.value.length > WIDE_FACT ? ' class="wide"' : ""}><dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value.trim() || "—")}</dd></div>`,
				)
				.join("")}</dl>`,
		);
	if (message.table && message.table.columns.length > 0)
		parts.push(tableHtml(message.table));
	const chart = chartHtml(message, options);
	if (chart) parts.push(chart);
	if (message.actions?.length)
		parts.push(
			`<div class="msg-actions">${message.actions.map(control).join("")}</div>`,
		);
	const small = [
		...(message.severity ? [SEVERITY_LABELS[message.severity]] : []),
		...(message.context ?? []),
	].filter((s) => s.trim() !== "");
	if (small.length > 0)
		parts.push(
			`<p class="msg-context">${small.map((s) => `<span>${escapeHtml(s)}</span>`).join(" · ")}</p>`,
		);
	return `<article class="msg"${severity}>${parts.join("")}</article>`;
}

/** A fact longer than this (a monitor's rule, a sentence) takes the card's whole width. */
const WIDE_FACT = 32;

/** Markup text: line breaks kept (the page styles it `white-space: pre-wrap`), spans as tags. */
export function markupHtml(text: string): string {
	return text
		.replace(/\r\n?/g, "\n")
		.split("\n")
		.map((line) => parseMarkup(line).map(span).join(""))
		.join("\n");
}

function span(s: Span): string {
	switch (s.kind) {
		case "text":
			return escapeHtml(s.text);
		case "bold":
			return `<strong>${escapeHtml(s.text)}</strong>`;
		case "italic":
			return `<em>${escapeHtml(s.text)}</em>`;
		case "code":
			return `<code>${escapeHtml(s.text)}</code>`;
		case "link":
			return `<a href="${escapeHtml(s.url)}" rel="noopener noreferrer" target="_blank">${escapeHtml(s.text)}</a>`;
	}
}

/** A real table (header cells scoped to their columns), rows padded or cut to the columns. */
function tableHtml(table: ChatTable): string {
	const head = table.columns
		.map((c) => `<th scope="col">${escapeHtml(c)}</th>`)
		.join("");
	const rows = table.rows
		.map(
			(row) =>
				`<tr>${table.columns.map((_, i) => `<td>${escapeHtml(row[i] ?? "")}</td>`).join("")}</tr>`,
		)
		.join("");
	return `<div class="msg-table"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/**
 * The chart from the outbox; a chart hosted elsewhere becomes a link (the page loads images
 * from itself only); a chart with neither shows its alt text.
 */
function chartHtml(message: ChatMessage, options: HtmlOptions): string | null {
	const c = message.chart;
	if (!c) return null;
	const alt = escapeHtml(c.alt.trim() || c.filename);
	if (options.chartSrc)
		return `<figure class="msg-chart"><img src="${escapeHtml(options.chartSrc)}" alt="${alt}"></figure>`;
	if (c.url && /^https?:\/\//i.test(c.url))
		return `<p class="msg-chart"><a href="${escapeHtml(c.url)}" rel="noopener noreferrer" target="_blank">Chart: ${alt}</a></p>`;
	return `<p class="msg-chart">Chart: ${alt}</p>`;
}

/** A button, or a menu whose first option is its placeholder; both carry the action id. */
function control(a: Action): string {
	const id = escapeHtml(a.id);
	if (a.kind === "button") {
		const style = a.style ? ` data-style="${a.style}"` : "";
		return `<button type="button" data-action-id="${id}"${style}>${escapeHtml(a.label)}</button>`;
	}
	const label = escapeHtml(a.placeholder.trim() || "Choose");
	const options = a.options
		.filter((o) => o.value !== "")
		.map(
			(o) =>
				`<option value="${escapeHtml(o.value)}">${escapeHtml(o.label)}</option>`,
		)
		.join("");
	return `<select data-action-id="${id}" aria-label="${label}"><option value="">${label} ▾</option>${options}</select>`;
}
