import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import type { ActionId } from "../../src/chat/action-id.ts";
import { type AlertState, alertMessage } from "../../src/chat/alert.ts";
import type { ChatMessage } from "../../src/chat/message.ts";
import { toSlack } from "../../src/chat/slack/blocks.ts";
import {
	slackManifest,
	USAGE_HINT_MAX,
	usageHint,
} from "../../src/chat/slack/manifest.ts";
import type { Block } from "../../src/chat/slack/types.ts";
import { ALERT_ID, alertInput, at, ID } from "./chat-fixtures.ts";

const FILE = { slackFileId: "F0CHART" };
const mrkdwn = (text: string) => ({ type: "mrkdwn", text });
const plain = (text: string) => ({ type: "plain_text", text, emoji: true });
const header = (text: string) => ({ type: "header", text: plain(text) });
const section = (text: string) => ({ type: "section", text: mrkdwn(text) });
const context = (...items: string[]) => ({
	type: "context",
	elements: items.map(mrkdwn),
});
const button = (id: string, label: string, style?: "primary") => ({
	type: "button",
	action_id: id,
	text: plain(label),
	...(style ? { style } : {}),
});
const ACK = button(ID.ack, "Acknowledge", "primary");
const REAL = button(ID.real, "Real issue");
const FALSE = button(ID.false, "False alarm");
const SNOOZE = {
	type: "static_select",
	action_id: ID.snooze,
	placeholder: plain("Snooze"),
	options: [
		{ text: plain("1 hour"), value: "1h" },
		{ text: plain("4 hours"), value: "4h" },
		{ text: plain("1 day"), value: "1d" },
		{ text: plain("1 week"), value: "1w" },
	],
};
const TITLE = header("Gross margin West below 28%");
const DETAIL = section("Gross margin fell from 31.2% last week.");
const FACTS = {
	type: "section",
	fields: [mrkdwn("*Observed*\n13.8%"), mrkdwn("*Rule*\nbelow 28%")],
};
const CHART = {
	type: "image",
	alt_text: "Gross margin West, last 12 weeks",
	slack_file: { id: "F0CHART" },
};

/** The alert in a given state, as Slack blocks. */
function alert(state: AlertState) {
	return toSlack(alertMessage(alertInput({ state })), FILE);
}

