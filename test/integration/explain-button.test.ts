import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandHandler } from "../../commands/dispatch.ts";
import { commands } from "../../commands/index.ts";
import { commandServices } from "../../commands/services.ts";
import type { ChannelSet } from "../../src/chat/channel.ts";
import {
	createDiscordApp,
	type DiscordApp,
} from "../../src/chat/discord/app.ts";
import { drainOutbox } from "../../src/chat/outbox.ts";
import { createRenderer } from "../../src/chat/payload.ts";
import { explainMessage } from "../../src/chat/runtime.ts";
import { createSlackChannel } from "../../src/chat/slack/channel.ts";
import { slackClientOptions } from "../../src/chat/slack/client.ts";
import { parseConfig } from "../../src/config/load.ts";
import type { DemoSummary } from "../../src/demo/generate.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { createMetrics } from "../../src/http/metrics.ts";
import { type HttpServer, startHttpServer } from "../../src/http/server.ts";
import type { MetricCatalog } from "../../src/metrics/catalog.ts";
import { pulseTemplatesDir } from "../../src/paths.ts";
import { createPgAlertActions } from "../../src/pulse/engine/chat-actions.ts";
import { requestExplanation } from "../../src/pulse/engine/feedback.ts";
import { runMonitor } from "../../src/pulse/engine/run.ts";
import {
	addFromTemplate,
	loadTemplates,
	syncTemplates,
} from "../../src/pulse/engine/templates.ts";
import {
	APP_ID,
	CHANNEL_ID,
	componentClick,
	discordSignature,
	postedAlert,
	testKeys,
} from "../helpers/discord.ts";
import {
	type DiscordStandIn,
	startDiscordStandIn,
} from "../helpers/discord-standin.ts";
import { memoryLogger } from "../helpers/log.ts";
import { type PulseTestEnv, pulseTestEnv } from "../helpers/pulse.ts";
import {
	blockActionsBody,
	FORM,
	TEST_CHANNEL as SLACK_CHANNEL,
	type SlackBot,
	startSlackBot,
} from "../helpers/slack-bot.ts";
import { loadDemoWarehouse } from "../helpers/warehouse.ts";

const TOKEN = "discord-test-bot-token-0123456789";

/**
 * The Explain button on the demo tour's Margin anomaly alert (a template monitor whose chart
 * metric is margin % in the region the alert names), through each platform's real SDK and
 * request format against the loopback stand-ins: the click queues the breakdown once, and the
 * deliver step posts it in the alert's thread with its chart — the same answer as typing
 * `explain margin_pct 2026-10 in region=West`.
 */
