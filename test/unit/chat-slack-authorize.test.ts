import type { WebClient } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { onceAuthorize } from "../../src/chat/slack/authorize.ts";
import { memoryLogger } from "../helpers/log.ts";

/** A WebClient whose auth.test answers from `answers` in turn (an Error is thrown). */
function fakeClient(answers: (Error | { bot_id: string; user_id: string })[]) {
	const calls: unknown[] = [];
	const client = {
		auth: {
			test: async (args: unknown) => {
				calls.push(args);
				const next = answers.shift();
				if (!next || next instanceof Error)
					throw next ?? new Error("no answer");
				return { ok: true, ...next };
			},
		},
	} as unknown as WebClient;
	return { client, calls };
}

const SOURCE = {
	teamId: "T1",
	enterpriseId: undefined,
	isEnterpriseInstall: false,
};
const BOT = { bot_id: "B1", user_id: "U1" };

describe("the bot's authorize", () => {
	it("asks auth.test once and answers every request with the token and the bot's ids", async () => {
		const { client, calls } = fakeClient([BOT]);
		const authorize = onceAuthorize(client, "xoxb-1", memoryLogger().log);
		const results = await Promise.all([
			authorize(SOURCE),
			authorize(SOURCE),
			authorize(SOURCE),
		]);
		expect(await authorize(SOURCE)).toEqual(results[0]);
		expect(results[0]).toEqual({
			botToken: "xoxb-1",
			isEnterpriseInstall: false,
			botId: "B1",
			botUserId: "U1",
		});
		expect(calls).toEqual([{ token: "xoxb-1" }]);
	});

	it("lets the request through without the ids when auth.test fails, and asks again next time", async () => {
		const { client, calls } = fakeClient([new Error("ratelimited"), BOT]);
		const memory = memoryLogger();
		const authorize = onceAuthorize(client, "xoxb-1", memory.log);
		expect(await authorize(SOURCE)).toEqual({
			botToken: "xoxb-1",
			isEnterpriseInstall: false,
		});
		expect(memory.text()).toContain("auth.test failed");
		expect(await authorize(SOURCE)).toMatchObject({ botId: "B1" });
		expect(await authorize(SOURCE)).toMatchObject({ botUserId: "U1" });
		expect(calls).toHaveLength(2);
	});
});
