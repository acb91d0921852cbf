import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { argsSchema, noWords } from "../../commands/args.ts";
import { dispatch } from "../../commands/dispatch.ts";
import { commands as registry } from "../../commands/index.ts";
import { commandServices } from "../../commands/services.ts";
import { type ChatCommand, defineCommand } from "../../commands/types.ts";
import { encodeActionId } from "../../src/chat/action-id.ts";
import { drainOutbox, enqueueMessage } from "../../src/chat/outbox.ts";
import type { FeedEntry } from "../../src/chat/playground/feed.ts";
import { toHtml } from "../../src/chat/playground/html.ts";
import { MAX_BODY_BYTES } from "../../src/chat/playground/request.ts";
import type { Chat } from "../../src/chat/runtime.ts";
import { parseConfig } from "../../src/config/load.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { createMetrics } from "../../src/http/metrics.ts";
import { type HttpServer, startHttpServer } from "../../src/http/server.ts";
import { migrationsDir } from "../../src/paths.ts";
import { botChat, insertAlert, PNG_1X1 } from "../helpers/chat.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { openSse, type SseStream } from "../helpers/sse.ts";

/** A command whose reply carries a chart PNG. */
const chartCommand: ChatCommand = defineCommand({
	name: "chart",
	description: "A test chart",
	usage: ["chart"],
	args: argsSchema({ positionals: noWords }),
	async run() {
		return {
			message: {
				title: "Revenue by month",
				text: "Up *4%* on <script>last</script> month",
				chart: {
					filename: "revenue.png",
					alt: "Revenue rose 4%",
					png: PNG_1X1,
				},
			},
		};
	},
});

/** A command slower than the playground's 1 s timeout. */
const slowCommand: ChatCommand = defineCommand({
	name: "slow",
	description: "Takes its time",
	usage: ["slow"],
	args: argsSchema({ positionals: noWords }),
	async run() {
		await new Promise((r) => setTimeout(r, 1_500));
		return { message: { title: "finally" } };
	},
});

const configFor = (yaml: string) => parseConfig(yaml, "t.yaml", {}).config;

