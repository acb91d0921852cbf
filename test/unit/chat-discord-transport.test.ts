import { generateKeyPairSync, sign } from "node:crypto";
import { DiscordAPIError, RateLimitError } from "@discordjs/rest";
import { describe, expect, it } from "vitest";
import { ChatSendError } from "../../src/chat/channel.ts";
import { deliveryNonce } from "../../src/chat/discord/channel.ts";
import { attachmentName, keepImage } from "../../src/chat/discord/edit.ts";
import { discordError, messageRequest } from "../../src/chat/discord/rest.ts";
import { toDiscord } from "../../src/chat/discord/serialize.ts";
import {
	checkDiscordSignature,
	discordPublicKey,
} from "../../src/chat/discord/verify.ts";
import { PNG } from "./chat-fixtures.ts";

const { publicKey, privateKey } = generateKeyPairSync("ed25519");
/** The raw 32-byte key as hex, the way the Developer Portal shows it. */
const HEX = Buffer.from(
	publicKey.export({ format: "jwk" }).x as string,
	"base64url",
).toString("hex");
const key = discordPublicKey(HEX);
const NOW = new Date("2026-03-10T09:14:00Z");
const TS = String(NOW.getTime() / 1000);
const BODY = Buffer.from('{"type":1}');
const signed = (ts: string, body: Buffer) =>
	sign(null, Buffer.concat([Buffer.from(ts), body]), privateKey).toString(
		"hex",
	);

describe("Discord request signatures", () => {
	it("accepts Ed25519 over timestamp + body made with the application's key", () => {
		expect(
			checkDiscordSignature(
				key,
				{ signature: signed(TS, BODY), timestamp: TS },
				BODY,
				NOW,
			),
		).toBeNull();
	});

	it("refuses another key, a changed body, a stale or future timestamp and missing headers", () => {
		const other = generateKeyPairSync("ed25519").privateKey;
		const forged = sign(
			null,
			Buffer.concat([Buffer.from(TS), BODY]),
			other,
		).toString("hex");
		const check = (
			h: { signature?: string; timestamp?: string },
			body = BODY,
		) => checkDiscordSignature(key, h, body, NOW);
		expect(check({ signature: forged, timestamp: TS })).toBe("bad signature");
		expect(
			check(
				{ signature: signed(TS, BODY), timestamp: TS },
				Buffer.from('{"type":2}'),
			),
		).toBe("bad signature");
		const old = String(Number(TS) - 301);
		expect(check({ signature: signed(old, BODY), timestamp: old })).toBe(
			"stale timestamp",
		);
		const ahead = String(Number(TS) + 301);
		expect(check({ signature: signed(ahead, BODY), timestamp: ahead })).toBe(
			"stale timestamp",
		);
		expect(check({ timestamp: TS })).toBe("missing headers");
		expect(check({ signature: "zz", timestamp: TS })).toBe(
			"malformed signature",
		);
	});

	it("says where to find the public key when it is not 64 hex characters", () => {
		expect(() => discordPublicKey("not-a-key")).toThrow(
			/DISCORD_PUBLIC_KEY must be 64 hex characters.*General Information/,
		);
	});
});

describe("a message as a Discord REST request", () => {
	it("is JSON with mentions off when there is nothing to upload", () => {
		expect(messageRequest(toDiscord({ title: "Delivery status" }))).toEqual({
			body: {
				embeds: [{ title: "Delivery status" }],
				components: [],
				allowed_mentions: { parse: [] },
			},
		});
	});

	it("is multipart with the chart as files[0] and its alt text in attachments", () => {
		const request = messageRequest(
			toDiscord({
				title: "Revenue",
				chart: { filename: "revenue.png", alt: "Revenue rose 4%", png: PNG },
			}),
			{ nonce: "abc", enforce_nonce: true },
		);
		expect(request).toEqual({
			body: {
				embeds: [
					{ title: "Revenue", image: { url: "attachment://revenue.png" } },
				],
				components: [],
				allowed_mentions: { parse: [] },
				nonce: "abc",
				enforce_nonce: true,
				attachments: [
					{ id: 0, filename: "revenue.png", description: "Revenue rose 4%" },
				],
			},
			files: [
				{
					key: "files[0]",
					name: "revenue.png",
					data: PNG,
					contentType: "image/png",
				},
			],
		});
	});

	it("derives a 25-character nonce from the delivery key, the same on every retry", () => {
		const a = deliveryNonce("pulse:alert:0f8fad5b:discord:1300000000000000001");
		expect(a).toMatch(/^[0-9a-f]{25}$/);
		expect(
			deliveryNonce("pulse:alert:0f8fad5b:discord:1300000000000000001"),
		).toBe(a);
		expect(deliveryNonce("another key")).not.toBe(a);
	});
});

describe("editing in place keeps the chart", () => {
	const cdn =
		"https://cdn.discordapp.com/attachments/1300000000000000001/1300000000000000002/margin.png?ex=1&is=2&hm=3";

	it("points the embed at the uploaded file by name", () => {
		expect(attachmentName(cdn)).toBe("margin.png");
		expect(keepImage({ title: "Margin" }, cdn)).toEqual({
			title: "Margin",
			chart: {
				filename: "margin.png",
				alt: "chart",
				url: "attachment://margin.png",
			},
		});
		expect(toDiscord(keepImage({ title: "Margin" }, cdn))).toEqual({
			embeds: [{ title: "Margin", image: { url: "attachment://margin.png" } }],
			components: [],
		});
	});

	it("keeps a hosted image by URL and leaves a message with its own chart alone", () => {
		const hosted = "https://charts.example.com/m.png";
		expect(keepImage({ title: "M" }, hosted).chart?.url).toBe(hosted);
		const own = {
			title: "M",
			chart: { filename: "x.png", alt: "x", png: PNG },
		};
		expect(keepImage(own, cdn)).toBe(own);
		expect(keepImage({ title: "M" }, undefined)).toEqual({ title: "M" });
	});
});

describe("Discord errors as ChatSendError", () => {
	it("turns a long rate limit into a retry after Discord's wait", () => {
		const err = discordError(
			new RateLimitError({
				timeToReset: 30_000,
				limit: 5,
				method: "POST",
				hash: "h",
				url: "u",
				route: "/channels/:id/messages",
				majorParameter: "1",
				global: false,
				retryAfter: 30_050,
				sublimitTimeout: 0,
				scope: "user",
			}),
			"create message",
		);
		expect(err).toBeInstanceOf(ChatSendError);
		expect(err).toMatchObject({
			code: "rate_limited",
			retryable: true,
			retryAfterSeconds: 31,
		});
	});

	it("treats a missing channel or permission as permanent and a server error as retryable", () => {
		const api = (status: number, code: number) =>
			new DiscordAPIError(
				{ code, message: "Missing Access" },
				code,
				status,
				"POST",
				"/channels/1/messages",
				{ body: undefined, files: undefined },
			);
		expect(discordError(api(403, 50001), "create message")).toMatchObject({
			code: "discord_50001",
			retryable: false,
		});
		expect(discordError(api(502, 0), "create message").retryable).toBe(true);
		expect(discordError(new Error("ECONNRESET"), "x")).toMatchObject({
			code: "request_failed",
			retryable: true,
		});
	});
});
