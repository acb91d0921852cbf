import { describe, expect, it } from "vitest";
import type { ActionId } from "../../src/chat/action-id.ts";
import { type AlertState, alertMessage } from "../../src/chat/alert.ts";
import {
	DISCORD_CUSTOM_ID_MAX,
	DISCORD_EMBEDS_MAX,
	toDiscord,
} from "../../src/chat/discord/serialize.ts";
import type { ChatMessage } from "../../src/chat/message.ts";
import { ALERT_ID, alertInput, at, ID, PNG } from "./chat-fixtures.ts";

const ORANGE = 0xf76b15;
const GREEN = 0x30a46c;
const button = (custom_id: string, label: string, style = 2) => ({
	type: 2,
	style,
	label,
	custom_id,
});
const row = (...components: unknown[]) => ({ type: 1, components });
const ACK = button(ID.ack, "Acknowledge", 1);
const REAL = button(ID.real, "Real issue");
const FALSE = button(ID.false, "False alarm");
const SNOOZE = row({
	type: 3,
	custom_id: ID.snooze,
	placeholder: "Snooze",
	options: [
		{ label: "1 hour", value: "1h" },
		{ label: "4 hours", value: "4h" },
		{ label: "1 day", value: "1d" },
		{ label: "1 week", value: "1w" },
	],
});
const FIELDS = [
	{ name: "Observed", value: "13.8%", inline: true },
	{ name: "Rule", value: "below 28%", inline: true },
];
const FILES = [
	{
		name: "margin.png",
		data: PNG,
		description: "Gross margin West, last 12 weeks",
	},
];
const DETAIL = "Gross margin fell from 31.2% last week.";

/** The alert embed with the parts that change by state. */
function embed(color: number, description: string, footer: string) {
	return {
		title: "Gross margin West below 28%",
		color,
		description,
		fields: FIELDS,
		image: { url: "attachment://margin.png" },
		footer: { text: footer },
	};
}
const alert = (state: AlertState) =>
	toDiscord(alertMessage(alertInput({ state })));

