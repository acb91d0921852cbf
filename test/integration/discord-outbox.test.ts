import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChannelSet } from "../../src/chat/channel.ts";
import {
	createDiscordChannel,
	deliveryNonce,
} from "../../src/chat/discord/channel.ts";
import { createDiscordRest } from "../../src/chat/discord/rest.ts";
import {
	drainOutbox,
	enqueueMessage,
	type OutboxDeps,
	SENDING_LEASE_SECONDS,
} from "../../src/chat/outbox.ts";
import { createRenderer, encodeMessage } from "../../src/chat/payload.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { migrationsDir } from "../../src/paths.ts";
import { createPgAlertActions } from "../../src/pulse/engine/chat-actions.ts";
import {
	acknowledgeElsewhere,
	deliveryRow,
	insertAlert,
	inventoryAlertEvent,
	PNG_1X1,
	pulseDepsFor,
} from "../helpers/chat.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { APP_ID } from "../helpers/discord.ts";
import {
	type DiscordStandIn,
	startDiscordStandIn,
} from "../helpers/discord-standin.ts";
import { memoryLogger } from "../helpers/log.ts";

const TOKEN = "discord-test-bot-token-0123456789";
const CREATE = "POST /channels/:id/messages";

describe("Discord deliveries through the outbox (real @discordjs/rest against a stand-in)", () => {
	let db: TestDatabase;
	let pool: Pool;
	let discord: DiscordStandIn;
	let channels: ChannelSet;
	const memory = memoryLogger([TOKEN]);
	let clock = new Date("2026-11-23T09:00:00Z");

	const deps = (extra: Partial<OutboxDeps> = {}): OutboxDeps => ({
		pool,
		channels,
		render: createRenderer(
			createPgAlertActions(pulseDepsFor(pool, memory.log)),
		),
		log: memory.log,
		maxAttempts: 3,
		now: () => clock,
		...extra,
	});
	// Every time the outbox compares comes from this clock, the rows' creation and due times too.
	const enqueue = (d: Omit<Parameters<typeof enqueueMessage>[1], "now">) =>
		enqueueMessage(pool, { ...d, now: clock });
	const later = (seconds: number) => {
		clock = new Date(clock.getTime() + seconds * 1000);
	};
	const ready = (title: string, chart = false) => ({
		source: "message",
		message: encodeMessage({
			title,
			text: "Revenue is *up*.",
			...(chart
				? {
						chart: {
							filename: "revenue.png",
							alt: "Revenue rose 4%",
							png: PNG_1X1,
						},
					}
				: {}),
		}),
	});
	const row = (id: string | null) => deliveryRow(pool, id);
	const created = (channelId: string) =>
		discord
			.callsOf(CREATE)
			.filter((c) => c.path.includes(`/channels/${channelId}/`));

	beforeAll(async () => {
		db = await createTestDatabase("discord_outbox");
		pool = createPool(db.url, memory.log, { max: 4 });
		await migrate(pool, migrationsDir, memory.log);
		discord = await startDiscordStandIn(APP_ID);
		const rest = createDiscordRest({
			botToken: TOKEN,
			apiUrl: discord.apiUrl,
			log: memory.log,
		});
		channels = { discord: createDiscordChannel(rest) };
	});
	beforeEach(async () => {
		await pool.query("delete from deliveries");
		discord.calls.length = 0;
	});
	afterAll(async () => {
		await discord?.close();
		await pool?.end();
		await db?.drop();
	});

	it("posts a discord:<channel> delivery with its chart as a multipart upload and records it", async () => {
		const channelId = "1300000000000000101";
		const id = await enqueue({
			key: "reply:d1",
			kind: "reply",
			to: { kind: "discord", id: channelId },
			payload: ready("Weekly revenue", true),
		});
		expect(await drainOutbox(deps())).toEqual(
			new Map([[id as string, "sent"]]),
		);
		const [post] = created(channelId);
		expect(post?.authorization).toBe(`Bot ${TOKEN}`);
		expect(post?.multipart).toBe(true);
		expect(post?.body).toMatchObject({
			nonce: deliveryNonce("reply:d1"),
			enforce_nonce: true,
			allowed_mentions: { parse: [] },
			attachments: [
				{ id: 0, filename: "revenue.png", description: "Revenue rose 4%" },
			],
			embeds: [
				{
					title: "Weekly revenue",
					description: "Revenue is **up**.",
					image: { url: "attachment://revenue.png" },
				},
			],
		});
		expect(post?.files.map((f) => [f.field, f.name, f.type])).toEqual([
			["files[0]", "revenue.png", "image/png"],
		]);
		expect(post?.files[0]?.data.equals(Buffer.from(PNG_1X1))).toBe(true);
		const messageId = (await row(id))?.external_id;
		expect(discord.messages.get(messageId)?.channel_id).toBe(channelId);
		const cm = await pool.query(
			"select platform, channel_id, message_id from chat_messages where delivery_id = $1",
			[id],
		);
		expect(cm.rows).toEqual([
			{ platform: "discord", channel_id: channelId, message_id: messageId },
		]);
	});

	it("retries a short 429 after Retry-After and delivers it in the same attempt", async () => {
		const channelId = "1300000000000000102";
		discord.rateLimit(CREATE, 1);
		const id = await enqueue({
			key: "rl:short",
			kind: "reply",
			to: { kind: "discord", id: channelId },
			payload: ready("After a short wait"),
		});
		const started = Date.now();
		expect(await drainOutbox(deps())).toEqual(
			new Map([[id as string, "sent"]]),
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(created(channelId).map((c) => c.refused ?? false)).toEqual([
			true,
			false,
		]);
		expect(await row(id)).toMatchObject({ status: "sent", attempts: 1 });
	});

	it("hands a long 429 back to the outbox, which waits exactly Retry-After, then delivers once", async () => {
		const channelId = "1300000000000000103";
		discord.rateLimit(CREATE, 30);
		const id = await enqueue({
			key: "rl:long",
			kind: "reply",
			to: { kind: "discord", id: channelId },
			payload: ready("After a long wait"),
		});
		const t0 = clock.getTime();
		expect(await drainOutbox(deps())).toEqual(
			new Map([[id as string, "retry"]]),
		);
		const r = await row(id);
		expect(r).toMatchObject({ status: "failed", attempts: 0 });
		expect(r?.last_error).toContain("rate_limited");
		// Retry-After plus the library's 50 ms margin, rounded up to whole seconds.
		expect(r?.next_attempt_at.getTime()).toBe(t0 + 31_000);
		expect(created(channelId)).toHaveLength(1);
	});

	it("does not post twice after a crash between posting and recording", async () => {
		const channelId = "1300000000000000104";
		const id = await enqueue({
			key: "crash:d1",
			kind: "reply",
			to: { kind: "discord", id: channelId },
			payload: ready("Once only"),
		});
		const crash = deps({
			afterPost: () => {
				throw new Error("simulated crash after create message");
			},
		});
		await expect(drainOutbox(crash)).rejects.toThrow("simulated crash");
		expect(await row(id)).toMatchObject({ status: "sending", attempts: 1 });
		later(SENDING_LEASE_SECONDS + 1);
		expect(await drainOutbox(deps())).toEqual(
			new Map([[id as string, "sent"]]),
		);
		const posts = created(channelId);
		expect(posts).toHaveLength(2);
		expect(posts[1]?.body.nonce).toBe(posts[0]?.body.nonce);
		const inChannel = [...discord.messages.values()].filter(
			(m) => m.channel_id === channelId,
		);
		expect(inChannel).toHaveLength(1);
		expect((await row(id))?.external_id).toBe(inChannel[0]?.id);
	});

	it("replies in the alert's thread and edits the alert message in place, keeping its chart", async () => {
		const channelId = "1300000000000000105";
		const { alertId } = await insertAlert(pool, "Inventory value");
		const to = { kind: "discord" as const, id: channelId };
		const pulse = (event: string, text: string) =>
			inventoryAlertEvent(alertId, event, text);
		const root = await enqueue({
			key: `a:${alertId}`,
			kind: "alert",
			to,
			alertId,
			payload: ready("Inventory value above 2.1M", true),
		});
		const reply = await enqueue({
			key: `r:${alertId}`,
			kind: "thread_reply",
			to,
			alertId,
			payload: pulse("alert_refired", "Fired again: 2.4M"),
		});
		const second = await enqueue({
			key: `r2:${alertId}`,
			kind: "thread_reply",
			to,
			alertId,
			payload: pulse("alert_resolved", "Back to normal: 2.0M"),
		});
		const edit = await acknowledgeElsewhere(pool, to, alertId, clock);
		const out = await drainOutbox(deps());
		expect([...out.values()]).toEqual(["sent", "sent", "sent", "sent"]);
		const rootId = (await row(root))?.external_id as string;
		// The first reply starts the thread; the second finds it there (160004).
		const threads = discord.callsOf("POST /channels/:id/messages/:id/threads");
		expect(threads).toHaveLength(2);
		expect(threads[0]).toMatchObject({
			path: `/api/v10/channels/${channelId}/messages/${rootId}/threads`,
			body: { name: "Inventory value", auto_archive_duration: 10080 },
		});
		const inThread = discord
			.callsOf(CREATE)
			.filter((c) => c.path === `/api/v10/channels/${rootId}/messages`);
		expect(inThread).toHaveLength(2);
		const threaded = await pool.query(
			"select thread_id from chat_messages where delivery_id = any($1) order by created_at",
			[[reply, second]],
		);
		expect(threaded.rows).toEqual([
			{ thread_id: rootId },
			{ thread_id: rootId },
		]);
		const patch = discord.callsOf("PATCH /channels/:id/messages/:id")[0];
		expect(patch?.path).toBe(
			`/api/v10/channels/${channelId}/messages/${rootId}`,
		);
		expect(JSON.stringify(patch?.body.embeds)).toContain("Acknowledged by bo");
		expect(
			(patch?.body.embeds as { image?: unknown }[] | undefined)?.[0]?.image,
		).toEqual({ url: "attachment://revenue.png" });
		expect(patch?.body.attachments).toBeUndefined();
		expect(discord.messages.get(rootId)?.attachments).toHaveLength(1);
		expect((await row(edit))?.external_id).toBe(rootId);
	});

	it("marks a delivery dead when Discord refuses it for good", async () => {
		const id = await enqueue({
			key: "dead:d1",
			kind: "reply",
			to: { kind: "discord", id: "not-a-channel" },
			payload: ready("Nowhere"),
		});
		expect(await drainOutbox(deps())).toEqual(
			new Map([[id as string, "dead"]]),
		);
		expect((await row(id))?.last_error).toContain("discord_0");
	});
});