describe("the alert message in Slack", () => {
	it("puts the title on top and everything else in an attachment with the severity colour", () => {
		expect(toSlack(alertMessage(alertInput()), FILE)).toEqual({
			text: "🟠 High: Gross margin West below 28%",
			blocks: [
				{
					type: "header",
					text: {
						type: "plain_text",
						text: "Gross margin West below 28%",
						emoji: true,
					},
				},
			],
			attachments: [
				{
					color: "#F76B15",
					blocks: [
						{
							type: "section",
							text: {
								type: "mrkdwn",
								text: "Gross margin fell from 31.2% last week.",
							},
						},
						{
							type: "section",
							fields: [
								{ type: "mrkdwn", text: "*Observed*\n13.8%" },
								{ type: "mrkdwn", text: "*Rule*\nbelow 28%" },
							],
						},
						{
							type: "image",
							alt_text: "Gross margin West, last 12 weeks",
							slack_file: { id: "F0CHART" },
						},
						{
							type: "actions",
							elements: [
								{
									type: "button",
									action_id: `pulse:v1:ack:${ALERT_ID}`,
									text: {
										type: "plain_text",
										text: "Acknowledge",
										emoji: true,
									},
									style: "primary",
								},
								{
									type: "button",
									action_id: `pulse:v1:real:${ALERT_ID}`,
									text: { type: "plain_text", text: "Real issue", emoji: true },
								},
								{
									type: "button",
									action_id: `pulse:v1:false:${ALERT_ID}`,
									text: {
										type: "plain_text",
										text: "False alarm",
										emoji: true,
									},
								},
								{
									type: "static_select",
									action_id: `pulse:v1:snooze:${ALERT_ID}`,
									placeholder: {
										type: "plain_text",
										text: "Snooze",
										emoji: true,
									},
									options: [
										{
											text: { type: "plain_text", text: "1 hour", emoji: true },
											value: "1h",
										},
										{
											text: {
												type: "plain_text",
												text: "4 hours",
												emoji: true,
											},
											value: "4h",
										},
										{
											text: { type: "plain_text", text: "1 day", emoji: true },
											value: "1d",
										},
										{
											text: { type: "plain_text", text: "1 week", emoji: true },
											value: "1w",
										},
									],
								},
							],
						},
						{
							type: "context",
							elements: [
								{ type: "mrkdwn", text: "🟠 High" },
								{ type: "mrkdwn", text: "Monitor: Gross margin West" },
								{ type: "mrkdwn", text: "query v3" },
							],
						},
					],
				},
			],
		});
	});

	it("drops Acknowledge and shows who acknowledged it and when", () => {
		expect(alert({ acknowledged: { by: "@ana", at: at("09:14") } })).toEqual({
			text: "🟠 High: Gross margin West below 28% (Acknowledged by @ana at 09:14 UTC)",
			blocks: [TITLE],
			attachments: [
				{
					color: "#F76B15",
					blocks: [
						context("Acknowledged by @ana at 09:14 UTC"),
						DETAIL,
						FACTS,
						CHART,
						{ type: "actions", elements: [REAL, FALSE, SNOOZE] },
						context("🟠 High", "Monitor: Gross margin West", "query v3"),
					],
				},
			],
		});
	});

	it("replaces the feedback buttons with the verdict once someone marks it a real issue", () => {
		expect(
			alert({ feedback: { verdict: "real", by: "@ben", at: at("09:20") } }),
		).toEqual({
			text: "🟠 High: Gross margin West below 28%",
			blocks: [TITLE],
			attachments: [
				{
					color: "#F76B15",
					blocks: [
						DETAIL,
						FACTS,
						CHART,
						{ type: "actions", elements: [ACK, SNOOZE] },
						context(
							"🟠 High",
							"Marked as a real issue by @ben at 09:20 UTC",
							"Monitor: Gross margin West",
							"query v3",
						),
					],
				},
			],
		});
	});

	it("records a false alarm the same way, next to an acknowledgement", () => {
		const state: AlertState = {
			acknowledged: { by: "@ana", at: at("09:14") },
			feedback: { verdict: "false_alarm", by: "@ana", at: at("09:15") },
		};
		expect(alert(state).attachments?.[0]?.blocks).toEqual([
			context("Acknowledged by @ana at 09:14 UTC"),
			DETAIL,
			FACTS,
			CHART,
			{ type: "actions", elements: [SNOOZE] },
			context(
				"🟠 High",
				"Marked as a false alarm by @ana at 09:15 UTC",
				"Monitor: Gross margin West",
				"query v3",
			),
		]);
	});

	it("says until when it is snoozed and keeps the menu to snooze longer", () => {
		const state = { snoozed: { by: "@ana", until: at("13:14", "2025-03-17") } };
		expect(alert(state)).toEqual({
			text: "🟠 High: Gross margin West below 28% (Snoozed by @ana until Mon 17 Mar 13:14 UTC)",
			blocks: [TITLE],
			attachments: [
				{
					color: "#F76B15",
					blocks: [
						context("Snoozed by @ana until Mon 17 Mar 13:14 UTC"),
						DETAIL,
						FACTS,
						CHART,
						{ type: "actions", elements: [ACK, REAL, FALSE, SNOOZE] },
						context("🟠 High", "Monitor: Gross margin West", "query v3"),
					],
				},
			],
		});
	});

	it("turns green when resolved and keeps only the feedback buttons", () => {
		const state = {
			acknowledged: { by: "@ana", at: at("09:14") },
			snoozed: { by: "@ana", until: at("13:14") },
			resolved: { at: at("09:40") },
		};
		expect(alert(state)).toEqual({
			text: "✅ OK: Gross margin West below 28% (Resolved at 09:40 UTC)",
			blocks: [TITLE],
			attachments: [
				{
					color: "#30A46C",
					blocks: [
						context("Resolved at 09:40 UTC"),
						DETAIL,
						FACTS,
						CHART,
						{ type: "actions", elements: [REAL, FALSE] },
						context("✅ OK", "Monitor: Gross margin West", "query v3"),
					],
				},
			],
		});
	});

	it("has no controls left once resolved and answered", () => {
		const state: AlertState = {
			feedback: { verdict: "real", by: "@ben", at: at("09:20") },
			resolved: { by: "@ben", at: at("09:40") },
		};
		expect(alert(state).attachments?.[0]?.blocks).toEqual([
			context("Resolved by @ben at 09:40 UTC"),
			DETAIL,
			FACTS,
			CHART,
			context(
				"✅ OK",
				"Marked as a real issue by @ben at 09:20 UTC",
				"Monitor: Gross margin West",
				"query v3",
			),
		]);
	});
});

