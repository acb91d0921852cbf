/**
 * ChatMessage → Discord message (embeds + components), as a pure function.
 *
 * Layout: one embed with the severity colour, the title, a description (status line, text,
 * `pre` as a code block, table as a code block), facts as inline fields, the chart as the embed image, and the small
 * print in the footer; buttons five to a row, each select on a row of its own. `content` stays
 * empty: the embed carries everything, so nothing in the message can ping anyone.
 *
 * Budget: all embed text shares 6,000 characters. Title and footer come first (they are capped
 * well below it), then facts, keeping up to DISCORD_DESCRIPTION_RESERVE for the description;
 * the description gets the rest. What does not fit is dropped whole and counted in a note.
 *
 * Code blocks show their content raw, so `pre` is not escaped; a ``` in it, which Discord
 * cannot escape inside a block, becomes look-alikes (fenceSafe) so it cannot end the block.
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
	moreFacts,
	moreLines,
	preLines,
	tableLines,
	truncate,
} from "../text.ts";
import { escapeDiscord, renderDiscord } from "./markdown.ts";
import type {
	ActionRow,
	Button,
	DiscordPayload,
	Embed,
	EmbedField,
	StringSelect,
} from "./types.ts";

export const DISCORD_EMBED_TITLE_MAX = 256;
export const DISCORD_EMBED_DESCRIPTION_MAX = 4096;
export const DISCORD_EMBED_FIELDS_MAX = 25;
export const DISCORD_FIELD_NAME_MAX = 256;
export const DISCORD_FIELD_VALUE_MAX = 1024;
export const DISCORD_FOOTER_TEXT_MAX = 2048;
export const DISCORD_AUTHOR_NAME_MAX = 256;
/** Title, description, field names and values, footer and author of all embeds together. */
export const DISCORD_EMBED_TOTAL_MAX = 6000;
export const DISCORD_EMBEDS_MAX = 10;
export const DISCORD_CONTENT_MAX = 2000;
export const DISCORD_ACTION_ROWS_MAX = 5;
export const DISCORD_BUTTONS_PER_ROW = 5;
export const DISCORD_BUTTON_LABEL_MAX = 80;
export const DISCORD_CUSTOM_ID_MAX = 100;
export const DISCORD_SELECT_OPTIONS_MAX = 25;
export const DISCORD_OPTION_LABEL_MAX = 100;
export const DISCORD_OPTION_VALUE_MAX = 100;
export const DISCORD_PLACEHOLDER_MAX = 150;
/** An attachment's description, which Discord uses as the image's alt text. */
export const DISCORD_FILE_DESCRIPTION_MAX = 1024;
/** Description characters the facts may not take (when the description wants that many). */
export const DISCORD_DESCRIPTION_RESERVE = 1024;

/** Room kept for "\n\n… N more lines not shown" when the description has to drop lines. */
const NOTE_RESERVE = 48;
/** Room kept for the "…" field that counts facts not shown. */
const FIELD_NOTE_RESERVE = 40;
const FENCE = "```";
const BUTTON_STYLES = { primary: 1, danger: 4 } as const;
const SECONDARY = 2;

/** Serializes a message for the Discord REST API (or discord.js, which takes the same shape). */
export function toDiscord(message: ChatMessage): DiscordPayload {
	const embed: Embed = {
		title: truncate(
			message.title.trim() || "Untitled",
			DISCORD_EMBED_TITLE_MAX,
			escapeDiscord,
		),
	};
	if (message.severity)
		embed.color = Number.parseInt(
			SEVERITY_COLORS[message.severity].slice(1),
			16,
		);
	const small = [
		...(message.severity ? [SEVERITY_LABELS[message.severity]] : []),
		...(message.context ?? []),
	].filter((s) => s.trim() !== "");
	// Footers do not render markdown, so the small print goes in as plain text.
	const footer = truncate(small.join(" · "), DISCORD_FOOTER_TEXT_MAX);
	let room =
		DISCORD_EMBED_TOTAL_MAX - (embed.title?.length ?? 0) - footer.length;
	const wanted = description(message, DISCORD_EMBED_DESCRIPTION_MAX).length;
	const fields = factFields(
		message.facts ?? [],
		room - Math.min(wanted, DISCORD_DESCRIPTION_RESERVE),
	);
	room -= fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
	const text = description(
		message,
		Math.min(DISCORD_EMBED_DESCRIPTION_MAX, room),
	);
	if (text) embed.description = text;
	if (fields.length > 0) embed.fields = fields;
	const payload: DiscordPayload = {
		embeds: [embed],
		components: rows(message.actions ?? []),
	};
	const chart = message.chart;
	if (chart?.png) {
		const name = fileName(chart.filename);
		embed.image = { url: `attachment://${name}` };
		payload.files = [
			{
				name,
				data: chart.png,
				description: truncate(
					chart.alt.trim() || name,
					DISCORD_FILE_DESCRIPTION_MAX,
				),
			},
		];
	} else if (chart?.url) embed.image = { url: chart.url };
	if (footer) embed.footer = { text: footer };
	return payload;
}

/** Facts as inline fields within `budget` characters; a last "…" field counts the rest. */
function factFields(facts: ChatFact[], budget: number): EmbedField[] {
	const cap =
		facts.length > DISCORD_EMBED_FIELDS_MAX
			? DISCORD_EMBED_FIELDS_MAX - 1
			: facts.length;
	const out: EmbedField[] = [];
	let used = 0;
	for (const [i, fact] of facts.slice(0, cap).entries()) {
		const f: EmbedField = {
			name:
				truncate(fact.label.trim(), DISCORD_FIELD_NAME_MAX, escapeDiscord) ||
				"\u200b",
			value: truncate(
				fact.value.trim() || "—",
				DISCORD_FIELD_VALUE_MAX,
				escapeDiscord,
			),
			inline: true,
		};
		const reserve = i === facts.length - 1 ? 0 : FIELD_NOTE_RESERVE;
		if (used + f.name.length + f.value.length + reserve > budget) break;
		out.push(f);
		used += f.name.length + f.value.length;
	}
	if (out.length < facts.length)
		out.push({
			name: "…",
			value: moreFacts(facts.length - out.length),
			inline: false,
		});
	return out;
}

