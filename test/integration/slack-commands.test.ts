/**
 * Every chat command through Slack the way Slack drives it: a form-encoded slash command signed
 * with the signing secret, posted to the real Bolt app on the bot's HTTP server, answered on a
 * computed demo warehouse, with the WebClient talking to the loopback stand-in. Each command's
 * happy path and one bad input; the assertions are on what the stand-in recorded: the reply's
 * text, where it went (the channel, or only to the person who typed it), the files v2 upload
 * behind a chart, and that a bad input is answered with the fix and changes nothing.
 *
 * Slash commands as the manifest registers them: one per top-level command word (`/pulse status`,
 * `/correlate revenue customers`) plus the catch-all `/erp-pulse <any command>`; `help` has no
 * slash command of its own.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { slackManifest } from "../../src/chat/slack/manifest.ts";
import { parseConfig } from "../../src/config/load.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { migrationsDir } from "../../src/paths.ts";
import { insertAlert } from "../helpers/chat.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { pngHeaderSize } from "../helpers/png.ts";
import { tableChecksum } from "../helpers/pulse.ts";
import {
	type SlackBot,
	startSlackBot,
	TEST_CHANNEL,
} from "../helpers/slack-bot.ts";
import type { Call } from "../helpers/slack-standin.ts";
import { loadDemoWarehouse } from "../helpers/warehouse.ts";

/** What one slash command led to. */
interface Answer {
	/** The call that carried the reply: chat.postMessage, or a post to the response URL. */
	reply: Call;
	/** Every call the stand-in recorded for this command, in order. */
	calls: Call[];
	/** The reply's visible text: every `text` in it, blocks and attachments included. */
	text: string;
}

/** Every string under a `text` key, depth first, one a line, as Slack shows it (entities decoded). */
function visibleText(value: unknown): string {
	return textsOf(value)
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/&amp;/g, "&");
}

function textsOf(value: unknown): string {
	if (Array.isArray(value)) return value.map(textsOf).join("\n");
	if (!value || typeof value !== "object") return "";
	return Object.entries(value)
		.map(([k, v]) => (k === "text" && typeof v === "string" ? v : textsOf(v)))
		.filter(Boolean)
		.join("\n");
}

/** The blocks of a reply, top-level and inside the severity-bar attachment. */
function blocksOf(call: Call): { type: string; [k: string]: unknown }[] {
	const attachments = (call.args.attachments ?? []) as { blocks?: [] }[];
	return [
		...((call.args.blocks ?? []) as []),
		...attachments.flatMap((a) => a.blocks ?? []),
	];
}

/** The reply's header: the message title. */
function titleOf(call: Call): string {
	const header = blocksOf(call).find((b) => b.type === "header") as
		| { text: { text: string } }
		| undefined;
	return header?.text.text ?? "";
}

/** The PNG inside an upload body (a multipart form): from its signature to its IEND chunk. */
function uploadedPng(upload: Call): Buffer {
	const at = upload.raw.indexOf(Buffer.from("89504e470d0a1a0a", "hex"));
	const end = upload.raw.indexOf("IEND", at);
	if (at < 0 || end < 0) throw new Error("the upload holds no PNG");
	return upload.raw.subarray(at, end + 8);
}