describe("Slack layout choices", () => {
	it("keeps every block top-level when the colour bar is turned off", () => {
		const p = toSlack(alertMessage(alertInput()), { ...FILE, colorBar: false });
		expect(p.attachments).toBeUndefined();
		expect(p.blocks.map((b) => b.type)).toEqual([
			"header",
			"section",
			"section",
			"image",
			"actions",
			"context",
		]);
	});

	it("has no attachment for a message without a severity", () => {
		expect(
			toSlack({ title: "Revenue by region", text: "Up *4.1%* on last week." }),
		).toEqual({
			text: "Revenue by region",
			blocks: [header("Revenue by region"), section("Up *4.1%* on last week.")],
		});
	});

	it("shows a hosted chart by URL, and none for a PNG that was not uploaded", () => {
		const chart = {
			filename: "c.png",
			alt: "Revenue",
			url: "https://charts.example.com/c.png",
		};
		expect(toSlack({ title: "T", chart }).blocks[1]).toEqual({
			type: "image",
			alt_text: "Revenue",
			image_url: "https://charts.example.com/c.png",
		});
		expect(
			toSlack({
				title: "T",
				chart: { filename: "c.png", alt: "Revenue", png: new Uint8Array() },
			}).blocks,
		).toEqual([header("T")]);
	});

	it("draws a table as a code block with numbers right-aligned", () => {
		const table = {
			columns: ["Region", "Margin", "Orders"],
			rows: [
				["West", "13.8%", "1,204"],
				["North-East", "31.0%", "98"],
			],
		};
		expect(toSlack({ title: "T", table }).blocks[1]).toEqual(
			section(
				[
					"```",
					"Region      Margin  Orders",
					"----------  ------  ------",
					"West         13.8%   1,204",
					"North-East   31.0%      98",
					"```",
				].join("\n"),
			),
		);
	});

	it("chunks a long table into code blocks that each repeat the header", () => {
		const rows = Array.from({ length: 200 }, (_, i) => [
			`row ${String(i).padStart(3, "0")}`,
			"x".repeat(20),
		]);
		const blocks = toSlack({
			title: "T",
			table: { columns: ["Name", "Value"], rows },
		}).blocks;
		const line = (i: number) =>
			`row ${String(i).padStart(3, "0")}  ${"x".repeat(20)}`;
		// Fences and header take 52 characters, a newline more before the rows; 98 rows of 29
		// characters and their newlines take 2,939: 2,992 in all, within 3,000.
		const code = (from: number, to: number) =>
			section(
				[
					"```",
					"Name     Value",
					"-------  --------------------",
					...Array.from({ length: to - from }, (_, k) => line(from + k)),
					"```",
				].join("\n"),
			);
		expect(blocks).toEqual([
			header("T"),
			code(0, 98),
			code(98, 196),
			code(196, 200),
		]);
	});

	it("joins small print past ten items into the tenth element", () => {
		const context = Array.from({ length: 12 }, (_, i) => `c${i + 1}`);
		expect(toSlack({ title: "T", context }).blocks[1]).toEqual({
			type: "context",
			elements: [...context.slice(0, 9), "c10 · c11 · c12"].map(mrkdwn),
		});
	});
});