/** Status, text, pre and table, joined by blank lines, in at most `max` characters. */
function description(message: ChatMessage, max: number): string {
	const all = sections(message, max);
	if (all.dropped === 0) return all.parts.join("\n\n");
	const some = sections(message, max - NOTE_RESERVE);
	return [...some.parts, moreLines(some.dropped)].join("\n\n");
}

function sections(
	message: ChatMessage,
	max: number,
): { parts: string[]; dropped: number } {
	const parts: string[] = [];
	// Characters left for the next part, after the blank line that separates it from the last.
	const left = () => max - parts.reduce((n, p) => n + p.length + 2, 0);
	if (message.status && left() > 0)
		parts.push(truncate(formatStatus(message.status), left(), escapeDiscord));
	const text = textPart(message.text, left());
	if (text.part) parts.push(text.part);
	const pre = prePart(message.pre, left());
	if (pre.part) parts.push(pre.part);
	const table = tablePart(message, left());
	if (table.part) parts.push(table.part);
	return { parts, dropped: text.dropped + pre.dropped + table.dropped };
}

/** As many rendered lines of the text as fit in `room` (a long line is split at spaces). */
function textPart(
	text: string | undefined,
	room: number,
): { part: string; dropped: number } {
	if (!text?.trim()) return { part: "", dropped: 0 };
	if (room <= 0) return { part: "", dropped: text.split("\n").length };
	const lines = markupLines(text, room, renderDiscord);
	let part = lines[0] ?? "";
	let shown = 1;
	for (const line of lines.slice(1)) {
		if (part.length + 1 + line.length > room) break;
		part += `\n${line}`;
		shown++;
	}
	return { part: part.trim() ? part : "", dropped: lines.length - shown };
}

/** `pre` as a code block with as many lines as fit in `room`; a line too long is cut with "…". */
function prePart(
	pre: string | undefined,
	room: number,
): { part: string; dropped: number } {
	const lines = preLines(pre);
	const open = `${FENCE}\n`;
	const close = `\n${FENCE}`;
	const max = room - open.length - close.length;
	if (lines.length === 0 || max <= 0)
		return { part: "", dropped: lines.length };
	const cut = lines.map((l) => truncate(fenceSafe(l), max));
	let body = cut[0] ?? "";
	let shown = 1;
	for (const line of cut.slice(1)) {
		if (body.length + 1 + line.length > max) break;
		body += `\n${line}`;
		shown++;
	}
	return { part: open + body + close, dropped: lines.length - shown };
}

/** The table as a code block, with as many rows as fit in `room`. */
function tablePart(
	message: ChatMessage,
	room: number,
): { part: string; dropped: number } {
	const table = message.table;
	if (!table || table.columns.length === 0) return { part: "", dropped: 0 };
	const { head, rows } = tableLines(table);
	const close = `\n${FENCE}`;
	let part = `${FENCE}\n${head.join("\n")}`;
	if (part.length + close.length > room)
		return { part: "", dropped: rows.length };
	let shown = 0;
	for (const row of rows) {
		if (part.length + 1 + row.length + close.length > room) break;
		part += `\n${row}`;
		shown++;
	}
	return { part: part + close, dropped: rows.length - shown };
}

/** Buttons five to a row in order; a select takes a row of its own. At most five rows. */
function rows(actions: Action[]): ActionRow[] {
	const out: ActionRow[] = [];
	let buttons: Button[] = [];
	const flush = () => {
		if (buttons.length > 0) out.push({ type: 1, components: buttons });
		buttons = [];
	};
	for (const a of actions) {
		const custom_id = clip(a.id, DISCORD_CUSTOM_ID_MAX);
		if (a.kind === "button") {
			buttons.push({
				type: 2,
				style: a.style ? BUTTON_STYLES[a.style] : SECONDARY,
				label: truncate(a.label.trim() || "—", DISCORD_BUTTON_LABEL_MAX),
				custom_id,
			});
			if (buttons.length === DISCORD_BUTTONS_PER_ROW) flush();
			continue;
		}
		flush();
		const menu = select(a, custom_id);
		if (menu) out.push({ type: 1, components: [menu] });
	}
	flush();
	return out.slice(0, DISCORD_ACTION_ROWS_MAX);
}

function select(a: SelectAction, custom_id: string): StringSelect | null {
	const options = selectOptions(
		a,
		DISCORD_OPTION_VALUE_MAX,
		DISCORD_SELECT_OPTIONS_MAX,
	);
	if (options.length === 0) return null;
	return {
		type: 3,
		custom_id,
		...(a.placeholder.trim()
			? { placeholder: truncate(a.placeholder.trim(), DISCORD_PLACEHOLDER_MAX) }
			: {}),
		options: options.map((o) => ({
			label: truncate(o.label.trim() || "—", DISCORD_OPTION_LABEL_MAX),
			value: o.value,
		})),
	};
}

/** Attachment names Discord keeps as given: letters, digits, dot, dash, underscore. */
function fileName(name: string): string {
	const safe = name.replace(/[^A-Za-z0-9._-]/g, "_").slice(-100);
	return safe.replace(/^[._]+/, "") || "chart.png";
}
