/**
 * Shared pieces for the chat tests: a standard alert, a seeded random message generator, and
 * checkers that list every platform limit a payload breaks (empty list = all limits hold).
 */
import { encodeActionId } from "../../src/chat/action-id.ts";
import type { AlertMessageInput } from "../../src/chat/alert.ts";
import * as D from "../../src/chat/discord/serialize.ts";
import type { DiscordPayload } from "../../src/chat/discord/types.ts";
import type {
	Action,
	ChatMessage,
	ChatSeverity,
} from "../../src/chat/message.ts";
import * as S from "../../src/chat/slack/blocks.ts";
import type { Block, SlackPayload } from "../../src/chat/slack/types.ts";

export const ALERT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
export const ID = {
	ack: encodeActionId("ack", ALERT_ID),
	real: encodeActionId("real", ALERT_ID),
	false: encodeActionId("false", ALERT_ID),
	snooze: encodeActionId("snooze", ALERT_ID),
};
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
export const at = (hhmm: string, day = "2025-03-10") =>
	new Date(`${day}T${hhmm}:00Z`);

/** The gross-margin alert used across the tests. */
export function alertInput(
	more: Partial<AlertMessageInput> = {},
): AlertMessageInput {
	return {
		alertId: ALERT_ID,
		title: "Gross margin West below 28%",
		severity: "high",
		observed: "13.8%",
		rule: "below 28%",
		detail: "Gross margin fell from 31.2% last week.",
		chart: {
			filename: "margin.png",
			alt: "Gross margin West, last 12 weeks",
			png: PNG,
		},
		context: ["Monitor: Gross margin West", "query v3"],
		...more,
	};
}

/** mulberry32: a tiny seeded PRNG, so the random tests repeat exactly. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const PIECES = [
	..."abcdefghij klmnop    ABCXYZ0123456789.,;:!?'\"()[]{}",
	..."<>&*_`~|#-\\\n",
	"é",
	"😀",
	"👩‍💻",
	"漢",
	"@everyone",
	"<script>",
	"&amp;",
	"*bold*",
	"_it_",
	"`code`",
	"<https://example.com/a?b=1&c=2|a link>",
	"<https://example.com/x_(y)>",
	"\n- ",
	"\n# ",
	"\n1. ",
];

/** A random message that stresses every limit; `seed` makes it repeatable. */
export function randomMessage(seed: number): ChatMessage {
	const r = prng(seed);
	const int = (max: number) => Math.floor(r() * (max + 1));
	// Lengths skew short but reach past every limit now and then.
	const len = (max: number) => Math.floor(r() ** 3 * max);
	const str = (max: number) => {
		let s = "";
		const n = len(max);
		while (s.length < n) s += PIECES[int(PIECES.length - 1)];
		return s;
	};
	const some = <T>(max: number, f: () => T) =>
		Array.from({ length: len(max) }, f);
	const uuid = () =>
		Array.from({ length: 32 }, () => int(15).toString(16))
			.join("")
			.replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, "$1-$2-$3-$4-$5");
	const action = (): Action => {
		const verb = (["ack", "real", "false", "snooze"] as const)[int(3)] ?? "ack";
		const id = encodeActionId(verb, uuid());
		if (r() < 0.7)
			return {
				kind: "button",
				id,
				label: str(120),
				...(r() < 0.3 ? { style: r() < 0.5 ? "primary" : "danger" } : {}),
			};
		return {
			kind: "select",
			id,
			placeholder: str(200),
			options: some(150, () => ({ label: str(120), value: str(200) })),
		};
	};
	const severities: ChatSeverity[] = [
		"info",
		"low",
		"medium",
		"high",
		"critical",
		"ok",
	];
	const m: ChatMessage = { title: str(400) };
	if (r() < 0.8) m.severity = severities[int(5)] ?? "info";
	if (r() < 0.8) m.text = str(20_000);
	if (r() < 0.7)
		m.facts = some(60, () => ({ label: str(400), value: str(3000) }));
	if (r() < 0.5) {
		const columns = some(10, () => str(60));
		m.table = { columns, rows: some(300, () => columns.map(() => str(80))) };
	}
	if (r() < 0.5)
		m.chart = {
			filename: `${str(30)}.png`,
			alt: str(2500),
			...(r() < 0.5
				? { png: PNG }
				: { url: `https://charts.example.com/${str(3500)}` }),
		};
	if (r() < 0.8) m.actions = some(40, action);
	if (r() < 0.7) m.context = some(20, () => str(3500));
	if (r() < 0.5)
		m.status = {
			label: str(100) || "Acknowledged",
			...(r() < 0.5 ? { by: str(300) } : {}),
			...(r() < 0.5 ? { at: at("09:14") } : {}),
		};
	// Drawn last, so the messages above stay the ones earlier seeds gave.
	if (r() < 0.5) m.pre = str(20_000);
	return m;
}