describe("the Explain button on the Margin anomaly alert", () => {
	const memory = memoryLogger([TOKEN]);
	const { log } = memory;
	const config = parseConfig("demo: {enabled: false}\n", "t.yaml", {}).config;
	const keys = testKeys();
	let dir: string;
	let env: PulseTestEnv;
	let demo: DemoSummary;
	let slack: SlackBot;
	let discord: DiscordStandIn;
	let app: DiscordApp;
	let http: HttpServer;
	let channels: ChannelSet;
	let alertId: string;
	let west: string;

	const actions = () =>
		createPgAlertActions(
			env.deps,
			undefined,
			explainMessage(
				commandHandler(
					commands,
					commandServices({ pool: env.deps.pool, config, log }),
				),
				log,
			),
		);
	const drain = () =>
		drainOutbox({
			pool: env.deps.pool,
			channels,
			render: createRenderer(actions()),
			log,
			maxAttempts: 3,
		});

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-explain-button-"));
		const file = path.join(dir, "erp.sqlite");
		demo = await generateDemoErp({ file, seed: 42, lines: 40_000 });
		west = demo.events.find((e) => e.type === "margin_drop")
			?.entityIds[0] as string;
		env = await pulseTestEnv("explain_button");
		await loadDemoWarehouse(env.deps.pool, file, { log });
		const templates = loadTemplates(pulseTemplatesDir, env.deps.catalog);
		await syncTemplates(env.deps, templates);
		const monitor = await addFromTemplate(
			env.deps,
			templates,
			"margin-drop-by-region",
			{},
			{ channels: [`slack:${SLACK_CHANNEL}`, `discord:${CHANNEL_ID}`] },
		);
		const run = await runMonitor(env.deps, monitor.row.id, {
			now: new Date("2026-11-01T06:00:00Z"),
		});
		alertId = run.alertId as string;
		slack = await startSlackBot({
			pool: env.deps.pool,
			commands,
			context: { pool: env.deps.pool, config },
			log,
		});
		discord = await startDiscordStandIn(APP_ID);
		app = createDiscordApp(
			{
				botToken: TOKEN,
				applicationId: APP_ID,
				publicKey: keys.publicKeyHex,
				gateway: false,
				apiUrl: discord.apiUrl,
			},
			"/discord/interactions",
			{
				commands: commandHandler(
					commands,
					commandServices({ pool: env.deps.pool, config, log }),
				),
				alerts: createPgAlertActions(env.deps),
				catalog: env.deps.catalog as MetricCatalog,
				log,
			},
		);
		const route = app.route;
		if (!route) throw new Error("expected the Discord HTTP endpoint");
		http = await startHttpServer({
			host: "127.0.0.1",
			port: 0,
			log,
			metrics: createMetrics(),
			health: async () => ({ ok: true }),
			routes: { "POST /discord/interactions": route },
		});
		channels = {
			slack: createSlackChannel(
				new WebClient(
					"xoxb-test-token",
					slackClientOptions(log, slack.slack.apiUrl),
				),
			),
			discord: app.channel,
		};
	}, 300_000);

	afterAll(async () => {
		await app?.stop();
		await http?.close();
		await discord?.close();
		await slack?.close();
		await env?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it("opens with the drivers within the region and an Explain button, in Slack and in Discord", async () => {
		const { rows } = await env.deps.pool.query<{
			drivers: string;
			explain: unknown;
		}>(
			"select data ->> 'drivers' as drivers, data -> 'explain' as explain from pulse_alerts where id = $1",
			[alertId],
		);
		expect(rows[0]?.explain).toEqual({
			metric: "margin_pct",
			grain: "month",
			period: "2026-10-01",
			within: { dimension: "region", value: west },
		});
		expect(rows[0]?.drivers).toMatch(
			new RegExp(
				`^within region ${west}, by \\w+, (mostly|led by) .+: −[\\d.]+ points of −[\\d.]+ points \\(rate [+−][\\d.]+ points, mix [+−][\\d.]+ points\\)`,
			),
		);
		await drain();
		expect(await rootOf("slack")).toBeTruthy();
		expect(await rootOf("discord")).toBeTruthy();
		const post = slack.slack.callsOf("chat.postMessage").at(-1);
		const blocks = JSON.stringify(post?.args);
		expect(blocks).toContain(`pulse:v1:explain:${alertId}`);
		expect(blocks).toContain("Why");
		const created = discord
			.callsOf("POST /channels/:id/messages")
			.find((c) => c.path.includes(`/channels/${CHANNEL_ID}/`));
		expect(JSON.stringify(created?.body)).toContain(
			`pulse:v1:explain:${alertId}`,
		);
	});

	it("posts the breakdown in the alert's Slack thread once, however often Explain is clicked", async () => {
		const rootTs = await rootOf("slack");
		const first = await slack.send(slackClick(rootTs, 1), FORM);
		expect(first.status).toBe(200);
		const second = await slack.send(slackClick(rootTs, 2), FORM);
		expect(second.status).toBe(200);
		// The second click is told the breakdown is there; the first gets no note (it just posts).
		await expect
			.poll(() =>
				slack.slack
					.callsOf("respond")
					.map((c) => String(c.args.text ?? ""))
					.filter((t) => t.includes("already in the thread")),
			)
			.toHaveLength(1);
		await drain();
		const replies = slack.slack
			.callsOf("chat.postMessage")
			.filter((c) => c.args.thread_ts === rootTs);
		const breakdown = replies.filter((c) =>
			JSON.stringify(c.args).includes(
				`Margin % in region ${west} fell in Oct 2026 vs Sep 2026`,
			),
		);
		expect(breakdown).toHaveLength(1);
		// Its chart went up with files v2 and shows in the reply as a slack_file image block.
		expect(JSON.stringify(breakdown[0]?.args)).toMatch(
			/"type":"image"[^}]*"slack_file":\{"id":"F/,
		);
		// Clicked again after delivery: still one breakdown.
		await slack.send(slackClick(rootTs, 3), FORM);
		await drain();
		expect(
			slack.slack
				.callsOf("chat.postMessage")
				.filter(
					(c) =>
						c.args.thread_ts === rootTs &&
						JSON.stringify(c.args).includes("Margin % in region"),
				),
		).toHaveLength(1);
	});

	it("posts the breakdown in the alert's Discord thread, from a signed component click", async () => {
		const rootId = await rootOf("discord");
		const click = componentClick(
			`pulse:v1:explain:${alertId}`,
			postedAlert(rootId, alertId, discord.url),
		);
		const body = JSON.stringify(click);
		const ts = String(Math.floor(Date.now() / 1000));
		const res = await fetch(
			`http://127.0.0.1:${http.port}/discord/interactions`,
			{
				method: "POST",
				headers: {
					"content-type": "application/json",
					"x-signature-ed25519": discordSignature(keys.privateKey, ts, body),
					"x-signature-timestamp": ts,
				},
				body,
			},
		);
		expect(res.status).toBe(200);
		await app.idle();
		await drain();
		// A thread started from the alert message has that message's id.
		const inThread = discord
			.callsOf("POST /channels/:id/messages")
			.filter((c) => c.path.includes(`/channels/${rootId}/`));
		const breakdown = inThread.filter((c) =>
			JSON.stringify(c.body).includes(
				`Margin % in region ${west} fell in Oct 2026 vs Sep 2026`,
			),
		);
		expect(breakdown).toHaveLength(1);
		expect(breakdown[0]?.files?.length).toBe(1);
	});

	/** The alert's top-level message in a platform's channel (Slack ts, Discord message id). */
	async function rootOf(kind: "slack" | "discord"): Promise<string> {
		const { rows } = await env.deps.pool.query<{ id: string }>(
			"select external_id as id from deliveries where alert_id = $1 and kind = 'alert' and channel_kind = $2 and external_id is not null",
			[alertId, kind],
		);
		return rows[0]?.id as string;
	}

	/** A click on Explain on the alert message `ts`, as Slack sends it. */
	const slackClick = (ts: string, n: number) =>
		blockActionsBody({
			actionId: `pulse:v1:explain:${alertId}`,
			n,
			ts,
			responseUrl: `${slack.slack.url}/respond/explain-${n}`,
			label: "Explain",
		});

	it("tells exactly one of two clicks at the same moment that the breakdown is on its way", async () => {
		// Two clicks (or a click and a platform retry) that arrive together: the breakdown is queued
		// in both channels once, and the other click hears that it is already there. Repeated, since
		// the clicks' statements interleave differently from one try to the next.
		for (let i = 0; i < 25; i++) {
			await env.deps.pool.query(
				"delete from deliveries where idempotency_key like $1",
				[`pulse:alert:${alertId}:explain:%`],
			);
			const outcomes = await Promise.all([
				requestExplanation(env.deps, alertId, "ana"),
				requestExplanation(env.deps, alertId, "ben"),
			]);
			expect(outcomes.map((o) => o.changed).sort(), `try ${i + 1}`).toEqual([
				false,
				true,
			]);
			const { rows } = await env.deps.pool.query<{ n: number }>(
				"select count(*)::int as n from deliveries where idempotency_key like $1",
				[`pulse:alert:${alertId}:explain:%`],
			);
			expect(rows[0]?.n).toBe(2);
		}
	});
});