describe("Slack limits", () => {
	it("cuts a 200-character title to 150 with an ellipsis", () => {
		const title = `${"Gross margin ".repeat(15)}${"x".repeat(5)}`;
		expect(title.length).toBe(200);
		const p = toSlack({ title });
		expect(p.blocks).toEqual([header(`${"Gross margin ".repeat(11)}Gross…`)]);
		expect(p.text).toBe(title);
	});

	it("chunks a 10,000-character text into sections at line boundaries", () => {
		const line = (i: number) =>
			`${String(i).padStart(2, "0")} ${"x".repeat(96)}`;
		const lines = Array.from({ length: 100 }, (_, i) => line(i));
		const text = lines.join("\n");
		expect(text.length).toBe(9999);
		// 30 lines of 99 characters and 29 newlines = 2,999 characters per section.
		expect(toSlack({ title: "T", text }).blocks).toEqual([
			header("T"),
			section(lines.slice(0, 30).join("\n")),
			section(lines.slice(30, 60).join("\n")),
			section(lines.slice(60, 90).join("\n")),
			section(lines.slice(90).join("\n")),
		]);
	});

	it("splits one 10,000-character paragraph at word boundaries", () => {
		const text = "word ".repeat(2000);
		const part = (n: number) => "word ".repeat(n).trimEnd();
		expect(toSlack({ title: "T", text }).blocks).toEqual([
			header("T"),
			section(part(600)),
			section(part(600)),
			section(part(600)),
			section(part(200)),
		]);
	});

	it("never cuts inside an escape: limits apply to the escaped text", () => {
		const text = "&".repeat(700); // 3,500 characters once escaped
		expect(toSlack({ title: "T", text }).blocks).toEqual([
			header("T"),
			section("&amp;".repeat(600)),
			section("&amp;".repeat(100)),
		]);
	});

	it("puts 30 facts into three sections of ten fields", () => {
		const facts = Array.from({ length: 30 }, (_, i) => ({
			label: `F${i + 1}`,
			value: `${i + 1}`,
		}));
		const fields = (from: number) =>
			Array.from({ length: 10 }, (_, k) =>
				mrkdwn(`*F${from + k}*\n${from + k}`),
			);
		expect(toSlack({ title: "T", facts }).blocks).toEqual([
			header("T"),
			{ type: "section", fields: fields(1) },
			{ type: "section", fields: fields(11) },
			{ type: "section", fields: fields(21) },
		]);
	});

	it("cuts a fact value so the whole field stays within 2,000 characters", () => {
		const p = toSlack({
			title: "T",
			facts: [{ label: "Query", value: "y".repeat(2500) }],
		});
		expect(p.blocks[1]).toEqual({
			type: "section",
			fields: [mrkdwn(`*Query*\n${"y".repeat(1991)}…`)],
		});
	});

	it("clamps a 60-block message to 50, keeping the controls, with a note of what was cut", () => {
		const lines = Array.from(
			{ length: 57 },
			(_, i) => `${String(i).padStart(2, "0")}${"x".repeat(2997)}`,
		);
		const message: ChatMessage = {
			title: "T",
			text: lines.join("\n"),
			actions: [{ kind: "button", id: ID.ack, label: "Acknowledge" }],
			context: ["small print"],
		};
		const blocks = toSlack(message).blocks;
		expect(blocks).toHaveLength(50);
		expect(blocks).toEqual([
			header("T"),
			...lines.slice(0, 46).map(section),
			context("… 11 more lines not shown"),
			{ type: "actions", elements: [button(ID.ack, "Acknowledge")] },
			context("small print"),
		]);
	});

	it("keeps 25 of 30 actions and 100 of 150 select options", () => {
		const actions: ChatMessage["actions"] = [
			{
				kind: "select",
				id: ID.snooze,
				placeholder: "Pick",
				options: Array.from({ length: 150 }, (_, i) => ({
					label: `o${i}`,
					value: `v${i}`,
				})),
			},
			...Array.from({ length: 29 }, (_, i) => ({
				kind: "button" as const,
				id: `b${i}` as ActionId,
				label: "B".repeat(100),
			})),
		];
		const [, block] = toSlack({ title: "T", actions }).blocks as [Block, Block];
		if (block.type !== "actions")
			throw new Error(`expected actions, got ${block.type}`);
		expect(block.elements).toHaveLength(25);
		const [select, b0] = block.elements;
		expect(select?.type === "static_select" && select.options.length).toBe(100);
		expect(b0).toEqual(button("b0", `${"B".repeat(74)}…`));
	});
});

