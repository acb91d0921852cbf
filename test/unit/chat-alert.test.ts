import { describe, expect, it } from "vitest";
import {
	type AlertState,
	alertMessage,
	alertStateOf,
} from "../../src/chat/alert.ts";
import { toMarkdown } from "../../src/chat/local/markdown.ts";
import type { ChatMessage } from "../../src/chat/message.ts";
import { formatStatus } from "../../src/chat/message.ts";
import type { Alert } from "../../src/pulse/alert.ts";
import { alertInput, at, ID, PNG } from "./chat-fixtures.ts";

describe("the living alert message", () => {
	it("starts with observed vs rule as facts and all four controls", () => {
		expect(alertMessage(alertInput())).toEqual({
			title: "Gross margin West below 28%",
			severity: "high",
			text: "Gross margin fell from 31.2% last week.",
			facts: [
				{ label: "Observed", value: "13.8%" },
				{ label: "Rule", value: "below 28%" },
			],
			chart: {
				filename: "margin.png",
				alt: "Gross margin West, last 12 weeks",
				png: PNG,
			},
			actions: [
				{ kind: "button", id: ID.ack, label: "Acknowledge", style: "primary" },
				{ kind: "button", id: ID.real, label: "Real issue" },
				{ kind: "button", id: ID.false, label: "False alarm" },
				{
					kind: "select",
					id: ID.snooze,
					placeholder: "Snooze",
					options: [
						{ label: "1 hour", value: "1h" },
						{ label: "4 hours", value: "4h" },
						{ label: "1 day", value: "1d" },
						{ label: "1 week", value: "1w" },
					],
				},
			],
			context: ["Monitor: Gross margin West", "query v3"],
		} satisfies ChatMessage);
	});

	it("offers Explain last, in every state, only when the engine explained the alert's metric", () => {
		const labels = (m: ChatMessage) =>
			(m.actions ?? []).map((a) =>
				a.kind === "button" ? a.label : a.placeholder,
			);
		expect(labels(alertMessage(alertInput()))).not.toContain("Explain");
		const open = alertMessage({ ...alertInput(), explainable: true });
		expect(labels(open)).toEqual([
			"Acknowledge",
			"Real issue",
			"False alarm",
			"Snooze",
			"Explain",
		]);
		expect(open.actions?.at(-1)).toEqual({
			kind: "button",
			id: `pulse:v1:explain:${alertInput().alertId}`,
			label: "Explain",
		});
		const done = alertMessage({
			...alertInput(),
			explainable: true,
			state: {
				acknowledged: { by: "ana", at: at("09:14") },
				feedback: { verdict: "real", by: "ana", at: at("09:15") },
				resolved: { at: at("10:00") },
			},
		});
		expect(labels(done)).toEqual(["Explain"]);
	});

	it("keeps markup characters in the detail literal", () => {
		expect(
			alertMessage(alertInput({ detail: "Monitor *west_region* <b>" })).text,
		).toBe("Monitor \\*west\\_region\\* \\<b>");
	});

	it("adds further facts after observed and rule", () => {
		const facts = alertMessage(
			alertInput({ facts: [{ label: "Last week", value: "31.2%" }] }),
		).facts;
		expect(facts?.map((f) => f.label)).toEqual([
			"Observed",
			"Rule",
			"Last week",
		]);
	});

	it("shows resolved over snoozed over acknowledged in the one status line", () => {
		const acknowledged = { by: "@ana", at: at("09:14") };
		const snoozed = { by: "@ben", until: at("10:14") };
		const status = (state: AlertState) =>
			alertMessage(alertInput({ state })).status;
		expect(status({ acknowledged })).toEqual({
			label: "Acknowledged",
			by: "@ana",
			at: at("09:14"),
		});
		expect(status({ acknowledged, snoozed })).toEqual({
			label: "Snoozed",
			by: "@ben",
			until: at("10:14"),
		});
		expect(
			status({ acknowledged, snoozed, resolved: { at: at("09:40") } }),
		).toEqual({
			label: "Resolved",
			at: at("09:40"),
		});
	});
});

