import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChannelSet } from "../../src/chat/channel.ts";
import { deliveryHealth } from "../../src/chat/health.ts";
import { createLocalChannel } from "../../src/chat/local/channel.ts";
import {
	drainOutbox,
	enqueueMessage,
	type OutboxDeps,
	SENDING_LEASE_SECONDS,
} from "../../src/chat/outbox.ts";
import { createRenderer, encodeMessage } from "../../src/chat/payload.ts";
import { createSlackChannel } from "../../src/chat/slack/channel.ts";
import { slackClientOptions } from "../../src/chat/slack/client.ts";
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
import { memoryLogger } from "../helpers/log.ts";
import {
	type SlackStandIn,
	startSlackStandIn,
} from "../helpers/slack-standin.ts";

describe("delivery outbox (real WebClient against a Slack stand-in)", () => {
	let db: TestDatabase;
	let pool: Pool;
	let slack: SlackStandIn;
	let channels: ChannelSet;
	let dir: string;
	const memory = memoryLogger();
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
	const message = (title: string) => ({
		source: "message",
		message: encodeMessage({ title, text: "Revenue is *up*." }),
	});
	const row = (id: string | null) => deliveryRow(pool, id);

	beforeAll(async () => {
		db = await createTestDatabase("outbox");
		pool = createPool(db.url, memory.log, { max: 4 });
		await migrate(pool, migrationsDir, memory.log);
		slack = await startSlackStandIn();
		dir = await mkdtemp(path.join(tmpdir(), "erp-pulse-outbox-"));
		const client = new WebClient(
			"xoxb-test",
			slackClientOptions(memory.log, slack.apiUrl),
		);
		channels = {
			slack: createSlackChannel(client),
			local: createLocalChannel(dir, memory.log, () => clock),
		};
	});
	beforeEach(async () => {
		await pool.query("delete from deliveries");
		slack.calls.length = 0;
	});
	afterAll(async () => {
		await slack?.close();
		await pool?.end();
		await db?.drop();
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	it("posts a message tagged with its delivery key and records it", async () => {
		const id = await enqueue({
			key: "reply:1",
			kind: "reply",
			to: { kind: "slack", id: "C0SALES1" },
			payload: message("Weekly revenue"),
		});
		expect(await drainOutbox(deps())).toEqual(
			new Map([[id as string, "sent"]]),
		);
		const post = slack.callsOf("chat.postMessage")[0];
		expect(post?.args.metadata).toEqual({
			event_type: "erp_pulse_delivery",
			event_payload: { delivery: "reply:1" },
		});
		const ts = (await row(id))?.external_id;
		expect(ts).toMatch(/^\d{10}\.\d{6}$/);
		const cm = await pool.query(
			"select platform, channel_id, message_id from chat_messages where delivery_id = $1",
			[id],
		);
		expect(cm.rows).toEqual([
			{ platform: "slack", channel_id: "C0SALES1", message_id: ts },
		]);
	});

	it("waits out a 429's Retry-After, then delivers, without freezing other channels", async () => {
		slack.rateLimit("chat.postMessage", 30);
		const a = await enqueue({
			key: "rl:a",
			kind: "reply",
			to: { kind: "slack", id: "C0BUSY01" },
			payload: message("First"),
		});
		const b = await enqueue({
			key: "rl:b",
			kind: "reply",
			to: { kind: "slack", id: "C0BUSY01" },
			payload: message("Second, same channel"),
		});
		const c = await enqueue({
			key: "rl:c",
			kind: "reply",
			to: { kind: "slack", id: "C0CALM01" },
			payload: message("Other channel"),
		});
		const t0 = clock.getTime();
		const first = await drainOutbox(deps());
		expect(first.get(a as string)).toBe("retry");
		expect(first.get(c as string)).toBe("sent");
		expect(first.has(b as string)).toBe(false);
		const ra = await row(a);
		expect(ra).toMatchObject({ status: "failed", attempts: 0 });
		expect(ra?.next_attempt_at.getTime()).toBe(t0 + 30_000);
		later(10);
		expect((await drainOutbox(deps())).size).toBe(0);
		later(21);
		const third = await drainOutbox(deps());
		expect([...third]).toEqual([
			[a as string, "sent"],
			[b as string, "sent"],
		]);
		const titles = slack
			.callsOf("chat.postMessage")
			.filter((p) => !p.refused)
			.map((p) => p.args.text);
		expect(titles.filter((t) => String(t).includes("First"))).toHaveLength(1);
	});

	it("finds the earlier post after a crash even when more than 200 messages came after it in a busy channel", async () => {
		const id = await enqueue({
			key: "crash:busy",
			kind: "reply",
			to: { kind: "slack", id: "C0BUSY01" },
			payload: message("Posted before the crash"),
		});
		let postedTs = "";
		const crash = deps({
			afterPost: (_id, posted) => {
				postedTs = posted.messageId;
				// The channel gets busy between our post and the retry: 450 newer messages.
				slack.addMessages("C0BUSY01", 450);
				throw new Error("simulated crash after chat.postMessage");
			},
		});
		await expect(drainOutbox(crash)).rejects.toThrow("simulated crash");
		later(SENDING_LEASE_SECONDS + 1);
		expect(await drainOutbox(deps())).toEqual(
			new Map([[id as string, "recovered"]]),
		);
		expect(slack.callsOf("chat.postMessage")).toHaveLength(1);
		// Three pages of 200 were read, each bounded by the delivery's creation time.
		const pages = slack.callsOf("conversations.history");
		expect(pages).toHaveLength(3);
		expect(pages.map((p) => p.args.cursor)).toEqual([undefined, "200", "400"]);
		for (const p of pages)
			expect(Number(p.args.oldest)).toBeCloseTo(
				(clock.getTime() - SENDING_LEASE_SECONDS * 1000 - 1000 - 60_000) / 1000,
				0,
			);
		expect((await row(id))?.external_id).toBe(postedTs);
	});

	it("does not post twice after a crash between posting and recording", async () => {
		const id = await enqueue({
			key: "crash:1",
			kind: "reply",
			to: { kind: "slack", id: "C0CRASH1" },
			payload: message("Once only"),
		});
		const crash = deps({
			afterPost: () => {
				throw new Error("simulated crash after chat.postMessage");
			},
		});
		await expect(drainOutbox(crash)).rejects.toThrow("simulated crash");
		expect(await row(id)).toMatchObject({
			status: "sending",
			attempts: 1,
			external_id: null,
		});
		expect(slack.callsOf("chat.postMessage")).toHaveLength(1);
		later(10);
		expect((await drainOutbox(deps())).size).toBe(0);
		later(SENDING_LEASE_SECONDS);
		expect(await drainOutbox(deps())).toEqual(
			new Map([[id as string, "recovered"]]),
		);
		expect(slack.callsOf("chat.postMessage")).toHaveLength(1);
		const history = slack.callsOf("conversations.history")[0];
		expect(history?.args).toMatchObject({
			channel: "C0CRASH1",
			include_all_metadata: "true",
		});
		const posted = slack.callsOf("chat.postMessage")[0];
		const r = await row(id);
		expect(r).toMatchObject({ status: "sent", attempts: 2 });
		const cm = await pool.query(
			"select message_id from chat_messages where delivery_id = $1",
			[id],
		);
		expect(cm.rows).toEqual([{ message_id: r?.external_id }]);
		expect(posted).toBeDefined();
	});

	it("replies in the alert's thread and edits the alert message in place", async () => {
		const { alertId } = await insertAlert(pool, "Inventory value");
		const to = { kind: "slack" as const, id: "C0ALERT9" };
		const pulse = (event: string, text: string) =>
			inventoryAlertEvent(alertId, event, text);
		const root = await enqueue({
			key: `a:${alertId}`,
			kind: "alert",
			to,
			alertId,
			payload: pulse("alert_opened", "Opened"),
		});
		const reply = await enqueue({
			key: `r:${alertId}`,
			kind: "thread_reply",
			to,
			alertId,
			payload: pulse("alert_refired", "Fired again: 2.4M"),
		});
		const edit = await acknowledgeElsewhere(pool, to, alertId, clock);
		const out = await drainOutbox(deps());
		expect([...out.values()]).toEqual(["sent", "sent", "sent"]);
		const rootTs = (await row(root))?.external_id;
		const posts = slack.callsOf("chat.postMessage");
		expect(posts).toHaveLength(2);
		expect(posts[1]?.args.thread_ts).toBe(rootTs);
		const update = slack.callsOf("chat.update")[0];
		expect(update?.args).toMatchObject({ channel: "C0ALERT9", ts: rootTs });
		expect(JSON.stringify(update?.args.attachments)).toContain(
			"Acknowledged by bo",
		);
		expect((await row(edit))?.external_id).toBe(rootTs);
		const threaded = await pool.query(
			"select thread_id from chat_messages where delivery_id = $1",
			[reply],
		);
		expect(threaded.rows).toEqual([{ thread_id: rootTs }]);
	});

	it("marks a delivery dead when Slack rejects it for good, and pulse status shows it", async () => {
		slack.failNext("chat.postMessage", "channel_not_found");
		const id = await enqueue({
			key: "dead:1",
			kind: "reply",
			to: { kind: "slack", id: "C0GONE01" },
			payload: message("Nowhere"),
		});
		expect(await drainOutbox(deps())).toEqual(
			new Map([[id as string, "dead"]]),
		);
		expect(await row(id)).toMatchObject({
			status: "dead",
			last_error:
				"channel_not_found: chat.postMessage answered channel_not_found",
		});
		const health = await deliveryHealth(pool, clock);
		expect(health).toMatchObject({ dead: 1, pending: 0 });
		expect(health.lastErrors[0]).toMatchObject({
			id,
			status: "dead",
			channel: "slack:C0GONE01",
		});
	});

	it("gives up after the configured number of failed attempts", async () => {
		slack.failNext("chat.postMessage", "internal_error");
		const id = await enqueue({
			key: "flaky:1",
			kind: "reply",
			to: { kind: "slack", id: "C0FLAKY1" },
			payload: message("Flaky"),
		});
		expect((await drainOutbox(deps())).get(id as string)).toBe("retry");
		expect(await row(id)).toMatchObject({ status: "failed", attempts: 1 });
		slack.failNext("chat.postMessage", "internal_error");
		later(15);
		expect((await drainOutbox(deps())).get(id as string)).toBe("retry");
		slack.failNext("chat.postMessage", "internal_error");
		later(30);
		expect((await drainOutbox(deps())).get(id as string)).toBe("dead");
		expect(await row(id)).toMatchObject({ status: "dead", attempts: 3 });
	});

	it("writes local deliveries as Markdown with the chart PNG beside it", async () => {
		const chart = {
			filename: "margin.png",
			alt: "Margin by week",
			png: PNG_1X1,
		};
		const id = await enqueue({
			key: "local:1",
			kind: "digest",
			to: { kind: "local", id: "pulse" },
			payload: {
				source: "message",
				message: encodeMessage({
					title: "Weekly digest",
					text: "Margin *held*.",
					chart,
				}),
			},
		});
		expect(await drainOutbox(deps())).toEqual(
			new Map([[id as string, "sent"]]),
		);
		const messageId = (await row(id))?.external_id as string;
		expect(messageId).toMatch(/^20261123-09\d{4}-[0-9a-f]{6}$/);
		const files = (await readdir(dir))
			.filter((f) => f.startsWith(messageId))
			.sort();
		expect(files).toEqual([`${messageId}.md`, `${messageId}.png`]);
		const md = await readFile(path.join(dir, `${messageId}.md`), "utf8");
		expect(md).toContain("# Weekly digest");
		expect(md).toContain(`![Margin by week](${messageId}.png)`);
		expect(await readFile(path.join(dir, `${messageId}.png`))).toEqual(
			Buffer.from(PNG_1X1),
		);
	});
});