describe("the alert message in Discord", () => {
	it("is one coloured embed with the chart attached, buttons in a row and the menu below", () => {
		expect(toDiscord(alertMessage(alertInput()))).toEqual({
			embeds: [
				{
					title: "Gross margin West below 28%",
					color: 16214805,
					description: "Gross margin fell from 31.2% last week.",
					fields: [
						{ name: "Observed", value: "13.8%", inline: true },
						{ name: "Rule", value: "below 28%", inline: true },
					],
					image: { url: "attachment://margin.png" },
					footer: { text: "🟠 High · Monitor: Gross margin West · query v3" },
				},
			],
			components: [
				{
					type: 1,
					components: [
						{
							type: 2,
							style: 1,
							label: "Acknowledge",
							custom_id: `pulse:v1:ack:${ALERT_ID}`,
						},
						{
							type: 2,
							style: 2,
							label: "Real issue",
							custom_id: `pulse:v1:real:${ALERT_ID}`,
						},
						{
							type: 2,
							style: 2,
							label: "False alarm",
							custom_id: `pulse:v1:false:${ALERT_ID}`,
						},
					],
				},
				{
					type: 1,
					components: [
						{
							type: 3,
							custom_id: `pulse:v1:snooze:${ALERT_ID}`,
							placeholder: "Snooze",
							options: [
								{ label: "1 hour", value: "1h" },
								{ label: "4 hours", value: "4h" },
								{ label: "1 day", value: "1d" },
								{ label: "1 week", value: "1w" },
							],
						},
					],
				},
			],
			files: [
				{
					name: "margin.png",
					data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
					description: "Gross margin West, last 12 weeks",
				},
			],
		});
	});

	it("drops Acknowledge and opens the description with who acknowledged it", () => {
		expect(alert({ acknowledged: { by: "@ana", at: at("09:14") } })).toEqual({
			embeds: [
				embed(
					ORANGE,
					`Acknowledged by @ana at 09:14 UTC\n\n${DETAIL}`,
					"🟠 High · Monitor: Gross margin West · query v3",
				),
			],
			components: [row(REAL, FALSE), SNOOZE],
			files: FILES,
		});
	});

	it("replaces the feedback buttons with the verdict for a real issue", () => {
		expect(
			alert({ feedback: { verdict: "real", by: "@ben", at: at("09:20") } }),
		).toEqual({
			embeds: [
				embed(
					ORANGE,
					DETAIL,
					"🟠 High · Marked as a real issue by @ben at 09:20 UTC · Monitor: Gross margin West · query v3",
				),
			],
			components: [row(ACK), SNOOZE],
			files: FILES,
		});
	});

	it("replaces the feedback buttons with the verdict for a false alarm", () => {
		expect(
			alert({
				feedback: { verdict: "false_alarm", by: "@ben", at: at("09:20") },
			}),
		).toEqual({
			embeds: [
				embed(
					ORANGE,
					DETAIL,
					"🟠 High · Marked as a false alarm by @ben at 09:20 UTC · Monitor: Gross margin West · query v3",
				),
			],
			components: [row(ACK), SNOOZE],
			files: FILES,
		});
	});

	it("says until when it is snoozed", () => {
		const state = { snoozed: { by: "@ana", until: at("13:14", "2025-03-17") } };
		expect(alert(state)).toEqual({
			embeds: [
				embed(
					ORANGE,
					`Snoozed by @ana until Mon 17 Mar 13:14 UTC\n\n${DETAIL}`,
					"🟠 High · Monitor: Gross margin West · query v3",
				),
			],
			components: [row(ACK, REAL, FALSE), SNOOZE],
			files: FILES,
		});
	});

	it("turns green when resolved and keeps only the feedback buttons", () => {
		const state = {
			acknowledged: { by: "@ana", at: at("09:14") },
			resolved: { at: at("09:40") },
		};
		expect(alert(state)).toEqual({
			embeds: [
				embed(
					GREEN,
					`Resolved at 09:40 UTC\n\n${DETAIL}`,
					"✅ OK · Monitor: Gross margin West · query v3",
				),
			],
			components: [row(REAL, FALSE)],
			files: FILES,
		});
	});
});

describe("Discord layout choices", () => {
	it("shows a hosted chart by URL, with nothing to upload", () => {
		const chart = {
			filename: "c.png",
			alt: "Revenue",
			url: "https://charts.example.com/c.png",
		};
		expect(toDiscord({ title: "T", chart })).toEqual({
			embeds: [
				{ title: "T", image: { url: "https://charts.example.com/c.png" } },
			],
			components: [],
		});
	});

	it("names the attachment with characters Discord keeps", () => {
		const chart = { filename: "margin west (v3).png", alt: "", png: PNG };
		expect(toDiscord({ title: "T", chart })).toEqual({
			embeds: [
				{ title: "T", image: { url: "attachment://margin_west__v3_.png" } },
			],
			components: [],
			files: [
				{
					name: "margin_west__v3_.png",
					data: PNG,
					description: "margin_west__v3_.png",
				},
			],
		});
	});

	it("draws a table as a code block after the text", () => {
		const table = { columns: ["Region", "Margin"], rows: [["West", "13.8%"]] };
		expect(
			toDiscord({ title: "T", text: "By region:", table }).embeds[0]
				?.description,
		).toBe(
			"By region:\n\n```\nRegion  Margin\n------  ------\nWest     13.8%\n```",
		);
	});

	it("splits 7 buttons into a row of five and a row of two", () => {
		const actions = Array.from({ length: 7 }, (_, i) => ({
			kind: "button" as const,
			id: `b${i + 1}` as ActionId,
			label: `B${i + 1}`,
			...(i === 6 ? { style: "danger" as const } : {}),
		}));
		expect(toDiscord({ title: "T", actions }).components).toEqual([
			row(...[1, 2, 3, 4, 5].map((i) => button(`b${i}`, `B${i}`))),
			row(button("b6", "B6"), button("b7", "B7", 4)),
		]);
	});

	it("keeps 25 of 30 select options and at most five rows", () => {
		const options = Array.from({ length: 30 }, (_, i) => ({
			label: `Option ${i}`,
			value: `v${i}`,
		}));
		const select = {
			kind: "select" as const,
			id: ID.snooze,
			placeholder: "Pick one",
			options,
		};
		const p = toDiscord({
			title: "T",
			actions: Array.from({ length: 6 }, () => select),
		});
		expect(p.components).toHaveLength(5);
		expect(p.components[0]).toEqual(
			row({
				type: 3,
				custom_id: ID.snooze,
				placeholder: "Pick one",
				options: options.slice(0, 25),
			}),
		);
	});
});

