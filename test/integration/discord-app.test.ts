import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { GatewayDispatchEvents } from "discord-api-types/v10";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandHandler } from "../../commands/dispatch.ts";
import { commands } from "../../commands/index.ts";
import { commandServices } from "../../commands/services.ts";
import {
	createDiscordApp,
	type DiscordApp,
} from "../../src/chat/discord/app.ts";
import { runCli } from "../../src/cli.ts";
import { parseConfig } from "../../src/config/load.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { createMetrics } from "../../src/http/metrics.ts";
import { type HttpServer, startHttpServer } from "../../src/http/server.ts";
import { createMetricCatalog } from "../../src/metrics/index.ts";
import { migrationsDir } from "../../src/paths.ts";
import { createPgAlertActions } from "../../src/pulse/engine/chat-actions.ts";
import { insertAlert, pulseDepsFor } from "../helpers/chat.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import {
	APP_ID,
	autocomplete,
	componentClick,
	discordSignature,
	GUILD_ID,
	type Option,
	ping,
	postedAlert,
	slashCommand,
	testKeys,
} from "../helpers/discord.ts";
import {
	type Call,
	type DiscordStandIn,
	startDiscordStandIn,
} from "../helpers/discord-standin.ts";
import { memoryLogger } from "../helpers/log.ts";
import { pngHeaderSize } from "../helpers/png.ts";
import { loadDemoWarehouse } from "../helpers/warehouse.ts";

const TOKEN = "discord-test-bot-token-0123456789";
const PATH = "/discord/interactions";
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

const str = (name: string, value: string): Option => ({ name, type: 3, value });
const int = (name: string, value: number): Option => ({ name, type: 4, value });
const sub = (name: string, options: Option[] = []): Option => ({
	name,
	type: 1,
	options,
});

