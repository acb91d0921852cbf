import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import type { ChatAdapter } from "../../src/chat/adapter.ts";
import type { ChatChannel, PostTarget } from "../../src/chat/channel.ts";
import type { Invocation, Reply } from "../../src/chat/inbound.ts";
import type { ChatMessage } from "../../src/chat/message.ts";
import { drainOutbox, enqueueMessage } from "../../src/chat/outbox.ts";
import { encodeMessage } from "../../src/chat/payload.ts";
import { CHANNEL_KINDS, CHAT_ADAPTERS } from "../../src/chat/registry.ts";
import type { Chat } from "../../src/chat/runtime.ts";
import { parseConfig } from "../../src/config/load.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { migrationsDir } from "../../src/paths.ts";
import { botChat } from "../helpers/chat.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";

/**
 * README, "Adding a channel": a platform is one adapter (a folder under src/chat/ exporting a
 * ChatAdapter) and one line in src/chat/registry.ts. This one, "room", is registered only here:
 * the bot's outbox sends through it, and a command typed in it runs through the inbound port,
 * with no other file changed.
 */
describe("a chat platform added as one adapter", () => {
	const { log } = memoryLogger();
	let db: TestDatabase;
	let pool: Pool;
	let chat: Chat;
	let dir: string;
	const posted: { target: PostTarget; message: ChatMessage; key: string }[] =
		[];
	let typeIn: ((text: string) => Promise<Reply>) | undefined;
	let started = 0;

	/** What src/chat/room/adapter.ts would export: on when ROOM_TOKEN is set. */
	const roomAdapter: ChatAdapter = {
		kind: "room",
		async connect(ctx) {
			if (!ctx.env.ROOM_TOKEN) return null;
			const channel: ChatChannel = {
				kind: "room",
				post: async (target, message, key) => {
					posted.push({ target, message, key });
					return { messageId: `m${posted.length}` };
				},
				update: async () => {},
			};
			typeIn = (text) => {
				const who: Invocation = {
					user: { id: "ana", name: "Ana" },
					channel: { kind: "room", id: "lobby" },
					now: new Date(),
					log: ctx.log,
				};
				return ctx.commands.run(text, who);
			};
			return {
				channel,
				start: async () => {
					started++;
				},
			};
		},
	};

	beforeAll(async () => {
		db = await createTestDatabase("chat_adapter");
		pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-chat-adapter-"));
		const { config } = parseConfig(
			`demo: {enabled: false}\nchat: {outboxDir: "${dir}"}\n`,
			"t.yaml",
			{},
		);
		chat = await botChat({
			config,
			env: { ROOM_TOKEN: "t0ken" },
			pool,
			log,
			commands,
			adapters: [...CHAT_ADAPTERS, roomAdapter],
		});
	});

	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it("is turned on by its environment, beside the ones the registry has", async () => {
		// No Slack or Discord tokens here: only the room connects.
		expect(chat.platforms.map((p) => p.kind)).toEqual(["room"]);
		expect(Object.keys(chat.runtime.channels).sort()).toEqual([
			"local",
			"room",
		]);
		for (const p of chat.platforms) await p.start();
		expect(started).toBe(1);
	});

	it("receives what the outbox delivers to room:<id>, once", async () => {
		const id = await enqueueMessage(pool, {
			key: "room-hello",
			kind: "reply",
			to: { kind: "room", id: "lobby" },
			payload: {
				source: "message",
				message: encodeMessage({ title: "Hello, room", text: "It works." }),
			},
		});
		const outcomes = await drainOutbox({
			pool,
			channels: chat.runtime.channels,
			render: chat.runtime.render,
			log,
			maxAttempts: 3,
		});
		expect(outcomes.get(String(id))).toBe("sent");
		expect(posted).toHaveLength(1);
		expect(posted[0]?.target).toEqual({ channelId: "lobby" });
		expect(posted[0]?.message.title).toBe("Hello, room");
		const { rows } = await pool.query<{
			channel_kind: string;
			status: string;
			external_id: string;
		}>(
			"select channel_kind, status, external_id from deliveries where idempotency_key = $1",
			["room-hello"],
		);
		expect(rows).toEqual([
			{ channel_kind: "room", status: "sent", external_id: "m1" },
		]);
		expect((await drainOutbox({ ...depsOf(chat), pool, log })).size).toBe(0);
		expect(posted).toHaveLength(1);
	});

	it("runs a typed command through the same handler as Slack and Discord", async () => {
		const help = await typeIn?.("help");
		expect(help?.problem).toBeFalsy();
		expect(help?.message.title).toMatch(/command/i);
		const typo = await typeIn?.("corelate revenue customers");
		expect(typo?.problem).toBe(true);
		expect(typo?.message.text).toContain("Did you mean `correlate`?");
	});

	it("is only a destination once the registry lists it", () => {
		expect(CHANNEL_KINDS).toEqual(["local", "slack", "discord"]);
		expect(() =>
			parseConfig("digest: {channels: ['room:lobby']}\n", "t.yaml", {}),
		).toThrow(
			/digest.channels.0: "room" is not a chat platform erp-pulse has; expected one of local:, slack:, discord:/,
		);
		expect(
			parseConfig("digest: {channels: ['slack:C0123']}\n", "t.yaml", {}).config
				.digest.channels,
		).toEqual(["slack:C0123"]);
	});
});

function depsOf(chat: Chat) {
	return {
		channels: chat.runtime.channels,
		render: chat.runtime.render,
		maxAttempts: 3,
	};
}