describe("Discord limits", () => {
	it("cuts a custom_id to 100 characters and sends one embed of the ten allowed", () => {
		const long = `pulse:v1:ack:${"x".repeat(120)}` as ActionId;
		const p = toDiscord({
			title: "Long id",
			actions: [{ kind: "button", id: long, label: "Go" }],
		});
		expect(p).toEqual({
			embeds: [{ title: "Long id" }],
			components: [row(button(long.slice(0, DISCORD_CUSTOM_ID_MAX), "Go"))],
		});
		expect(p.embeds.length).toBeLessThanOrEqual(DISCORD_EMBEDS_MAX);
	});

	it("keeps a 200-character title whole and cuts a 300-character one to 256", () => {
		const title200 = "x".repeat(200);
		expect(toDiscord({ title: title200 }).embeds[0]?.title).toBe(title200);
		expect(toDiscord({ title: "x".repeat(300) }).embeds[0]?.title).toBe(
			`${"x".repeat(255)}…`,
		);
	});

	it("fits a 10,000-character text into the description and says how much was left out", () => {
		const lines = Array.from(
			{ length: 100 },
			(_, i) => `${String(i).padStart(2, "0")} ${"x".repeat(96)}`,
		);
		// 40 lines of 99 characters and 39 newlines = 3,999 characters; a 41st would pass 4,096.
		expect(toDiscord({ title: "T", text: lines.join("\n") }).embeds).toEqual([
			{
				title: "T",
				description: `${lines.slice(0, 40).join("\n")}\n\n… 60 more lines not shown`,
			},
		]);
	});

	it("shows 24 of 30 facts and a 25th field counting the rest", () => {
		const facts = Array.from({ length: 30 }, (_, i) => ({
			label: `F${i + 1}`,
			value: `${i + 1}`,
		}));
		expect(toDiscord({ title: "T", facts }).embeds[0]?.fields).toEqual([
			...Array.from({ length: 24 }, (_, i) => ({
				name: `F${i + 1}`,
				value: `${i + 1}`,
				inline: true,
			})),
			{ name: "…", value: "6 more facts not shown", inline: false },
		]);
	});

	it("drops facts that would take the embed past 6,000 characters in total", () => {
		const facts = Array.from({ length: 25 }, (_, i) => ({
			label: `F${String(i + 1).padStart(2, "0")}`,
			value: "v".repeat(1000),
		}));
		// Five fields of 1,003 characters leave room for the note; a sixth would not.
		const fields = toDiscord({ title: "T", facts }).embeds[0]?.fields;
		expect(fields?.map((f) => f.name)).toEqual([
			"F01",
			"F02",
			"F03",
			"F04",
			"F05",
			"…",
		]);
		expect(fields?.at(-1)).toEqual({
			name: "…",
			value: "20 more facts not shown",
			inline: false,
		});
	});

	it("cuts a fact value to 1,024 characters", () => {
		const facts = [{ label: "SQL", value: "s".repeat(2000) }];
		expect(toDiscord({ title: "T", facts }).embeds[0]?.fields).toEqual([
			{ name: "SQL", value: `${"s".repeat(1023)}…`, inline: true },
		]);
	});
});

