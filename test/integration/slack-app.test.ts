import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { argsSchema, noWords } from "../../commands/args.ts";
import { commands as registry } from "../../commands/index.ts";
import { type ChatCommand, defineCommand } from "../../commands/types.ts";
import { configSchema } from "../../src/config/schema.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { migrationsDir } from "../../src/paths.ts";
import { insertAlert, PNG_1X1, slackSignature } from "../helpers/chat.ts";
import {
	createTestDatabase,
	eventually,
	type TestDatabase,
} from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import {
	blockActionsBody,
	TEST_CHANNEL as CHANNEL,
	FORM,
	TEST_SIGNING_SECRET as SECRET,
	type SendOptions,
	type SlackBot,
	slashCommandBody,
	startSlackBot,
} from "../helpers/slack-bot.ts";
import type { SlackStandIn } from "../helpers/slack-standin.ts";

/** A command whose reply carries a chart, to drive the files v2 upload. */
const chartCommand: ChatCommand = defineCommand({
	name: "chart",
	description: "A test chart",
	usage: ["chart"],
	args: argsSchema({ positionals: noWords }),
	async run() {
		return {
			message: {
				title: "Revenue by month",
				chart: {
					filename: "revenue.png",
					alt: "Revenue rose 4%",
					png: PNG_1X1,
				},
			},
		};
	},
});