describe("reading the state off a Pulse alert", () => {
	const base: Alert = {
		fingerprint: "m:1",
		severity: "high",
		openedAt: "2025-03-10T09:00:00.000Z",
		lastSeenAt: "2025-03-10T09:00:00.000Z",
		lastNotifiedAt: "2025-03-10T09:00:00.000Z",
		count: 1,
		observed: 13.8,
		detail: "",
		resolvedAt: null,
		resolvedBy: null,
		acknowledgedAt: null,
		acknowledgedBy: null,
		snoozedUntil: null,
		snoozedBy: null,
		feedback: null,
		feedbackBy: null,
		feedbackAt: null,
	};
	const now = at("09:30");

	it("is empty for a fresh alert", () => {
		expect(alertStateOf(base, now)).toEqual({});
	});

	it("carries acknowledgement, feedback, snooze and resolution with who and when", () => {
		expect(
			alertStateOf(
				{
					...base,
					acknowledgedAt: "2025-03-10T09:14:00.000Z",
					acknowledgedBy: "U1",
					feedback: "false_alarm",
					feedbackBy: "U2",
					feedbackAt: "2025-03-10T09:20:00.000Z",
					snoozedUntil: "2025-03-10T13:14:00.000Z",
					snoozedBy: "U1",
					resolvedAt: "2025-03-10T09:25:00.000Z",
				},
				now,
			),
		).toEqual({
			acknowledged: { by: "U1", at: at("09:14") },
			feedback: { verdict: "false_alarm", by: "U2", at: at("09:20") },
			snoozed: { by: "U1", until: at("13:14") },
			resolved: { at: at("09:25") },
		});
	});

	it("forgets a snooze that has already ended", () => {
		expect(
			alertStateOf(
				{ ...base, snoozedUntil: "2025-03-10T09:29:00.000Z", snoozedBy: "U1" },
				now,
			),
		).toEqual({});
	});
});

describe("status lines", () => {
	it("read label, by, at and until in that order", () => {
		expect(
			formatStatus({ label: "Acknowledged", by: "@ana", at: at("09:04") }),
		).toBe("Acknowledged by @ana at 09:04 UTC");
		expect(
			formatStatus({ label: "Snoozed", until: at("00:00", "2025-12-31") }),
		).toBe("Snoozed until Wed 31 Dec 00:00 UTC");
	});
});

describe("the local Markdown channel", () => {
	it("writes the alert as a readable document with the chart beside it", () => {
		const message = alertMessage(
			alertInput({ state: { acknowledged: { by: "@ana", at: at("09:14") } } }),
		);
		expect(
			toMarkdown({
				...message,
				table: {
					columns: ["Region", "Margin"],
					rows: [
						["West", "13.8%"],
						["East", "31.0%"],
					],
				},
			}),
		).toBe(
			[
				"# Gross margin West below 28%",
				"",
				"**🟠 High** · Acknowledged by @ana at 09:14 UTC",
				"",
				"Gross margin fell from 31.2% last week.",
				"",
				"- **Observed:** 13.8%",
				"- **Rule:** below 28%",
				"",
				"```",
				"Region  Margin",
				"------  ------",
				"West     13.8%",
				"East     31.0%",
				"```",
				"",
				"![Gross margin West, last 12 weeks](margin.png)",
				"",
				"[Real issue] [False alarm] [Snooze ▾]",
				"",
				"_Monitor: Gross margin West · query v3_",
				"",
			].join("\n"),
		);
	});

	it("lists all four controls on a fresh alert", () => {
		expect(toMarkdown(alertMessage(alertInput()))).toContain(
			"\n[Acknowledge] [Real issue] [False alarm] [Snooze ▾]\n",
		);
	});

	it("fences pre as typed, the fence longer than any backtick run in it", () => {
		expect(
			toMarkdown({
				title: "T",
				text: "Note",
				pre: "\n  # r  <b> & *x*\n````\n`y`\n",
				facts: [{ label: "n", value: "36" }],
			}),
		).toBe(
			[
				"# T",
				"",
				"Note",
				"",
				"`````",
				"  # r  <b> & *x*",
				"````",
				"`y`",
				"`````",
				"",
				"- **n:** 36",
				"",
			].join("\n"),
		);
		expect(toMarkdown({ title: "T", pre: "a  b" })).toBe(
			"# T\n\n```\na  b\n```\n",
		);
	});

	it("escapes user text so a page that renders it shows <script> as text", () => {
		const message: ChatMessage = {
			title: "<script>alert(1)</script> & co",
			text: "See <https://x.example/r?a=(1)|the *report*> for <b> & *more*",
			facts: [{ label: "1. <Region>", value: "# West" }],
			chart: {
				filename: "my chart.png",
				alt: "[alt]",
				url: "https://c.example/x.png",
			},
		};
		expect(toMarkdown(message)).toBe(
			[
				"# \\<script\\>alert(1)\\</script\\> \\& co",
				"",
				"See [the \\*report\\*](https://x.example/r?a=%281%29) for \\<b\\> \\& **more**",
				"",
				"- **1\\. \\<Region\\>:** \\# West",
				"",
				"![\\[alt\\]](https://c.example/x.png)",
				"",
			].join("\n"),
		);
	});
});
