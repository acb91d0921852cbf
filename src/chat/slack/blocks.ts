/**
 * ChatMessage → Slack Block Kit, as a pure function.
 *
 * Layout: header (title), status line, text sections, fixed-width `pre` (code blocks), fact
 * fields, table (code block), chart image, one actions block, one context block (severity in
 * words, then the small print).
 *
 * Severity colour bar: Block Kit has no colour, so a message with a severity puts everything
 * after the header into one legacy attachment `{ color, blocks }`, the only way Slack draws a
 * coloured bar. The header stays a top-level block on purpose: with no top-level blocks Slack
 * would print `text` above the attachment and the title would show twice; with one, `text` is
 * used only for notifications. Pass `colorBar: false` to get everything top-level instead.
 *
 * Clamping: the 50-block limit counts top-level and attachment blocks together. The header,
 * status, chart, actions and context always survive; text, pre, fact and table sections beyond
 * the budget are dropped and a context block says how many lines were not shown.
 *
 * `pre` goes into ``` code blocks, cut on line boundaries into as many sections as the
 * 3,000-character section limit needs. Slack reads entities inside code blocks too, so `&`, `<`
 * and `>` are escaped there as everywhere; a ``` in the content becomes look-alikes (fenceSafe).
 */
import type {
	Action,
	ChatFact,
	ChatMessage,
	SelectAction,
} from "../message.ts";
import {
	formatStatus,
	SEVERITY_COLORS,
	SEVERITY_LABELS,
	selectOptions,
} from "../message.ts";
import {
	clip,
	fenceSafe,
	markupLines,
	moreLines,
	packLines,
	preLines,
	tableLines,
	truncate,
} from "../text.ts";
import { escapeSlack, renderSlack } from "./mrkdwn.ts";
import type {
	ActionsBlock,
	Block,
	ContextBlock,
	Mrkdwn,
	PlainText,
	SectionBlock,
	SlackPayload,
	StaticSelectElement,
} from "./types.ts";

export const SLACK_MAX_BLOCKS = 50;
export const SLACK_SECTION_TEXT_MAX = 3000;
export const SLACK_HEADER_TEXT_MAX = 150;
export const SLACK_CONTEXT_ELEMENTS_MAX = 10;
/** Any text object, including a context element. */
export const SLACK_TEXT_OBJECT_MAX = 3000;
export const SLACK_ACTIONS_ELEMENTS_MAX = 25;
export const SLACK_BUTTON_TEXT_MAX = 75;
export const SLACK_ACTION_ID_MAX = 255;
export const SLACK_SELECT_OPTIONS_MAX = 100;
export const SLACK_OPTION_TEXT_MAX = 75;
export const SLACK_OPTION_VALUE_MAX = 150;
export const SLACK_PLACEHOLDER_MAX = 150;
export const SLACK_IMAGE_ALT_MAX = 2000;
export const SLACK_IMAGE_URL_MAX = 3000;
export const SLACK_FIELDS_MAX = 10;
export const SLACK_FIELD_TEXT_MAX = 2000;
/** Slack's hard limit for a message's `text`. */
export const SLACK_MESSAGE_TEXT_MAX = 40_000;
/** Our own budget for the notification fallback: a line, not an essay. */
export const SLACK_FALLBACK_TEXT_MAX = 300;
/** A fact label is cut here so the value keeps most of the field. */
export const SLACK_FACT_LABEL_MAX = 200;
/** A rendered table line; three of them (header, rule, a row) plus fences fit one section. */
export const SLACK_TABLE_LINE_MAX = 990;

const FENCE = "```";

/** What the adapter knows that the message does not. */
export interface SlackOptions {
	/** The chart's id after a files v2 upload; takes precedence over `chart.url`. */
	slackFileId?: string;
	/** Draw the severity bar with an attachment (default true); see the module comment. */
	colorBar?: boolean;
}

/** A droppable block and how many lines of the message it carries. */
interface Content {
	block: SectionBlock;
	lines: number;
}