describe("every chat command through the real Slack app", () => {
	const { log } = memoryLogger();
	const config = parseConfig("demo: {enabled: false}\n", "t.yaml", {}).config;
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;
	let bot: SlackBot;
	let seq = 0;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-slack-cmds-"));
		const erp = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file: erp, seed: 5, lines: 5_000 });
		db = await createTestDatabase("slack_cmds");
		pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
		await loadDemoWarehouse(pool, erp, { log, stox: config.stox });
		bot = await startSlackBot({
			pool,
			commands,
			context: { pool, config },
			log,
		});
	}, 240_000);

	afterAll(async () => {
		await bot?.close();
		await pool?.end();
		await db?.drop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	/** Types `/command text` in the channel and waits for the reply. */
	async function ask(command: string, text: string): Promise<Answer> {
		const id = `r${++seq}`;
		const from = bot.slack.calls.length;
		const answered = bot.slack.next(
			(c) => c.path === `/respond/${id}` || c.method === "chat.postMessage",
		);
		const res = await bot.slashCommand(command, text, id);
		expect(res.status).toBe(200);
		const reply = await answered;
		return {
			reply,
			// The bot's first request also asks who the bot is, once (slack-app.test.ts checks that).
			calls: bot.slack.calls
				.slice(from)
				.filter((c) => c.method !== "auth.test"),
			text: visibleText(reply.args),
		};
	}

	/** A reply posted in the channel for everyone. */
	async function posted(command: string, text: string): Promise<Answer> {
		const a = await ask(command, text);
		expect(a.reply.method).toBe("chat.postMessage");
		expect(a.reply.args.channel).toBe(TEST_CHANNEL);
		expect(a.calls.filter((c) => c.method === "respond")).toEqual([]);
		return a;
	}

	/** A reply only the person who typed it sees, with nothing else done in Slack. */
	async function privately(command: string, text: string): Promise<Answer> {
		const a = await ask(command, text);
		expect(a.reply.method).toBe("respond");
		expect(a.reply.args.response_type).toBe("ephemeral");
		expect(a.calls.map((c) => c.method)).toEqual(["respond"]);
		return a;
	}

	/** Checks the files v2 flow behind a chart reply: the PNG uploaded, then shown by its file id. */
	function expectUploadedChart(a: Answer, filename: string, alt: RegExp) {
		expect(a.calls.map((c) => c.method)).toEqual([
			"files.getUploadURLExternal",
			"upload",
			"files.completeUploadExternal",
			"chat.postMessage",
		]);
		const [url, upload, complete] = a.calls as [Call, Call, Call];
		const png = uploadedPng(upload);
		expect(url.args).toMatchObject({
			filename,
			length: String(png.length),
		});
		expect(String(url.args.alt_text)).toMatch(alt);
		expect(pngHeaderSize(png)).toEqual({ width: 960, height: 560 });
		const fileId = (complete.args.files as { id: string }[])[0]?.id;
		expect(upload.path).toBe(`/upload/${fileId}`);
		expect(complete.args.channel_id).toBeUndefined();
		const image = blocksOf(a.reply).find((b) => b.type === "image");
		expect(image).toMatchObject({ slack_file: { id: fileId } });
		expect(String(image?.alt_text)).toMatch(alt);
	}

	it("registers one slash command per command word, plus the catch-all /erp-pulse", () => {
		const manifest = slackManifest({ commands, path: "/slack/events" });
		expect(
			manifest.features.slash_commands.map((c) => c.command).sort(),
		).toEqual(
			[
				"/erp-pulse",
				"/pulse",
				"/correlate",
				"/metric",
				"/explain",
				"/query",
				"/segment",
				"/cohort",
				"/stox",
				"/digest",
			].sort(),
		);
	});

	describe("help", () => {
		it("lists every command, only to the person who asked", async () => {
			const a = await privately("/erp-pulse", "help");
			expect(a.text).toContain("erp-pulse commands");
			for (const c of commands) expect(a.text).toContain(c.usage[0]);
			const bare = await privately("/erp-pulse", "");
			expect(bare.text).toContain("erp-pulse commands");
		});

		it("answers help for a misspelt command with the closest one", async () => {
			const a = await privately("/erp-pulse", "help corelate");
			expect(a.text).toContain("There is no `corelate` command.");
			expect(a.text).toContain("Did you mean `correlate`?");
		});
	});

	describe("pulse status", () => {
		it("posts the delivery status in the channel", async () => {
			const a = await posted("/pulse", "status");
			expect(a.text).toContain("Delivery and scheduler status");
			expect(a.text).toContain("Sent in the last day");
		});

		it("refuses an --errors count out of range", async () => {
			const a = await privately("/pulse", "status --errors 99");
			expect(a.text).toContain("--errors: expected at most 20.");
			expect(a.text).toContain("pulse status [--errors N]");
		});
	});

	describe("pulse", () => {
		const monitors = () => tableChecksum(pool, "pulse_monitors");
		let monitorId = "";

		it("lists no monitors yet and says how to add one", async () => {
			const a = await posted("/pulse", "list");
			expect(a.text).toContain("No monitors yet");
		});

		it("refuses words after pulse list", async () => {
			const a = await privately("/pulse", "list everything");
			expect(a.text).toContain("Usage: `pulse list`");
		});

		it("shows the understood monitor without --yes and saves nothing", async () => {
			const before = await monitors();
			const a = await privately(
				"/pulse",
				"create “alert me when revenue drops more than 15% week over week”",
			);
			expect(a.text).toContain("Monitor not saved yet");
			expect(a.text).toContain("--yes");
			expect(await monitors()).toBe(before);
		});

		it("creates a monitor from a sentence typed with typographic quotes", async () => {
			const a = await posted(
				"/pulse",
				"create “alert me when revenue drops more than 15% week over week” --yes",
			);
			expect(a.text).toMatch(/Monitor created: /);
			const { rows } = await pool.query<{ id: string; user_id: string }>(
				"select id::text, user_id from pulse_monitors",
			);
			expect(rows).toHaveLength(1);
			expect(rows[0]?.user_id).toBe("ana");
			expect(a.text).toContain(rows[0]?.id);
		});

		it("answers a sentence it cannot understand and saves nothing", async () => {
			const before = await monitors();
			const a = await privately(
				"/pulse",
				'create "tell me when the moon is full" --yes',
			);
			expect(a.text).toContain("pulse create: not understood");
			expect(await monitors()).toBe(before);
		});

		it("adds a monitor from a template", async () => {
			const a = await posted("/pulse", "add revenue-down-week-over-week");
			expect(a.text).toContain("Monitor created: ");
			const { rows } = await pool.query<{ id: string }>(
				"select id::text from pulse_monitors where template_name = 'revenue-down-week-over-week'",
			);
			expect(rows).toHaveLength(1);
			monitorId = rows[0]?.id as string;
			expect(a.text).toContain(monitorId);
		});

		it("answers a misspelt template with the closest one and adds nothing", async () => {
			const before = await monitors();
			const a = await privately("/pulse", "add revenue-down-week-over-wek");
			expect(a.text).toContain('No template "revenue-down-week-over-wek"');
			expect(a.text).toContain("Did you mean revenue-down-week-over-week?");
			expect(await monitors()).toBe(before);
		});

		it("lists both monitors", async () => {
			const a = await posted("/pulse", "list");
			expect(a.text).toContain("Monitors (2)");
			expect(a.text).toContain(monitorId);
		});

		it("shows one monitor", async () => {
			const a = await posted("/pulse", `show ${monitorId}`);
			expect(a.text).toContain(`*Id*\n${monitorId}`);
			expect(a.text).toContain("Precision");
		});

		it("answers show for an unknown monitor with where to find the ids", async () => {
			const a = await privately("/pulse", "show 999999");
			expect(a.text).toContain("pulse show: not found");
			expect(a.text).toContain("`pulse list` shows the monitors");
		});

		it("shows a monitor's history", async () => {
			const a = await posted("/pulse", `history ${monitorId}`);
			expect(a.text).toContain("history");
			expect(a.text).toContain("*v1*");
			expect(a.text).toContain("It has not run yet.");
		});

		it("answers history without an id with its usage", async () => {
			const a = await privately("/pulse", "history");
			expect(a.text).toContain("Usage: `pulse history <id>`");
		});

		it("pauses a monitor as the person who typed the command", async () => {
			const a = await posted("/pulse", `pause ${monitorId}`);
			expect(a.text).toMatch(/: paused/);
			const { rows } = await pool.query(
				"select paused_reason from pulse_monitors where id::text = $1",
				[monitorId],
			);
			expect(rows[0]).toEqual({ paused_reason: "paused by ana" });
		});

		it("answers pause for an unknown monitor and pauses nothing", async () => {
			const before = await monitors();
			const a = await privately("/pulse", "pause 999999");
			expect(a.text).toContain("pulse pause: not found");
			expect(await monitors()).toBe(before);
		});

		it("resumes the monitor", async () => {
			const a = await posted("/pulse", `resume ${monitorId}`);
			expect(a.text).toMatch(/: resumed/);
			const { rows } = await pool.query(
				"select paused_reason from pulse_monitors where id::text = $1",
				[monitorId],
			);
			expect(rows[0]).toEqual({ paused_reason: null });
		});

		it("answers resume with --yes with where --yes goes and resumes nothing", async () => {
			const before = await monitors();
			const a = await privately("/pulse", `resume ${monitorId} --yes`);
			expect(a.text).toContain("`--yes` goes only with `pulse create`.");
			expect(await monitors()).toBe(before);
		});

		it("records feedback on an alert, answering only the person who gave it", async () => {
			const { alertId } = await insertAlert(pool, "Feedback from Slack");
			const a = await privately("/pulse", `feedback ${alertId} real`);
			expect(a.text).toContain("Feedback recorded");
			const { rows } = await pool.query(
				"select feedback, feedback_by from pulse_alerts where id::text = $1",
				[alertId],
			);
			expect(rows[0]).toEqual({
				feedback: "true_positive",
				feedback_by: "ana",
			});
		});

		it("answers feedback that is neither real nor false_alarm and records nothing", async () => {
			const { alertId } = await insertAlert(pool, "Unsure");
			const alerts = await tableChecksum(pool, "pulse_alerts");
			const before = await monitors();
			const a = await privately("/pulse", `feedback ${alertId} maybe`);
			expect(a.text).toContain("`real` or a `false_alarm`");
			expect(await tableChecksum(pool, "pulse_alerts")).toBe(alerts);
			expect(await monitors()).toBe(before);
		});

		it("answers a misspelt pulse verb with the verbs", async () => {
			const a = await privately("/pulse", "stauts");
			expect(a.text).toContain("`pulse stauts` is not a command.");
			expect(a.text).toContain("`pulse status`");
		});
	});

	describe("correlate", () => {
		it("posts the verdict with a dual-axis chart uploaded through files v2", async () => {
			const a = await posted("/correlate", "revenue customers");
			expect(a.text).toMatch(
				/revenue \(USD\) vs active customers \(customers\): \d+ months/,
			);
			// The verdict as prose, the statistics in a code block after it.
			expect(a.text).toMatch(/\nVerdict: [\s\S]*```\nPearson r {2,}/);
			expectUploadedChart(
				a,
				"correlate-revenue-active_customers.png",
				/^Dual-axis line chart: Revenue and active customers\./,
			);
		});

		it("answers the same through the catch-all /erp-pulse", async () => {
			const a = await posted("/erp-pulse", "correlate revenue customers");
			expect(a.text).toContain("Verdict: ");
		});

		it("answers a misspelt metric with the closest one", async () => {
			const a = await privately("/correlate", "revenue custmers");
			expect(a.text).toContain("unknown metric 'custmers'");
			expect(a.text).toMatch(/did you mean [^?]*customers/);
			expect(a.text).toContain("Usage: `correlate <a> [b]");
		});
	});

	describe("metric", () => {
		it("posts the metric by region with its line chart", async () => {
			const a = await posted("/metric", "revenue by region last 12 months");
			expect(a.text).toMatch(/^revenue/im);
			expect(a.text).toContain("region");
			expectUploadedChart(
				a,
				"metric-revenue.png",
				/^Line chart: Revenue by region\./,
			);
		});

		it("posts the metric list under its own title, its table whole", async () => {
			const a = await posted("/metric", "list");
			expect(titleOf(a.reply)).toBe("Metrics");
			expect(a.text).toMatch(/```\nmetric +unit +grains/);
		});

		it("answers a misspelt metric with did you mean revenue?", async () => {
			const a = await privately("/metric", "revenu");
			expect(a.text).toContain(
				"unknown metric 'revenu' — did you mean revenue",
			);
		});
	});

	describe("explain", () => {
		it("posts why revenue changed, the driver sentence per dimension and the table", async () => {
			const a = await posted("/explain", "revenue by region");
			expect(a.text).toMatch(
				/^Revenue (rose|fell) [\d.]+% in \w{3} \d{4} vs \w{3} \d{4}: \$[\d,]+ → \$[\d,]+ \([+−]\$[\d,]+\)\./m,
			);
			expect(a.text).toMatch(/^by region, (mostly|led by) /m);
		});

		it("answers an unfinished period with what to say instead", async () => {
			const a = await privately("/explain", "revenue this month");
			expect(a.text).toContain('"this month" is not over yet');
		});
	});

	describe("segment", () => {
		it("posts the top customers of a segment named loosely", async () => {
			const a = await posted("/segment", "champions");
			expect(a.text).toContain("Champions: top customers by monetary");
			const { rows } = await pool.query<{ customer: string }>(
				`select customer from customer_master where rfm_segment = 'Champions'
				  order by monetary desc nulls last, customer limit 1`,
			);
			expect(a.text).toContain(rows[0]?.customer);
		});

		it("answers an unknown segment with the segment names", async () => {
			const a = await privately("/segment", "platinum");
			expect(a.text).toContain("`champions`");
		});
	});

	describe("cohort", () => {
		it("posts the size and retention of the last cohorts", async () => {
			const a = await posted("/cohort", "3");
			expect(a.text).toContain("Cohort");
			expect(a.text).toContain("M6");
		});

		it("refuses a cohort count that is not a number", async () => {
			const a = await privately("/cohort", "six");
			expect(a.text).toContain("expected the number of cohorts, e.g. cohort 6");
		});
	});

	describe("stox", () => {
		it("posts the inventory summary", async () => {
			const a = await posted("/stox", "summary");
			expect(a.text).toContain("Inventory as of");
			expect(a.text).toContain("Materials (SKUs)");
		});

		it("answers an unknown report with the reports", async () => {
			const a = await privately("/stox", "forecast");
			expect(a.text).toContain("`forecast` is not a stox report.");
			expect(a.text).toContain("`stox reorder [--limit N]`");
		});
	});

	describe("query", () => {
		it("posts the list of named queries under its own title", async () => {
			const a = await posted("/query", "list");
			expect(titleOf(a.reply)).toBe("Analytics queries");
			expect(a.text).toContain("```\nsegmentation:");
			expect(a.text).toContain("revenue-by-month");
			expect(a.text).toContain("query run <name>");
		});

		it("runs a named query and posts its rows", async () => {
			const a = await posted("/query", "run revenue-by-month");
			expect(a.text).toContain("(revenue-by-month)");
			expect(a.text).toMatch(/\d+ rows?\n```/);
		});

		it("answers a misspelt query with the closest one", async () => {
			const a = await privately("/query", "run revenue-by-mnth");
			expect(a.text).toContain("unknown query 'revenue-by-mnth'");
			expect(a.text).toContain("did you mean revenue-by-month");
		});
	});

	describe("digest", () => {
		it("posts a preview of the weekly digest", async () => {
			const a = await posted("/digest", "--as-of 2026-10-31");
			expect(a.text).toContain("Preview: not posted.");
		});

		it("refuses a date that is not a date", async () => {
			const a = await privately("/digest", "--as-of yesterday");
			expect(a.text).toContain("expected a date like 2026-10-31");
		});
	});
});
