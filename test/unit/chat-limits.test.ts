import { describe, expect, it } from "vitest";
import { alertMessage } from "../../src/chat/alert.ts";
import { toDiscord } from "../../src/chat/discord/serialize.ts";
import { toSlack } from "../../src/chat/slack/blocks.ts";
import {
	alertInput,
	discordViolations,
	randomMessage,
	slackViolations,
} from "./chat-fixtures.ts";

const SEEDS = Array.from({ length: 200 }, (_, i) => 1000 + i);
const MESSAGES = SEEDS.map((seed) => [seed, randomMessage(seed)] as const);

describe("every serialized payload respects every platform limit", () => {
	it("holds for 200 random Slack messages, with and without the colour bar", () => {
		for (const [seed, m] of MESSAGES) {
			expect([seed, slackViolations(toSlack(m))]).toEqual([seed, []]);
			expect([
				seed,
				slackViolations(toSlack(m, { colorBar: false, slackFileId: "F1" })),
			]).toEqual([seed, []]);
		}
	});

	it("holds for 200 random Discord messages", () => {
		for (const [seed, m] of MESSAGES) {
			expect([seed, discordViolations(toDiscord(m))]).toEqual([seed, []]);
		}
	});

	it("never loses the title, the first controls or the small print to clamping", () => {
		for (const [seed, m] of MESSAGES) {
			const slack = toSlack(m, { colorBar: false, slackFileId: "F1" });
			const types = slack.blocks.map((b) => b.type);
			const buttons = (m.actions ?? []).some((a) => a.kind === "button");
			expect([seed, types[0]]).toEqual([seed, "header"]);
			if (buttons)
				expect([seed, types.includes("actions")]).toEqual([seed, true]);
			if (m.context?.some((c) => c.trim()) || m.severity)
				expect([seed, types.at(-1)]).toEqual([seed, "context"]);
			const discord = toDiscord(m);
			if (buttons)
				expect([seed, discord.components.length > 0]).toEqual([seed, true]);
		}
	});

	it("keeps every code block closed: the content never holds a fence of its own", () => {
		for (const [seed, m] of MESSAGES) {
			const slack = toSlack(m, { colorBar: false });
			for (const b of slack.blocks)
				if (b.type === "section" && b.text?.text.startsWith("```"))
					expect([seed, b.text.text.split("```").length - 1]).toEqual([
						seed,
						2,
					]);
			const pre = toDiscord({ title: "T", pre: m.pre ?? "" }).embeds[0]
				?.description;
			const fences = (pre ?? "").split("```").length - 1;
			expect([seed, fences]).toEqual([seed, pre ? 2 : 0]);
		}
	});

	it("holds for the standard alert in every state", () => {
		const t = new Date("2025-03-10T09:14:00Z");
		for (const state of [
			{},
			{ acknowledged: { by: "@ana", at: t } },
			{ feedback: { verdict: "real" as const, by: "@ana", at: t } },
			{ snoozed: { by: "@ana", until: t } },
			{ resolved: { at: t } },
		]) {
			const m = alertMessage(alertInput({ state }));
			expect(slackViolations(toSlack(m))).toEqual([]);
			expect(discordViolations(toDiscord(m))).toEqual([]);
		}
	});

	it("generates messages that actually reach past the limits", () => {
		const ms = MESSAGES.map(([, m]) => m);
		expect(ms.some((m) => (m.text?.length ?? 0) > 10_000)).toBe(true);
		expect(ms.some((m) => (m.facts?.length ?? 0) > 25)).toBe(true);
		expect(ms.some((m) => (m.actions?.length ?? 0) > 25)).toBe(true);
		expect(ms.some((m) => m.title.length > 256)).toBe(true);
		expect(ms.some((m) => (m.table?.rows.length ?? 0) > 100)).toBe(true);
		expect(ms.some((m) => (m.pre?.length ?? 0) > 10_000)).toBe(true);
	});
});