/** Serializes a message for chat.postMessage / chat.update. */
export function toSlack(
	message: ChatMessage,
	options: SlackOptions = {},
): SlackPayload {
	const header: Block = {
		type: "header",
		text: {
			type: "plain_text",
			text: truncate(title(message), SLACK_HEADER_TEXT_MAX),
			emoji: true,
		},
	};
	const top: Block[] = message.status
		? [context([formatStatus(message.status)])]
		: [];
	const content = [
		...textSections(message.text),
		...preSections(message.pre),
		...factSections(message.facts ?? []),
		...tableSections(message),
	];
	const tail: Block[] = [];
	const picture = image(message, options);
	if (picture) tail.push(picture);
	const buttons = actions(message.actions ?? []);
	if (buttons) tail.push(buttons);
	const small = [
		...(message.severity ? [SEVERITY_LABELS[message.severity]] : []),
		...(message.context ?? []),
	].filter((s) => s.trim() !== "");
	if (small.length > 0) tail.push(context(small));
	const fixed = 1 + top.length + tail.length;
	const body = [...top, ...clamp(content, fixed), ...tail];
	const text = fallback(message);
	if (message.severity && options.colorBar !== false)
		return {
			text,
			blocks: [header],
			attachments: [{ color: SEVERITY_COLORS[message.severity], blocks: body }],
		};
	return { text, blocks: [header, ...body] };
}

function title(message: ChatMessage): string {
	return message.title.trim() || "Untitled";
}

/** Keeps as many content blocks as fit beside `fixed` others, then a note for the rest. */
function clamp(content: Content[], fixed: number): Block[] {
	const room = SLACK_MAX_BLOCKS - fixed;
	if (content.length <= room) return content.map((c) => c.block);
	const kept = Math.max(0, room - 1);
	const dropped = content.slice(kept).reduce((n, c) => n + c.lines, 0);
	return [
		...content.slice(0, kept).map((c) => c.block),
		context([moreLines(dropped)]),
	];
}

function mrkdwn(text: string): Mrkdwn {
	return { type: "mrkdwn", text };
}

/** One context block; items past the element limit are joined into the last element. */
function context(items: string[]): ContextBlock {
	const head = items.slice(0, SLACK_CONTEXT_ELEMENTS_MAX - 1);
	const rest = items.slice(SLACK_CONTEXT_ELEMENTS_MAX - 1);
	if (rest.length > 0) head.push(rest.join(" · "));
	return {
		type: "context",
		elements: head.map((s) =>
			mrkdwn(truncate(s, SLACK_TEXT_OBJECT_MAX, escapeSlack)),
		),
	};
}

function textSections(text: string | undefined): Content[] {
	if (!text?.trim()) return [];
	const lines = markupLines(text, SLACK_SECTION_TEXT_MAX, renderSlack);
	// A run of blank lines can fill a chunk on its own; Slack rejects a blank section.
	return packLines(lines, SLACK_SECTION_TEXT_MAX)
		.filter((chunk) => chunk.trim() !== "")
		.map((chunk) => ({
			block: { type: "section", text: mrkdwn(chunk) },
			lines: chunk.split("\n").length,
		}));
}

/** `pre` as code blocks, lines packed into sections; a line too long for one is cut with "…". */
function preSections(pre: string | undefined): Content[] {
	const lines = preLines(pre);
	if (lines.length === 0) return [];
	const fenced = (body: string) => `${FENCE}\n${body}\n${FENCE}`;
	const room = SLACK_SECTION_TEXT_MAX - fenced("").length;
	const cut = lines.map((l) => truncate(fenceSafe(l), room, escapeSlack));
	return packLines(cut, room).map((chunk) => ({
		block: { type: "section", text: mrkdwn(fenced(chunk)) },
		lines: chunk.split("\n").length,
	}));
}