function strings(value: unknown, out: string[] = []): string[] {
	if (typeof value === "string") out.push(value);
	else if (Array.isArray(value)) for (const v of value) strings(v, out);
	else if (value && typeof value === "object" && !(value instanceof Uint8Array))
		for (const v of Object.values(value)) strings(v, out);
	return out;
}

/** Every Slack limit the payload breaks, as sentences. */
export function slackViolations(p: SlackPayload): string[] {
	const bad: string[] = [];
	const check = (ok: boolean, what: string) => ok || bad.push(what);
	const blocks: Block[] = [
		...p.blocks,
		...(p.attachments ?? []).flatMap((a) => a.blocks),
	];
	check(blocks.length <= S.SLACK_MAX_BLOCKS, `${blocks.length} blocks`);
	check(p.text.length <= S.SLACK_FALLBACK_TEXT_MAX, "fallback text too long");
	check(p.text.length <= S.SLACK_MESSAGE_TEXT_MAX, "message text too long");
	const text = (t: string, max: number, where: string) =>
		check(t.length > 0 && t.length <= max, `${where} length ${t.length}`);
	for (const b of blocks) {
		if (b.type === "header")
			text(b.text.text, S.SLACK_HEADER_TEXT_MAX, "header");
		if (b.type === "section") {
			if (b.text) text(b.text.text, S.SLACK_SECTION_TEXT_MAX, "section");
			const fields = b.fields ?? [];
			check(fields.length <= S.SLACK_FIELDS_MAX, `${fields.length} fields`);
			for (const f of fields) text(f.text, S.SLACK_FIELD_TEXT_MAX, "field");
		}
		if (b.type === "context") {
			check(
				b.elements.length <= S.SLACK_CONTEXT_ELEMENTS_MAX,
				"context elements",
			);
			for (const e of b.elements)
				text(e.text, S.SLACK_TEXT_OBJECT_MAX, "context");
		}
		if (b.type === "image") {
			text(b.alt_text, S.SLACK_IMAGE_ALT_MAX, "alt_text");
			if (b.image_url) text(b.image_url, S.SLACK_IMAGE_URL_MAX, "image_url");
		}
		if (b.type === "actions") {
			check(
				b.elements.length <= S.SLACK_ACTIONS_ELEMENTS_MAX,
				"actions elements",
			);
			for (const e of b.elements) {
				text(e.action_id, S.SLACK_ACTION_ID_MAX, "action_id");
				if (e.type === "button")
					text(e.text.text, S.SLACK_BUTTON_TEXT_MAX, "button");
				else {
					if (e.placeholder)
						text(e.placeholder.text, S.SLACK_PLACEHOLDER_MAX, "placeholder");
					check(
						e.options.length > 0 &&
							e.options.length <= S.SLACK_SELECT_OPTIONS_MAX,
						"options",
					);
					const values = e.options.map((o) => o.value);
					check(
						new Set(values).size === values.length,
						"repeated option value",
					);
					for (const o of e.options) {
						text(o.text.text, S.SLACK_OPTION_TEXT_MAX, "option text");
						text(o.value, S.SLACK_OPTION_VALUE_MAX, "option value");
					}
				}
			}
		}
	}
	for (const b of blocks) {
		const mrkdwn = strings(b).filter((_, i, all) => all[i - 1] === "mrkdwn");
		for (const m of mrkdwn) {
			check(
				!/&(?!amp;|lt;|gt;)/.test(m),
				`bare & in ${JSON.stringify(m.slice(0, 80))}`,
			);
			check(
				!/<(?!https?:\/\/|mailto:)/.test(m),
				`bare < in ${JSON.stringify(m.slice(0, 80))}`,
			);
		}
	}
	for (const s of strings(p)) check(s.isWellFormed(), "lone surrogate");
	return bad;
}