describe("Slack fixed-width text (pre)", () => {
	it("draws pre as a code block after the text, spaces kept, &, < and > escaped, markup left alone", () => {
		const pre = "\nmetric     r\nrevenue    0.91  *not bold* <b> & co   \n\n";
		expect(toSlack({ title: "T", text: "Up *4.1%*.", pre })).toEqual({
			text: "T",
			blocks: [
				header("T"),
				section("Up *4.1%*."),
				section(
					[
						"```",
						"metric     r",
						"revenue    0.91  *not bold* &lt;b&gt; &amp; co",
						"```",
					].join("\n"),
				),
			],
		});
	});

	it("keeps a ``` in the content from closing the block, single backticks as typed", () => {
		expect(
			toSlack({ title: "T", pre: "a ``` b\n````\n`x`" }).blocks[1],
		).toEqual(section("```\na ˋˋˋ b\nˋˋˋˋ\n`x`\n```"));
	});

	it("chunks a long pre into code blocks of at most 3,000 characters at line boundaries", () => {
		const line = (i: number) =>
			`${String(i).padStart(2, "0")}${"x".repeat(70)}`;
		const lines = Array.from({ length: 100 }, (_, i) => line(i));
		// Fences take 8 characters; 41 lines of 72 and their 40 newlines take 2,992: 3,000 exactly.
		const code = (from: number, to: number) =>
			section(["```", ...lines.slice(from, to), "```"].join("\n"));
		const blocks = toSlack({ title: "T", pre: lines.join("\n") }).blocks;
		expect(blocks).toEqual([
			header("T"),
			code(0, 41),
			code(41, 82),
			code(82, 100),
		]);
		expect(
			blocks.map((b) => (b.type === "section" ? b.text?.text.length : 0)),
		).toEqual([0, 3000, 3000, 18 * 73 - 1 + 8]);
	});

	it("cuts a line too long for one section, counting the escapes", () => {
		// 700 ampersands are 3,500 characters escaped; 598 and the "…" fill 2,991 of the 2,992.
		expect(toSlack({ title: "T", pre: "&".repeat(700) }).blocks).toEqual([
			header("T"),
			section(`\`\`\`\n${"&amp;".repeat(598)}…\n\`\`\``),
		]);
	});

	it("counts the pre lines that do not fit in 50 blocks in the note", () => {
		const lines = Array.from(
			{ length: 55 },
			(_, i) => `${String(i).padStart(2, "0")}${"x".repeat(2990)}`,
		);
		const blocks = toSlack({
			title: "T",
			pre: lines.join("\n"),
			actions: [{ kind: "button", id: ID.ack, label: "Acknowledge" }],
			context: ["small print"],
		}).blocks;
		expect(blocks).toEqual([
			header("T"),
			...lines.slice(0, 46).map((l) => section(`\`\`\`\n${l}\n\`\`\``)),
			context("… 9 more lines not shown"),
			{ type: "actions", elements: [button(ID.ack, "Acknowledge")] },
			context("small print"),
		]);
	});

	it("leaves out a pre of blank lines", () => {
		expect(toSlack({ title: "T", pre: " \n\n  " }).blocks).toEqual([
			header("T"),
		]);
	});
});

describe("Slack escaping", () => {
	it("escapes &, < and > in user text but not in our own links", () => {
		const message: ChatMessage = {
			title: "<script>alert(1)</script> & co",
			severity: "critical",
			text: "Margin for <script> & <b>co</b>; see <https://x.example/r?a=1&b=2|the report & notes> or ping <@U123> <!channel>",
			facts: [{ label: "<Region>", value: "West & <East>" }],
			context: ["Monitor: <m> & co"],
			status: { label: "Acknowledged", by: "<@U999>" },
			actions: [{ kind: "button", id: ID.ack, label: "<Ack> & go" }],
		};
		expect(toSlack(message, { colorBar: false })).toEqual({
			text: "🔴 Critical: &lt;script&gt;alert(1)&lt;/script&gt; &amp; co (Acknowledged by &lt;@U999&gt;)",
			blocks: [
				header("<script>alert(1)</script> & co"),
				context("Acknowledged by &lt;@U999&gt;"),
				section(
					"Margin for &lt;script&gt; &amp; &lt;b&gt;co&lt;/b&gt;; see <https://x.example/r?a=1&amp;b=2|the report &amp; notes> or ping &lt;@U123&gt; &lt;!channel&gt;",
				),
				{
					type: "section",
					fields: [mrkdwn("*&lt;Region&gt;*\nWest &amp; &lt;East&gt;")],
				},
				{ type: "actions", elements: [button(ID.ack, "<Ack> & go")] },
				context("🔴 Critical", "Monitor: &lt;m&gt; &amp; co"),
			],
		});
	});

	it("renders the markup as mrkdwn", () => {
		const text =
			"*bold* _italic_ `a < b` <https://example.com> snake_case_name 2*3*4 \\*not bold\\*";
		expect(toSlack({ title: "T", text }).blocks[1]).toEqual(
			section(
				"*bold* _italic_ `a &lt; b` <https://example.com> snake_case_name 2*3*4 *not bold*",
			),
		);
	});
});

describe("the Slack app manifest", () => {
	it("hints every form of a command after its slash word, cut to Slack's 100 characters", () => {
		const manifest = slackManifest({ commands, path: "/slack/events" });
		const hints = Object.fromEntries(
			manifest.features.slash_commands.map((c) => [c.command, c.usage_hint]),
		);
		expect(hints["/stox"]).toBe(
			"summary | reorder [--limit N] | excess [--limit N] | item <material>",
		);
		expect(hints["/query"]).toBe(
			"list [category] | run <name> [--param name=value …]",
		);
		// "pulse status" and the other pulse forms share /pulse; the whole list is too long.
		expect(
			hints["/pulse"]?.startsWith("status [--errors N] | list | show <id> |"),
		).toBe(true);
		for (const hint of Object.values(hints))
			expect(hint.length).toBeLessThanOrEqual(USAGE_HINT_MAX);
		expect(usageHint(["x".repeat(150)])).toBe(`${"x".repeat(99)}…`);
	});
});