describe("the playground over HTTP", () => {
	const memory = memoryLogger();
	const log = memory.log;
	let db: TestDatabase;
	let pool: Pool;
	let dir: string;
	let chat: Chat;
	let http: HttpServer;
	let base: string;
	let events: SseStream;

	const commands = [...registry, chartCommand, slowCommand];

	beforeAll(async () => {
		db = await createTestDatabase("playground");
		pool = createPool(db.url, log, { max: 6 });
		await migrate(pool, migrationsDir, log);
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-playground-"));
		const config = configFor(
			`demo: {enabled: false}\nchat: {outboxDir: "${dir}", playground: {enabled: true, commandTimeoutSeconds: 1}}\n`,
		);
		chat = await botChat({ config, env: { USER: "ana" }, pool, log, commands });
		http = await startHttpServer({
			host: "127.0.0.1",
			port: 0,
			log,
			metrics: createMetrics(),
			health: async () => ({ ok: true }),
			routes: chat.routes,
		});
		base = `http://127.0.0.1:${http.port}`;
	});

	afterAll(async () => {
		events?.close();
		await http?.close();
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	const post = (route: string, body: unknown, headers = {}) =>
		fetch(`${base}${route}`, {
			method: "POST",
			headers: { "content-type": "application/json", ...headers },
			body: typeof body === "string" ? body : JSON.stringify(body),
		});
	const command = async (text: string) => {
		const res = await post("/playground/command", { text });
		expect(res.status).toBe(200);
		return (await res.json()) as { ephemeral?: string; entry?: FeedEntry };
	};

	/** A raw request, for what fetch will not send (a forged Host, an unnormalized path). */
	function raw(
		method: string,
		pathname: string,
		headers: Record<string, string> = {},
	): Promise<{ status: number; body: string }> {
		return new Promise((resolve, reject) => {
			const req = request(
				{ host: "127.0.0.1", port: http.port, method, path: pathname, headers },
				(res) => {
					let body = "";
					res.setEncoding("utf8");
					res.on("data", (c: string) => {
						body += c;
					});
					res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
				},
			);
			req.on("error", reject);
			req.end();
		});
	}

	it("serves the page, its script and its style under a strict content policy", async () => {
		const page = await fetch(`${base}/playground`);
		expect(page.status).toBe(200);
		expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
		expect(page.headers.get("content-security-policy")).toContain(
			"script-src 'self'",
		);
		const html = await page.text();
		expect(html).toContain('<label for="command">Command</label>');
		expect(html).toContain('<script type="module" src="/playground/app.js">');
		const script = await fetch(`${base}/playground/app.js`);
		expect(script.headers.get("content-type")).toBe(
			"text/javascript; charset=utf-8",
		);
		expect(await script.text()).toContain(
			'new EventSource("/playground/events")',
		);
		expect((await fetch(`${base}/playground/style.css`)).status).toBe(200);
	});

	it("answers a command with the same reply as Slack, posted to local:playground with its chart", async () => {
		const reply = await command("/chart");
		const entry = reply.entry as FeedEntry;
		expect(entry.channel).toBe("playground");
		expect(entry.html).toContain('<h2 class="msg-title">Revenue by month</h2>');
		expect(entry.html).toContain(
			'<div class="msg-text">Up <strong>4%</strong> on &lt;script&gt;last&lt;/script&gt; month</div>',
		);
		expect(entry.html).toContain(
			`<img src="/playground/files/${entry.id}.png" alt="Revenue rose 4%">`,
		);
		expect(readdirSync(dir).sort()).toEqual([
			`${entry.id}.md`,
			`${entry.id}.png`,
		]);
		const png = await fetch(`${base}/playground/files/${entry.id}.png`);
		expect(png.status).toBe(200);
		expect(png.headers.get("content-type")).toBe("image/png");
		expect(new Uint8Array(await png.arrayBuffer())).toEqual(PNG_1X1);
	});

	it("answers an unknown command with Slack's error, to the page only", async () => {
		const before = readdirSync(dir).length;
		const reply = await command("/corelate revenue customers");
		const slack = await dispatch(registry, "corelate revenue customers", {
			...commandServices({
				pool,
				config: configFor("demo: {enabled: false}\n"),
				log,
			}),
			user: { id: "U1" },
			channel: { kind: "slack", id: "C1" },
			now: new Date(),
			log,
		});
		expect(slack.ephemeral).toBe(true);
		expect(reply.ephemeral).toBe(toHtml(slack.message));
		expect(reply.ephemeral).toContain(
			"<code>corelate</code> is not a command. Did you mean <code>correlate</code>?",
		);
		expect(readdirSync(dir).length).toBe(before);
	});

	it("gives up on a command after the timeout and says so", async () => {
		const reply = await command("/slow");
		expect(reply.ephemeral).toContain("No answer in time");
		expect(reply.ephemeral).toContain("did not answer within 1 s");
	});

	let alertId: string;
	let alertEntry: FeedEntry;

	it("sends the history on connect, then each delivery as the outbox makes it", async () => {
		events = await openSse(`${base}/playground/events`);
		expect(events.status).toBe(200);
		expect(events.headers.get("content-type")).toBe(
			"text/event-stream; charset=utf-8",
		);
		const history = await events.next((e) => e.event === "entry");
		expect((JSON.parse(history.data) as FeedEntry).html).toContain(
			"Revenue by month",
		);
		await events.next((e) => e.event === "ready");

		const inserted = await insertAlert(pool, "Gross margin <West>");
		alertId = inserted.alertId;
		await enqueueMessage(pool, {
			key: `test:alert:${alertId}`,
			kind: "alert",
			to: { kind: "local", id: "pulse" },
			alertId,
			payload: {
				source: "pulse",
				event: "alert_opened",
				notify: true,
				text: "Gross margin West below 28%",
				monitor: { id: inserted.monitorId, name: "Gross margin <West>" },
				alert: {
					id: alertId,
					severity: "high",
					detail: "below 28%",
					observed: 0.138,
				},
			},
		});
		const delivered = drainOutbox({
			pool,
			channels: chat.runtime.channels,
			render: chat.runtime.render,
			log,
			maxAttempts: 3,
		});
		const live = await events.next((e) => e.data.includes(alertId));
		await delivered;
		alertEntry = JSON.parse(live.data) as FeedEntry;
		expect(alertEntry.channel).toBe("pulse");
		expect(alertEntry.html).toContain("Gross margin &lt;West&gt;");
		expect(alertEntry.html).toContain(
			`data-action-id="${encodeActionId("ack", alertId)}" data-style="primary">Acknowledge</button>`,
		);
	});

	it("acknowledges once when Acknowledge is clicked twice, and edits the message in place", async () => {
		const click = () =>
			post("/playground/action", {
				actionId: encodeActionId("ack", alertId),
				messageId: alertEntry.id,
			}).then(async (r) => ({
				status: r.status,
				body: (await r.json()) as {
					changed: boolean;
					note: string;
					entry?: FeedEntry;
				},
			}));
		const [a, b] = await Promise.all([click(), click()]);
		expect([a.status, b.status]).toEqual([200, 200]);
		expect([a.body.changed, b.body.changed].sort()).toEqual([false, true]);
		const again = a.body.changed ? b.body : a.body;
		expect(again.note).toBe("Already acknowledged by ana.");

		const edit = await events.next(
			(e) =>
				e.event === "entry" &&
				e.data.includes(alertEntry.id) &&
				e.data.includes("Acknowledged by ana"),
		);
		const edited = JSON.parse(edit.data) as FeedEntry;
		expect(edited.channel).toBe("pulse");
		expect(edited.html).toMatch(
			/<p class="msg-status">Acknowledged by ana at \d\d:\d\d UTC<\/p>/,
		);
		expect(edited.html).not.toContain(encodeActionId("ack", alertId));

		const { rows } = await pool.query<{ by: string; updates: number }>(
			`select a.acknowledged_by as by,
			        (select count(*)::int from deliveries d where d.alert_id = a.id and d.kind = 'alert_update') as updates
			   from pulse_alerts a where a.id = $1`,
			[alertId],
		);
		expect(rows[0]).toEqual({ by: "ana", updates: 1 });
	});

	it("snoozes with the chosen duration and asks for one when it is missing", async () => {
		const snooze = encodeActionId("snooze", alertId);
		const none = await post("/playground/action", { actionId: snooze });
		expect(none.status).toBe(400);
		expect(((await none.json()) as { error: string }).error).toBe(
			`Snooze of alert ${alertId} is invalid: snooze needs a duration.`,
		);
		const res = await post("/playground/action", {
			actionId: snooze,
			value: "1h",
			messageId: alertEntry.id,
		});
		const body = (await res.json()) as { changed: boolean; entry: FeedEntry };
		expect(body.changed).toBe(true);
		expect(body.entry.html).toContain("Snoozed by ana until");
	});

	it("refuses a malformed action id and names an alert that does not exist", async () => {
		const bad = await post("/playground/action", {
			actionId: "pulse:v9:ack:x",
		});
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { error: string }).error).toMatch(
			/^Action id "pulse:v9:ack:x" is invalid: /,
		);
		const gone = await post("/playground/action", {
			actionId: encodeActionId("ack", "00000000-0000-4000-8000-000000000000"),
		});
		expect(gone.status).toBe(404);
		expect(((await gone.json()) as { error: string }).error).toContain(
			"does not exist",
		);
		const forged = await post("/playground/action", {
			actionId: encodeActionId("ack", alertId),
			messageId: "../../etc/passwd",
		});
		expect(forged.status).toBe(400);
	});

	it("answers 404 for an unknown path and 405 with Allow for a wrong method", async () => {
		expect((await fetch(`${base}/playground/nope`)).status).toBe(404);
		const put = await fetch(`${base}/playground/command`, { method: "PUT" });
		expect(put.status).toBe(405);
		expect(put.headers.get("allow")).toBe("POST");
		const get = await fetch(`${base}/playground/action`);
		expect(get.status).toBe(405);
		const del = await fetch(`${base}/playground`, { method: "DELETE" });
		expect([del.status, del.headers.get("allow")]).toEqual([405, "GET"]);
		const file = await fetch(`${base}/playground/files/x.png`, {
			method: "POST",
		});
		expect([file.status, file.headers.get("allow")]).toEqual([405, "GET"]);
	});

	it("answers 413 to a body over the limit, declared or streamed", async () => {
		const big = "x".repeat(MAX_BODY_BYTES + 1);
		const declared = await post(
			"/playground/command",
			JSON.stringify({ text: big }),
		);
		expect(declared.status).toBe(413);
		const streamed = await fetch(`${base}/playground/command`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: new ReadableStream({
				start(c) {
					c.enqueue(new TextEncoder().encode(`{"text":"${big}"}`));
					c.close();
				},
			}),
			duplex: "half",
		} as RequestInit);
		expect(streamed.status).toBe(413);
	});

	it("answers 400, 415 and 403 to bodies and origins it does not take", async () => {
		const notJson = await post("/playground/command", "{text");
		expect(notJson.status).toBe(400);
		const long = await post("/playground/command", { text: "x".repeat(2001) });
		expect(long.status).toBe(400);
		expect(((await long.json()) as { error: string }).error).toBe(
			"text: a command is at most 2000 characters.",
		);
		const form = await post("/playground/command", "text=help", {
			"content-type": "application/x-www-form-urlencoded",
		});
		expect(form.status).toBe(415);
		const foreign = await post(
			"/playground/command",
			{ text: "help" },
			{
				origin: "https://evil.test",
			},
		);
		expect(foreign.status).toBe(403);
		expect(
			(await raw("GET", "/playground", { host: "evil.test:8080" })).status,
		).toBe(403);
		expect(
			(await raw("GET", "/playground", { host: "localhost:8080" })).status,
		).toBe(200);
	});

	it("serves outbox charts by exact name only, so no path leads out of the folder", async () => {
		writeFileSync(path.join(dir, "notes.png"), "not a chart");
		writeFileSync(
			path.join(path.dirname(dir), "playground-secret.png"),
			"secret",
		);
		try {
			for (const p of [
				"/playground/files/..%2Fplayground-secret.png",
				"/playground/files/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
				"/playground/files/notes.png",
				"/playground/files/20250101-000000-abcdef.md",
				"/playground/files/",
			])
				expect((await raw("GET", p)).status, p).toBe(400);
			expect(
				(await raw("GET", "/playground/files/../../../etc/passwd")).status,
			).toBe(404);
			expect(
				(await raw("GET", "/playground/files/a/20250101-000000-abcdef.png"))
					.status,
			).toBe(400);
			expect(
				(await raw("GET", "/playground/files/20250101-000000-abcdef.png"))
					.status,
			).toBe(404);
		} finally {
			rmSync(path.join(path.dirname(dir), "playground-secret.png"), {
				force: true,
			});
		}
	});

	it("shows a text command's columns in a fixed-width <pre>, not as prose", async () => {
		const entry = (await command("/query list")).entry as FeedEntry;
		expect(entry.html).toContain(
			'<h2 class="msg-title">Analytics queries</h2><pre class="msg-pre">segmentation:\n  ',
		);
		expect(entry.html).toMatch(/\n {2}revenue-by-month {2,}\S/);
		expect(entry.html).toContain(
			"Run one: erp-pulse query run &lt;name&gt; [--param name=value …]</pre>",
		);
		expect(entry.html).not.toContain("msg-text");
	});
});