/** Every Discord limit the payload breaks, as sentences. */
export function discordViolations(p: DiscordPayload): string[] {
	const bad: string[] = [];
	const check = (ok: boolean, what: string) => ok || bad.push(what);
	const text = (t: string, max: number, where: string) =>
		check(t.length > 0 && t.length <= max, `${where} length ${t.length}`);
	if (p.content !== undefined)
		text(p.content, D.DISCORD_CONTENT_MAX, "content");
	check(p.embeds.length <= D.DISCORD_EMBEDS_MAX, "embeds");
	let total = 0;
	for (const e of p.embeds) {
		if (e.title !== undefined)
			text(e.title, D.DISCORD_EMBED_TITLE_MAX, "title");
		if (e.description !== undefined)
			text(e.description, D.DISCORD_EMBED_DESCRIPTION_MAX, "description");
		if (e.footer) text(e.footer.text, D.DISCORD_FOOTER_TEXT_MAX, "footer");
		if (e.author) text(e.author.name, D.DISCORD_AUTHOR_NAME_MAX, "author");
		const fields = e.fields ?? [];
		check(
			fields.length <= D.DISCORD_EMBED_FIELDS_MAX,
			`${fields.length} fields`,
		);
		for (const f of fields) {
			text(f.name, D.DISCORD_FIELD_NAME_MAX, "field name");
			text(f.value, D.DISCORD_FIELD_VALUE_MAX, "field value");
		}
		total +=
			(e.title?.length ?? 0) +
			(e.description?.length ?? 0) +
			(e.footer?.text.length ?? 0) +
			(e.author?.name.length ?? 0) +
			fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
	}
	check(total <= D.DISCORD_EMBED_TOTAL_MAX, `embed total ${total}`);
	check(p.components.length <= D.DISCORD_ACTION_ROWS_MAX, "action rows");
	for (const row of p.components) {
		const [first] = row.components;
		if (first?.type === 3) {
			check(row.components.length === 1, "select shares a row");
			text(first.custom_id, D.DISCORD_CUSTOM_ID_MAX, "custom_id");
			if (first.placeholder !== undefined)
				text(first.placeholder, D.DISCORD_PLACEHOLDER_MAX, "placeholder");
			const values = first.options.map((o) => o.value);
			check(new Set(values).size === values.length, "repeated option value");
			check(
				first.options.length > 0 &&
					first.options.length <= D.DISCORD_SELECT_OPTIONS_MAX,
				"options",
			);
			for (const o of first.options) {
				text(o.label, D.DISCORD_OPTION_LABEL_MAX, "option label");
				text(o.value, D.DISCORD_OPTION_VALUE_MAX, "option value");
			}
			continue;
		}
		check(
			row.components.length > 0 &&
				row.components.length <= D.DISCORD_BUTTONS_PER_ROW,
			"buttons per row",
		);
		for (const b of row.components) {
			if (b.type !== 2) continue;
			text(b.label, D.DISCORD_BUTTON_LABEL_MAX, "button label");
			text(b.custom_id, D.DISCORD_CUSTOM_ID_MAX, "custom_id");
		}
	}
	for (const f of p.files ?? [])
		if (f.description !== undefined)
			text(f.description, D.DISCORD_FILE_DESCRIPTION_MAX, "file description");
	for (const s of strings(p)) check(s.isWellFormed(), "lone surrogate");
	return bad;
}