function factSections(facts: ChatFact[]): Content[] {
	const out: Content[] = [];
	for (let i = 0; i < facts.length; i += SLACK_FIELDS_MAX) {
		const group = facts.slice(i, i + SLACK_FIELDS_MAX);
		out.push({
			block: { type: "section", fields: group.map(field) },
			lines: group.length,
		});
	}
	return out;
}

/** `*Label*` on one line, the value under it, within the field limit. */
function field(fact: ChatFact): Mrkdwn {
	const label = fact.label.trim()
		? `*${truncate(fact.label.trim(), SLACK_FACT_LABEL_MAX, escapeSlack)}*\n`
		: "";
	const room = SLACK_FIELD_TEXT_MAX - label.length;
	return mrkdwn(label + truncate(fact.value.trim() || "—", room, escapeSlack));
}

function tableSections(message: ChatMessage): Content[] {
	const table = message.table;
	if (!table || table.columns.length === 0) return [];
	const { head, rows } = tableLines(table);
	const cut = (l: string) => truncate(l, SLACK_TABLE_LINE_MAX, escapeSlack);
	const top = head.map(cut).join("\n");
	const fenced = (lines: string) =>
		`${FENCE}\n${top}${lines ? `\n${lines}` : ""}\n${FENCE}`;
	const room = SLACK_SECTION_TEXT_MAX - fenced("").length - 1;
	const chunks = rows.length > 0 ? packLines(rows.map(cut), room) : [""];
	return chunks.map((chunk) => ({
		block: { type: "section", text: mrkdwn(fenced(chunk)) },
		lines: chunk ? chunk.split("\n").length : 0,
	}));
}

function image(message: ChatMessage, options: SlackOptions): Block | null {
	const chart = message.chart;
	if (!chart) return null;
	const alt_text = truncate(
		chart.alt.trim() || chart.filename,
		SLACK_IMAGE_ALT_MAX,
	);
	if (options.slackFileId)
		return { type: "image", alt_text, slack_file: { id: options.slackFileId } };
	if (chart.url && chart.url.length <= SLACK_IMAGE_URL_MAX)
		return { type: "image", alt_text, image_url: chart.url };
	return null;
}

function actions(list: Action[]): ActionsBlock | null {
	const elements: ActionsBlock["elements"] = [];
	for (const a of list.slice(0, SLACK_ACTIONS_ELEMENTS_MAX)) {
		const action_id = clip(a.id, SLACK_ACTION_ID_MAX);
		if (a.kind === "button")
			elements.push({
				type: "button",
				action_id,
				text: plain(a.label, SLACK_BUTTON_TEXT_MAX),
				...(a.style ? { style: a.style } : {}),
			});
		else {
			const menu = select(a, action_id);
			if (menu) elements.push(menu);
		}
	}
	return elements.length > 0 ? { type: "actions", elements } : null;
}

function select(
	a: SelectAction,
	action_id: string,
): StaticSelectElement | null {
	const options = selectOptions(
		a,
		SLACK_OPTION_VALUE_MAX,
		SLACK_SELECT_OPTIONS_MAX,
	);
	if (options.length === 0) return null;
	return {
		type: "static_select",
		action_id,
		...(a.placeholder.trim()
			? { placeholder: plain(a.placeholder, SLACK_PLACEHOLDER_MAX) }
			: {}),
		options: options.map((o) => ({
			text: plain(o.label, SLACK_OPTION_TEXT_MAX),
			value: o.value,
		})),
	};
}

function plain(text: string, max: number): PlainText {
	return {
		type: "plain_text",
		text: truncate(text.trim() || "—", max),
		emoji: true,
	};
}

/** "🟠 High: Gross margin West below 28% (Acknowledged by @ana at 09:14 UTC)". */
function fallback(message: ChatMessage): string {
	const severity = message.severity
		? `${SEVERITY_LABELS[message.severity]}: `
		: "";
	const status = message.status ? ` (${formatStatus(message.status)})` : "";
	return truncate(
		`${severity}${title(message)}${status}`,
		SLACK_FALLBACK_TEXT_MAX,
		escapeSlack,
	);
}