describe("when the playground is served", () => {
	const chatFor = (yaml: string, memory = memoryLogger()) => {
		const pool = {} as Pool;
		const config = configFor(yaml);
		return botChat({
			config,
			env: {},
			pool,
			log: memory.log,
			commands: registry,
		});
	};

	const routesOf = async (yaml: string) =>
		Object.keys((await chatFor(yaml)).routes);

	it("is on by default in demo mode on a loopback address", async () => {
		expect(await routesOf("")).toContain("GET /playground");
	});

	it("is off by default outside demo mode, and on when enabled", async () => {
		expect(await routesOf("demo: {enabled: false}\n")).toEqual([]);
		expect(
			await routesOf(
				"demo: {enabled: false}\nchat: {playground: {enabled: true}}\n",
			),
		).toContain("POST /playground/command");
		expect(await routesOf("chat: {playground: {enabled: false}}\n")).toEqual(
			[],
		);
	});

	it("is refused with a log line that says why when http.host is not a loopback address", async () => {
		const memory = memoryLogger();
		const chat = await chatFor("http: {host: 0.0.0.0}\n", memory);
		expect(Object.keys(chat.routes)).toEqual([]);
		const line = memory
			.lines()
			.find((l) => String(l.msg).startsWith("playground not served"));
		expect(line?.level).toBe(40);
		expect(line?.msg).toContain(
			"http.host 0.0.0.0 is not a loopback address and the page has no login; set http.host to 127.0.0.1",
		);
	});
});