describe("Discord fixed-width text (pre)", () => {
	it("draws pre as a code block between the text and the table, raw: nothing escaped", () => {
		const table = { columns: ["Region"], rows: [["West"]] };
		expect(
			toDiscord({
				title: "T",
				text: "By region:",
				pre: "\nmetric   r\n# revenue  <@123> *x* & _y_   \n",
				table,
			}).embeds[0]?.description,
		).toBe(
			[
				"By region:",
				"",
				"```",
				"metric   r",
				"# revenue  <@123> *x* & _y_",
				"```",
				"",
				"```",
				"Region",
				"------",
				"West",
				"```",
			].join("\n"),
		);
	});

	it("keeps a ``` in the content from closing the block", () => {
		expect(
			toDiscord({ title: "T", pre: "a ```js b\n``````\n`x`" }).embeds[0]
				?.description,
		).toBe("```\na ˋˋˋjs b\nˋˋˋˋˋˋ\n`x`\n```");
	});

	it("fits as many lines as the description takes and says how many were left out", () => {
		const lines = Array.from(
			{ length: 100 },
			(_, i) => `${String(i).padStart(2, "0")} ${"x".repeat(96)}`,
		);
		// 4,096 less 48 for the note and 8 for the fences: 40 lines of 99 and 39 newlines (3,999)
		// fit in the 4,040 left; a 41st would not.
		expect(toDiscord({ title: "T", pre: lines.join("\n") }).embeds).toEqual([
			{
				title: "T",
				description: `\`\`\`\n${lines.slice(0, 40).join("\n")}\n\`\`\`\n\n… 60 more lines not shown`,
			},
		]);
	});

	it("cuts a single line longer than the description with an ellipsis", () => {
		const description = toDiscord({ title: "T", pre: "y".repeat(5000) })
			.embeds[0]?.description;
		expect(description).toBe(`\`\`\`\n${"y".repeat(4087)}…\n\`\`\``);
		expect(description).toHaveLength(4096);
	});
});

describe("Discord markdown and escaping", () => {
	it("converts the markup: *bold* to **bold**, _italic_ to *italic*, <url|label> to [label](url)", () => {
		const text = [
			"*Revenue* is _up_ on `last week`, see <https://x.example/r?a=1&b=2|the report>",
			"or <https://x.example/(v2)|version 2>, <mailto:ana@example.com|Ana> and <https://x.example>",
		].join("\n");
		expect(toDiscord({ title: "T", text }).embeds[0]?.description).toBe(
			[
				"**Revenue** is *up* on `last week`, see [the report](https://x.example/r?a=1&b=2)",
				"or [version 2](https://x.example/%28v2%29), Ana (mailto:ana@example.com) and https://x.example",
			].join("\n"),
		);
	});

	it("escapes <script>, mentions and markdown in user text, leaving & alone", () => {
		const message: ChatMessage = {
			title: "<script>alert(1)</script> & *co*",
			severity: "critical",
			text: "Margin for <script> & co, <@123> a_b ~x~ |y| [z]\n1. not a list\n# not a heading\n- not a bullet\n> not a quote",
			facts: [{ label: "<Region>", value: "West & <East> *x*" }],
			context: ["Monitor: <m> & *co*"],
			status: { label: "Acknowledged", by: "<@999>" },
			actions: [{ kind: "button", id: ID.ack, label: "<Ack> & go" }],
		};
		expect(toDiscord(message)).toEqual({
			embeds: [
				{
					title: "\\<script>alert(1)\\</script> & \\*co\\*",
					color: 0xe5484d,
					description: [
						"Acknowledged by \\<@999>",
						"",
						"Margin for \\<script> & co, \\<@123> a\\_b \\~x\\~ \\|y\\| \\[z\\]",
						"1\\. not a list",
						"\\# not a heading",
						"\\- not a bullet",
						"\\> not a quote",
					].join("\n"),
					fields: [
						{
							name: "\\<Region>",
							value: "West & \\<East> \\*x\\*",
							inline: true,
						},
					],
					footer: { text: "🔴 Critical · Monitor: <m> & *co*" },
				},
			],
			components: [row(button(ID.ack, "<Ack> & go"))],
		});
	});
});