describe("Discord through the HTTP interactions endpoint and @discordjs/rest", () => {
	const keys = testKeys();
	const memory = memoryLogger([TOKEN]);
	const { log } = memory;
	const config = parseConfig("demo: {enabled: false}\n", "t.yaml", {}).config;
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;
	let discord: DiscordStandIn;
	let app: DiscordApp;
	let http: HttpServer;
	let endpoint: string;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "discordh-app-"));
		db = await createTestDatabase("discord_app");
		pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
		discord = await startDiscordStandIn(APP_ID);
		app = createDiscordApp(
			{
				botToken: TOKEN,
				applicationId: APP_ID,
				publicKey: keys.publicKeyHex,
				gateway: false,
				apiUrl: discord.apiUrl,
			},
			PATH,
			{
				commands: commandHandler(
					commands,
					commandServices({ pool, config, log }),
				),
				alerts: createPgAlertActions(pulseDepsFor(pool, log)),
				catalog: createMetricCatalog({ currency: config.currency }),
				log,
			},
		);
		const route = app.route;
		if (!route) throw new Error("expected the HTTP endpoint");
		http = await startHttpServer({
			host: "127.0.0.1",
			port: 0,
			log,
			metrics: createMetrics(),
			health: async () => ({ ok: true }),
			routes: { [`POST ${PATH}`]: route },
		});
		endpoint = `http://127.0.0.1:${http.port}${PATH}`;
	}, 60_000);

	afterAll(async () => {
		await app?.stop();
		await http?.close();
		await discord?.close();
		await pool?.end();
		await db?.drop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	/** POSTs an interaction signed the way Discord signs it, then waits for the work it started. */
	async function send(
		interaction: unknown,
		opts: { timestamp?: number; signature?: string } = {},
	): Promise<{ status: number; body: Record<string, unknown> }> {
		const body = JSON.stringify(interaction);
		const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
		const res = await fetch(endpoint, {
			method: "POST",
			headers: {
				"content-type": "application/json",
				"user-agent": "Discord-Interactions/1.0 (+https://discord.com)",
				"x-signature-ed25519":
					opts.signature ?? discordSignature(keys.privateKey, ts, body),
				"x-signature-timestamp": ts,
			},
			body,
		});
		const json = (await res.json()) as Record<string, unknown>;
		await app.idle();
		return { status: res.status, body: json };
	}

	/** The calls made on one interaction's webhook (its token is in the path). */
	const webhookCalls = (i: { token: string }) =>
		discord.calls.filter((c) => c.path.includes(`/${i.token}`));
	const edited = (i: { token: string }): Call => {
		const call = webhookCalls(i).find(
			(c) => c.route === "PATCH /webhooks/:id/:token/messages/@original",
		);
		if (!call) throw new Error("the reply never replaced the placeholder");
		return call;
	};
	const embed = (c: Call) =>
		(c.body.embeds as Record<string, unknown>[] | undefined)?.[0] ?? {};

	/** Runs a slash command; asserts it was deferred publicly and returns the reply's PATCH. */
	async function command(name: string, options: Option[] = []): Promise<Call> {
		const i = slashCommand(name, options);
		const res = await send(i);
		expect(res).toEqual({ status: 200, body: { type: 5 } });
		return edited(i);
	}

	it("answers PING with PONG", async () => {
		expect(await send(ping())).toEqual({ status: 200, body: { type: 1 } });
	});

	it("answers a forged, stale or unsigned request with 401 and does nothing", async () => {
		const { alertId } = await insertAlert(pool, "Forged");
		const before = discord.calls.length;
		const click = componentClick(
			`pulse:v1:ack:${alertId}`,
			postedAlert("1300000000000000123", alertId, discord.url),
		);
		const forger = testKeys();
		const now = Math.floor(Date.now() / 1000);
		const forged = await send(click, {
			signature: discordSignature(
				forger.privateKey,
				String(now),
				JSON.stringify(click),
			),
		});
		expect(forged.status).toBe(401);
		const old = now - 6 * 60;
		const stale = await send(click, {
			timestamp: old,
			signature: discordSignature(
				keys.privateKey,
				String(old),
				JSON.stringify(click),
			),
		});
		expect(stale.status).toBe(401);
		expect((await send(slashCommand("help"), { signature: "00" })).status).toBe(
			401,
		);
		expect(discord.calls.length).toBe(before);
		const row = await pool.query(
			"select acknowledged from pulse_alerts where id = $1",
			[alertId],
		);
		expect(row.rows[0]).toEqual({ acknowledged: false });
		expect(memory.text()).not.toContain(TOKEN);
	});

	it("defers help privately and fills in the command list", async () => {
		const i = slashCommand("help");
		const res = await send(i);
		expect(res.body).toEqual({ type: 5, data: { flags: 64 } });
		const reply = edited(i);
		expect(embed(reply).title).toBe("erp-pulse commands");
		expect(reply.authorization).toBeUndefined();
		expect(reply.body.allowed_mentions).toEqual({ parse: [] });
	});

	it("answers bad input at once, only to the person who typed it, and runs nothing", async () => {
		const before = discord.calls.length;
		const res = await send(slashCommand("digest", [str("as_of", "yesterday")]));
		expect(res.status).toBe(200);
		expect(res.body.type).toBe(4);
		const data = res.body.data as {
			flags: number;
			embeds: { title: string; description: string }[];
		};
		expect(data.flags).toBe(64);
		expect(data.embeds[0]?.title).toBe("digest: check the arguments");
		expect(data.embeds[0]?.description).toContain(
			"expected a date like 2026-10-31",
		);
		const typo = await send(
			slashCommand("erp-pulse", [str("text", "pulse status --errors lots")]),
		);
		expect(JSON.stringify(typo.body)).toContain(
			"expected a whole number from 0 to 20",
		);
		expect(discord.calls.length).toBe(before);
	});

	it("swaps the placeholder for a private follow-up when the answer is private", async () => {
		const i = slashCommand("segment");
		expect((await send(i)).body).toEqual({ type: 5 });
		const calls = webhookCalls(i);
		expect(calls.map((c) => c.route)).toEqual([
			"DELETE /webhooks/:id/:token/messages/@original",
			"POST /webhooks/:id/:token",
		]);
		expect(calls[1]?.body.flags).toBe(64);
		expect(embed(calls[1] as Call).description).toBe(
			"segments not computed yet — run erp-pulse compute",
		);
	});

	it("loads and computes the demo ERP", async () => {
		const erp = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file: erp, seed: 5, lines: 5_000 });
		const r = await loadDemoWarehouse(pool, erp, { log, stox: config.stox });
		expect(r.status).toBe("succeeded");
	}, 240_000);

	it("answers correlate with the verdict and uploads the chart with the reply", async () => {
		const reply = await command("correlate", [
			str("a", "revenue"),
			str("b", "active_customers"),
		]);
		expect(reply.multipart).toBe(true);
		const e = embed(reply);
		expect(String(e.title)).toMatch(
			/^revenue \(USD\) vs active customers \(customers\): \d+ months/,
		);
		// The verdict as prose first, then the statistics in a code block.
		expect(String(e.description)).toMatch(
			/^Verdict: [\s\S]*\n```\nPearson r {2,}/,
		);
		const [file] = reply.files;
		expect(file?.field).toBe("files[0]");
		expect(file?.data.subarray(0, 4)).toEqual(PNG_MAGIC);
		expect(pngHeaderSize(file?.data as Buffer)).toEqual({
			width: 960,
			height: 560,
		});
		expect(e.image).toEqual({ url: `attachment://${file?.name}` });
		expect(reply.body.attachments).toEqual([
			{
				id: 0,
				filename: file?.name,
				description: expect.stringMatching(
					/^Dual-axis line chart: Revenue and active customers\./,
				),
			},
		]);
	});

	it("answers metric by region with its chart", async () => {
		const reply = await command("metric", [
			sub("show", [
				str("name", "revenue"),
				str("by", "region"),
				int("last", 12),
			]),
		]);
		expect(reply.files).toHaveLength(1);
		expect(String(embed(reply).title)).toMatch(
			/^revenue \(USD\) by region, monthly/,
		);
	});

	it("answers segment, cohort, stox, query, pulse and digest in the channel", async () => {
		const titles = async (name: string, options: Option[] = []) =>
			String(embed(await command(name, options)).title);
		expect(await titles("segment", [str("name", "Champions")])).toBe(
			"Champions: top customers by monetary",
		);
		expect(await titles("cohort", [int("months", 3)])).toBe(
			"Retention of the last 3 cohort(s)",
		);
		expect(await titles("stox", [sub("reorder", [int("limit", 5)])])).toMatch(
			/^Reorder now/,
		);
		expect(await titles("stox", [sub("summary")])).toContain("Inventory as of");
		expect(await titles("query", [sub("list")])).toBeTruthy();
		const top = await command("query", [
			sub("run", [str("name", "top-customers"), str("params", "limit=3")]),
		]);
		expect(String(embed(top).title)).toContain("Top customers");
		expect(await titles("pulse", [sub("list")])).toMatch(/^Monitors \(\d+\)$/);
		expect(await titles("pulse", [sub("status")])).toBe(
			"Delivery and scheduler status",
		);
		const digest = embed(await command("digest", [str("as_of", "2026-10-31")]));
		expect(JSON.stringify(digest.footer)).toContain("Preview: not posted.");
	});

	it("completes metric names as they are typed", async () => {
		const res = await send(
			autocomplete("correlate", [
				{ name: "a", type: 3, value: "rev", focused: true },
			]),
		);
		expect(res.body).toEqual({
			type: 8,
			data: {
				choices: [
					{ name: "revenue", value: "revenue" },
					{
						name: "revenue per customer (revenue_per_customer)",
						value: "revenue_per_customer",
					},
				],
			},
		});
		const nested = await send(
			autocomplete("metric", [
				sub("show", [
					{ name: "name", type: 3, value: "margin", focused: true },
				]),
			]),
		);
		const values = (
			(nested.body.data as { choices: { value: string }[] }).choices ?? []
		).map((c) => c.value);
		expect(values).toContain("gross_margin");
	});

	it("acknowledges an alert and edits the clicked message in place, keeping its chart", async () => {
		const { alertId } = await insertAlert(pool);
		const click = componentClick(
			`pulse:v1:ack:${alertId}`,
			postedAlert("1300000000000000201", alertId, discord.url),
		);
		expect(await send(click)).toEqual({ status: 200, body: { type: 6 } });
		const update = edited(click);
		const e = embed(update);
		expect(String(e.description)).toContain("Acknowledged by ana");
		expect(e.image).toEqual({ url: "attachment://margin.png" });
		expect(update.files).toHaveLength(0);
		expect(update.body.attachments).toBeUndefined();
		expect(JSON.stringify(update.body.components)).not.toContain(
			`pulse:v1:ack:${alertId}`,
		);
		const row = await pool.query(
			"select acknowledged, acknowledged_by from pulse_alerts where id = $1",
			[alertId],
		);
		expect(row.rows[0]).toEqual({ acknowledged: true, acknowledged_by: "ana" });
	});

	it("snoozes from the menu", async () => {
		const { alertId } = await insertAlert(pool, "Stock-outs");
		const click = componentClick(
			`pulse:v1:snooze:${alertId}`,
			postedAlert("1300000000000000202", alertId, discord.url),
			["1h"],
		);
		await send(click);
		expect(String(embed(edited(click)).description)).toContain(
			"Snoozed by ana until",
		);
	});

	it("changes the alert once for a duplicate click and says so to the clicker", async () => {
		const { alertId, monitorId } = await insertAlert(pool, "Margin");
		const message = postedAlert("1300000000000000203", alertId, discord.url);
		const first = componentClick(`pulse:v1:false:${alertId}`, message);
		await send(first);
		const stamp = await pool.query(
			"select feedback, feedback_at from pulse_alerts where id = $1",
			[alertId],
		);
		const second = componentClick(`pulse:v1:false:${alertId}`, message);
		await send(second);
		const note = webhookCalls(second).find(
			(c) => c.route === "POST /webhooks/:id/:token",
		);
		expect(note?.body).toMatchObject({ flags: 64 });
		expect(String(note?.body.content)).toContain(
			"Already marked as a false alarm",
		);
		const after = await pool.query(
			"select feedback, feedback_at from pulse_alerts where id = $1",
			[alertId],
		);
		expect(after.rows[0]).toEqual(stamp.rows[0]);
		expect(after.rows[0]?.feedback).toBe("false_positive");
		const m = await pool.query(
			"select false_positives from pulse_monitors where id = $1",
			[monitorId],
		);
		expect(m.rows[0]).toEqual({ false_positives: 1 });
	});

	it("acts on a replayed interaction once: the same signed click or command resent changes nothing", async () => {
		const { alertId } = await insertAlert(pool, "Replayed");
		const click = componentClick(
			`pulse:v1:snooze:${alertId}`,
			postedAlert("1300000000000000205", alertId, discord.url),
			["1h"],
		);
		const ts = Math.floor(Date.now() / 1000);
		await send(click, { timestamp: ts });
		const snoozed = await pool.query(
			"select snoozed_until, snoozed_by from pulse_alerts where id = $1",
			[alertId],
		);
		expect(snoozed.rows[0]?.snoozed_by).toBe("ana");
		const callsBefore = webhookCalls(click).length;
		await new Promise((r) => setTimeout(r, 1100));
		// The very same signed request again: answered, and nothing moves.
		expect(await send(click, { timestamp: ts })).toEqual({
			status: 200,
			body: { type: 6 },
		});
		const after = await pool.query(
			"select snoozed_until, snoozed_by from pulse_alerts where id = $1",
			[alertId],
		);
		expect(after.rows[0]).toEqual(snoozed.rows[0]);
		expect(webhookCalls(click)).toHaveLength(callsBefore);
		// A slash command replayed runs once.
		const i = slashCommand("pulse", [sub("status")]);
		const cts = Math.floor(Date.now() / 1000);
		await send(i, { timestamp: cts });
		const replies = webhookCalls(i).length;
		await send(i, { timestamp: cts });
		expect(webhookCalls(i)).toHaveLength(replies);
	});

	it("tells the clicker what is wrong with a malformed button id and changes nothing", async () => {
		const click = componentClick(
			"pulse:v9:ack:not-a-uuid",
			postedAlert("1300000000000000204", "x", discord.url),
		);
		await send(click);
		const calls = webhookCalls(click);
		expect(calls.map((c) => c.route)).toEqual(["POST /webhooks/:id/:token"]);
		expect(String(calls[0]?.body.content)).toContain("is invalid");
	});

	it("retries a reply that hit a 429 after Retry-After and delivers it", async () => {
		discord.rateLimit("PATCH /webhooks/:id/:token/messages/@original", 1);
		const i = slashCommand("pulse", [sub("status")]);
		await send(i);
		const patches = webhookCalls(i).filter(
			(c) => c.route === "PATCH /webhooks/:id/:token/messages/@original",
		);
		expect(patches.map((c) => c.refused ?? false)).toEqual([true, false]);
		expect(embed(patches[1] as Call).title).toBe(
			"Delivery and scheduler status",
		);
	});

	it("handles an interaction from the gateway with the same handler", async () => {
		const gateway = await app.buildGateway();
		const i = slashCommand("pulse", [sub("status")]);
		gateway.client.ws.emit(GatewayDispatchEvents.InteractionCreate, i, 0);
		await app.idle();
		const calls = discord.calls.filter((c) => c.path.includes(`/${i.token}`));
		expect(calls[0]?.route).toBe("POST /interactions/:id/:token/callback");
		expect(calls[0]?.body).toEqual({ type: 5 });
		expect(embed(edited(i)).title).toBe("Delivery and scheduler status");
		await gateway.stop();
	});

	it("registers the slash commands in a guild with erp-pulse discord register", async () => {
		const out: string[] = [];
		const code = await runCli(["discord", "register", "--guild", GUILD_ID], {
			out: (l) => out.push(l),
			err: () => {},
			env: {
				DISCORD_BOT_TOKEN: TOKEN,
				DISCORD_APPLICATION_ID: APP_ID,
				DISCORD_API_URL: discord.apiUrl,
			},
		});
		expect(code).toBe(0);
		const put = discord.callsOf("PUT /applications/:id/guilds/:id/commands")[0];
		expect(put?.path).toBe(
			`/api/v10/applications/${APP_ID}/guilds/${GUILD_ID}/commands`,
		);
		expect(put?.authorization).toBe(`Bot ${TOKEN}`);
		const names = ((put?.body ?? []) as unknown as { name: string }[]).map(
			(c) => c.name,
		);
		expect(names).toEqual([
			"help",
			"pulse",
			"correlate",
			"explain",
			"metric",
			"query",
			"segment",
			"cohort",
			"stox",
			"digest",
			"erp-pulse",
		]);
		expect(out[0]).toBe(
			`Registered 11 commands in server ${GUILD_ID}: ${names.map((n) => `/${n}`).join(" ")}`,
		);
		expect(out.at(-1)).toMatch(
			/^Invite the bot: https:\/\/discord\.com\/oauth2\/authorize\?client_id=1300000000000000777&scope=bot\+applications\.commands&permissions=\d+$/,
		);
	});
});