describe("Slack through the real Bolt app and WebClient", () => {
	let db: TestDatabase;
	let pool: Pool;
	let bot: SlackBot;
	let slack: SlackStandIn;
	const memory = memoryLogger([SECRET]);

	beforeAll(async () => {
		db = await createTestDatabase("slack_app");
		pool = createPool(db.url, memory.log, { max: 4 });
		await migrate(pool, migrationsDir, memory.log);
		bot = await startSlackBot({
			pool,
			commands: [...registry, chartCommand],
			context: { pool, config: configSchema.parse({}) },
			log: memory.log,
		});
		slack = bot.slack;
	});

	afterAll(async () => {
		await bot?.close();
		await pool?.end();
		await db?.drop();
	});

	const send = (body: string, type: string, opts: SendOptions = {}) =>
		bot.send(body, type, opts);
	const slashCommand = (command: string, text: string, id: string) =>
		slashCommandBody(command, text, `${slack.url}/respond/${id}`);

	let clicks = 0;
	function click(
		alertId: string,
		verb: string,
		opts: { value?: string; ts?: string } = {},
	): string {
		return blockActionsBody({
			actionId: `pulse:v1:${verb}:${alertId}`,
			n: ++clicks,
			ts: opts.ts ?? "1700000000.000001",
			responseUrl: `${slack.url}/respond/click-${verb}`,
			label: verb,
			...(opts.value ? { value: opts.value } : {}),
			blocks: [
				{ type: "image", alt_text: "chart", slack_file: { id: "F000000042" } },
			],
		});
	}

	it("acknowledges a slash command at once and posts the reply in the channel", async () => {
		const res = await send(slashCommand("/pulse", "status", "status"), FORM);
		expect(res.status).toBe(200);
		const post = await eventually(async () =>
			slack
				.callsOf("chat.postMessage")
				.find(
					(c) =>
						c.args.channel === CHANNEL &&
						String(c.args.text).includes("Delivery and scheduler status"),
				),
		);
		expect(JSON.stringify(post.args.blocks)).toContain(
			"Delivery and scheduler status",
		);
		expect(
			slack
				.callsOf("respond")
				.filter((c) => c.raw.toString().includes("status")),
		).toHaveLength(0);
	});

	it("asks Slack who the bot is once, not before every request", async () => {
		for (const id of ["once-1", "once-2"]) {
			const posted = slack.next((c) => c.method === "chat.postMessage");
			await send(slashCommand("/pulse", "status", id), FORM);
			await posted;
		}
		expect(slack.callsOf("auth.test")).toHaveLength(1);
	});

	it("answers bad input with an ephemeral reply that says what to fix", async () => {
		const res = await send(
			slashCommand("/erp-pulse", "pulse status --errors lots", "bad"),
			FORM,
		);
		expect(res.status).toBe(200);
		const reply = await eventually(async () =>
			slack.calls.find(
				(c) =>
					c.method === "respond" &&
					c.raw.length > 0 &&
					JSON.stringify(c.args).includes("--errors"),
			),
		);
		expect(reply.args.response_type).toBe("ephemeral");
		const text = JSON.stringify(reply.args);
		expect(text).toContain("expected a whole number from 0 to 20");
		expect(text).toContain("pulse status [--errors N]");
	});

	it("uploads a chart with files v2 and shows it with a slack_file image block", async () => {
		await send(slashCommand("/erp-pulse", "chart", "chart"), FORM);
		const post = await eventually(async () =>
			slack
				.callsOf("chat.postMessage")
				.find((c) => String(c.args.text).includes("Revenue by month")),
		);
		const url = slack.callsOf("files.getUploadURLExternal").at(-1);
		expect(url?.args).toMatchObject({
			filename: "revenue.png",
			length: String(PNG_1X1.length),
			alt_text: "Revenue rose 4%",
		});
		const upload = slack.callsOf("upload").at(-1);
		expect(upload?.raw.includes(Buffer.from(PNG_1X1))).toBe(true);
		const complete = slack.callsOf("files.completeUploadExternal").at(-1);
		const fileId = ((complete?.args.files ?? []) as { id: string }[])[0]?.id;
		expect(fileId).toMatch(/^F\d{9}$/);
		expect(complete?.args.channel_id).toBeUndefined();
		expect(JSON.stringify(post.args.blocks)).toContain(
			`"slack_file":{"id":"${fileId}"}`,
		);
	});

	it("acknowledges an alert and edits the clicked message in place", async () => {
		const { alertId } = await insertAlert(pool);
		const res = await send(click(alertId, "ack"), FORM);
		expect(res.status).toBe(200);
		const update = await eventually(async () =>
			slack
				.callsOf("chat.update")
				.find(
					(c) =>
						JSON.stringify(c.args).includes(alertId) ||
						JSON.stringify(c.args).includes("Acknowledged by ana"),
				),
		);
		expect(update.args).toMatchObject({
			channel: CHANNEL,
			ts: "1700000000.000001",
		});
		const blocks = JSON.stringify(update.args.attachments);
		expect(blocks).toContain("Acknowledged by ana");
		expect(blocks).not.toContain(`pulse:v1:ack:${alertId}`);
		expect(blocks).toContain('"slack_file":{"id":"F000000042"}');
		const row = await pool.query(
			"select acknowledged, acknowledged_by from pulse_alerts where id = $1",
			[alertId],
		);
		expect(row.rows[0]).toEqual({ acknowledged: true, acknowledged_by: "ana" });
	});

	it("records real-issue feedback and a snooze, each re-rendered in place", async () => {
		const { alertId, monitorId } = await insertAlert(pool, "Stock-outs");
		await send(click(alertId, "real", { ts: "1700000000.000777" }), FORM);
		const fb = await eventually(async () =>
			slack
				.callsOf("chat.update")
				.find((c) => c.args.ts === "1700000000.000777"),
		);
		expect(JSON.stringify(fb.args.attachments)).toContain(
			"Marked as a real issue by ana",
		);
		await send(
			click(alertId, "snooze", { value: "1h", ts: "1700000000.000888" }),
			FORM,
		);
		const sn = await eventually(async () =>
			slack
				.callsOf("chat.update")
				.find((c) => c.args.ts === "1700000000.000888"),
		);
		expect(JSON.stringify(sn.args.attachments)).toContain(
			"Snoozed by ana until",
		);
		const row = await pool.query<{
			feedback: string;
			snoozed_by: string;
			tp: number;
		}>(
			"select a.feedback, a.snoozed_by, m.true_positives as tp from pulse_alerts a join pulse_monitors m on m.id = a.monitor_id where a.id = $1",
			[alertId],
		);
		expect(row.rows[0]).toEqual({
			feedback: "true_positive",
			snoozed_by: "ana",
			tp: 1,
		});
		expect(monitorId).toBeTruthy();
	});

	it("changes the alert once for a duplicate click and a Slack retry", async () => {
		const { alertId, monitorId } = await insertAlert(pool, "Margin");
		await send(click(alertId, "false", { ts: "1700000000.000901" }), FORM);
		await eventually(async () =>
			slack
				.callsOf("chat.update")
				.find((c) => c.args.ts === "1700000000.000901"),
		);
		const first = await pool.query(
			"select feedback_at from pulse_alerts where id = $1",
			[alertId],
		);
		// A second click, and Slack's retry of it (re-signed with the time of the retry).
		const again = click(alertId, "false", { ts: "1700000000.000901" });
		await send(again, FORM);
		await send(again, FORM, {
			retry: 1,
			ts: Math.floor(Date.now() / 1000) + 1,
		});
		await eventually(async () => {
			const notes = slack.calls.filter(
				(c) =>
					c.method === "respond" &&
					JSON.stringify(c.args).includes("Already marked as a false alarm"),
			);
			return notes.length === 2 ? notes : undefined;
		});
		const after = await pool.query(
			"select feedback_at from pulse_alerts where id = $1",
			[alertId],
		);
		expect(after.rows[0]).toEqual(first.rows[0]);
		const m = await pool.query(
			"select false_positives from pulse_monitors where id = $1",
			[monitorId],
		);
		expect(m.rows[0]).toEqual({ false_positives: 1 });
	});

	/** Posts a body signed correctly over whatever timestamp header is given, however odd. */
	const sendAt = (body: string, ts: string) =>
		fetch(bot.url, {
			method: "POST",
			headers: {
				"content-type": FORM,
				"x-slack-request-timestamp": ts,
				"x-slack-signature": slackSignature(SECRET, ts, body),
			},
			body,
		});

	it("refuses validly signed requests dated in the future or with a timestamp that is not whole seconds", async () => {
		const { alertId } = await insertAlert(pool, "Future");
		const before = slack.calls.length;
		const now = Math.floor(Date.now() / 1000);
		for (const ts of [
			String(now + 6 * 60),
			String(now + 3600),
			String(now + 86_400),
			"1e10",
			"10000000000",
			"Infinity",
			`${now}.5`,
			"",
		]) {
			const res = await sendAt(click(alertId, "ack"), ts);
			expect(res.status, `timestamp "${ts}"`).toBe(401);
			expect(await res.text()).toMatch(/x-slack-request-timestamp/);
		}
		await new Promise((r) => setTimeout(r, 300));
		expect(slack.calls.length).toBe(before);
		const row = await pool.query(
			"select acknowledged from pulse_alerts where id = $1",
			[alertId],
		);
		expect(row.rows[0]).toEqual({ acknowledged: false });
	});

	it("runs a replayed slash command once", async () => {
		const body = slashCommand("/pulse", "status", "replayed");
		const ts = Math.floor(Date.now() / 1000);
		const before = slack.calls.length;
		const posted = slack.next((c) => c.method === "chat.postMessage");
		for (let i = 0; i < 3; i++)
			expect((await send(body, FORM, { ts })).status).toBe(200);
		await posted;
		await new Promise((r) => setTimeout(r, 1000));
		expect(
			slack.calls.slice(before).filter((c) => c.method === "chat.postMessage"),
		).toHaveLength(1);
		expect(memory.text()).toContain("slack request replayed; ignored");
	});

	it("applies each replayed button click once: acknowledge, real issue, false alarm, snooze", async () => {
		const { alertId, monitorId } = await insertAlert(pool, "Replays");
		const state = async () =>
			(
				await pool.query(
					`select a.acknowledged, a.acknowledged_at, a.feedback, a.feedback_at, a.snoozed_until,
					        m.true_positives, m.false_positives
					   from pulse_alerts a join pulse_monitors m on m.id = a.monitor_id where a.id = $1`,
					[alertId],
				)
			).rows[0];
		for (const [verb, value] of [
			["ack", undefined],
			["false", undefined],
			["real", undefined],
			["snooze", "1h"],
		] as const) {
			const body = click(alertId, verb, value ? { value } : {});
			const ts = Math.floor(Date.now() / 1000);
			expect((await send(body, FORM, { ts })).status).toBe(200);
			await eventually(async () =>
				slack.callsOf("respond").length + slack.callsOf("chat.update").length >
				0
					? true
					: undefined,
			);
			await new Promise((r) => setTimeout(r, 400));
			const after = await state();
			// The same signed request again, within the signature window: answered, changes nothing.
			const replay = await send(body, FORM, { ts });
			expect(replay.status, verb).toBe(200);
			await new Promise((r) => setTimeout(r, 400));
			expect(await state(), `${verb} replayed`).toEqual(after);
		}
		const final = await state();
		expect(final).toMatchObject({
			acknowledged: true,
			feedback: "true_positive",
		});
		expect(final?.true_positives).toBe(1);
		expect(monitorId).toBeTruthy();
	});

	it("answers malformed but validly signed bodies with 400 and a reason, and keeps serving", async () => {
		const cases: [string, RegExp][] = [
			["payload=null", /JSON object/],
			["payload=%5B%5D", /JSON object/],
			["payload=%22text%22", /JSON object/],
			["payload=%7Bnot%20json", /not JSON/],
			[`payload=${encodeURIComponent('{"type":"block_actions"}')}`, /actions/],
			[
				`payload=${encodeURIComponent('{"type":"block_actions","actions":[{"action_id":"x"}]}')}`,
				/user/,
			],
			[`payload=${encodeURIComponent('{"type":"view_submission"}')}`, /view/],
			[
				`payload=${encodeURIComponent('{"type":"what"}')}`,
				/not an interaction/,
			],
			["text=hello", /slash command needs command/],
			["command=%2Fpulse&user_id=U1", /channel_id/],
		];
		for (const [body, reason] of cases) {
			const res = await send(body, FORM);
			expect(res.status, body).toBe(400);
			expect(await res.text(), body).toMatch(reason);
		}
		const json = await send("[1,2]", "application/json");
		expect(json.status).toBe(400);
		// Still serving: a real command is answered.
		const posted = slack.next((c) => c.method === "chat.postMessage");
		const res = await send(
			slashCommand("/pulse", "status", "after-junk"),
			FORM,
		);
		expect(res.status).toBe(200);
		expect(String((await posted).args.text)).toContain(
			"Delivery and scheduler",
		);
	});

	it("stays responsive while a huge command is refused: /healthz and another user's command answer within a second", async () => {
		const health = bot.url.replace("/slack/events", "/healthz");
		const words = Array.from({ length: 2000 }, (_, i) => `w${i % 97}`).join(
			" ",
		);
		const huge = [
			`revenue ${"customers ".repeat(900)}`.trim(), // about 8 KB
			words, // 2,000 words
		];
		for (const text of huge) {
			let slowest = 0;
			let polling = true;
			const poll = (async () => {
				while (polling) {
					const t0 = performance.now();
					expect((await fetch(health)).status).toBe(200);
					slowest = Math.max(slowest, performance.now() - t0);
					await new Promise((r) => setTimeout(r, 20));
				}
			})();
			const refusal = slack.next(
				(c) => c.method === "respond" && c.raw.toString().includes("too long"),
			);
			const t0 = performance.now();
			expect(
				(await send(slashCommand("/correlate", text, "huge"), FORM)).status,
			).toBe(200);
			const other = slack.next(
				(c) =>
					c.method === "chat.postMessage" &&
					String(c.args.text).includes("Delivery and scheduler"),
			);
			await send(
				slashCommand("/pulse", "status", `other-user-${text.length}`),
				FORM,
			);
			await other;
			const otherMs = performance.now() - t0;
			await refusal;
			polling = false;
			await poll;
			expect(
				slowest,
				"slowest /healthz during the huge command (ms)",
			).toBeLessThan(1000);
			expect(otherMs, "another command's answer (ms)").toBeLessThan(1000);
		}
		const said = slack
			.callsOf("respond")
			.filter((c) => c.raw.toString().includes("too long"));
		expect(said.length).toBe(2);
		expect(said[0]?.raw.toString()).toContain("at most 1000 characters");
	});

	it("answers a forged signature and a stale timestamp with 401 and does nothing", async () => {
		const { alertId } = await insertAlert(pool, "Forged");
		const before = slack.calls.length;
		const body = click(alertId, "ack");
		const forged = await send(body, FORM, {
			signature: slackSignature(
				"not-the-secret",
				Math.floor(Date.now() / 1000),
				body,
			),
		});
		expect(forged.status).toBe(401);
		const old = Math.floor(Date.now() / 1000) - 6 * 60;
		const stale = await send(body, FORM, {
			ts: old,
			signature: slackSignature(SECRET, old, body),
		});
		expect(stale.status).toBe(401);
		const cmd = slashCommand("/pulse", "status", "forged");
		expect((await send(cmd, FORM, { signature: "v0=deadbeef" })).status).toBe(
			401,
		);
		await new Promise((r) => setTimeout(r, 300));
		expect(slack.calls.length).toBe(before);
		const row = await pool.query(
			"select acknowledged from pulse_alerts where id = $1",
			[alertId],
		);
		expect(row.rows[0]).toEqual({ acknowledged: false });
		expect(memory.text()).not.toContain(SECRET);
	});
});
