import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands as registry } from "../../commands/index.ts";
import { runCli } from "../../src/cli.ts";
import { parseConfig } from "../../src/config/load.ts";
import { configSchema } from "../../src/config/schema.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { AppError } from "../../src/errors.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { migrationsDir } from "../../src/paths.ts";
import {
	BAD_CHAT,
	BAD_CLI,
	BAD_CONFIG,
	BAD_CSV_ROWS,
} from "../fixtures/bad-input.ts";
import { insertAlert } from "../helpers/chat.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { databaseChecksum } from "../helpers/pulse.ts";
import {
	FORM,
	type SlackBot,
	slashCommandBody,
	startSlackBot,
} from "../helpers/slack-bot.ts";
import { loadDemoWarehouse, sourceFrom } from "../helpers/warehouse.ts";

/** Every text a Slack reply shows (its text and the text of its blocks), markup undone. */
function shownText(value: unknown): string {
	const out: string[] = [];
	const walk = (v: unknown, key?: string) => {
		if (typeof v === "string") {
			if (key === "text") out.push(v);
		} else if (Array.isArray(v)) for (const x of v) walk(x);
		else if (v && typeof v === "object")
			for (const [k, x] of Object.entries(v)) walk(x, k);
	};
	walk(value);
	return out
		.join("\n")
		.replace(/\\([_*~`<>])/g, "$1")
		.replaceAll("&lt;", "<")
		.replaceAll("&gt;", ">")
		.replaceAll("&amp;", "&");
}

/**
 * The database's state as a user sees it. `pulse create` logs every sentence typed to
 * pulse_query_history, understood or not (what people ask for is how the parser improves), so
 * that attempt log is left out: everything else must be byte-for-byte as it was.
 */
async function stateChecksum(pool: Pool): Promise<Record<string, string>> {
	const { pulse_query_history: _log, ...rest } = await databaseChecksum(pool);
	return {
		...rest,
		"(sequences)": (rest["(sequences)"] ?? "").replace(
			/pulse_query_history_id_seq:\d*/,
			"",
		),
	};
}

describe("bad input: each case ends in a sentence that names what was wrong, and changes nothing", () => {
	const { log } = memoryLogger();
	let db: TestDatabase;
	let pool: Pool;
	let dir: string;
	let erp: string;
	let ids: { monitor: string; alert: string };

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-bad-input-"));
		erp = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file: erp, seed: 5, lines: 3_000 });
		db = await createTestDatabase("bad_input");
		pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
		await loadDemoWarehouse(pool, erp, { log });
		const { monitorId, alertId } = await insertAlert(pool);
		ids = { monitor: monitorId, alert: alertId };
	});

	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it(`answers ${BAD_CHAT.length} bad chat commands sent through Slack with a private reply that says what to fix`, async () => {
		const bot: SlackBot = await startSlackBot({
			pool,
			commands: registry,
			context: { pool, config: configSchema.parse({}) },
			log,
		});
		try {
			const before = await stateChecksum(pool);
			const wrong: string[] = [];
			for (const [i, [template, expected]] of BAD_CHAT.entries()) {
				const text = template
					.replace("{monitor}", ids.monitor)
					.replace("{alert}", ids.alert);
				const id = `case-${i}`;
				const replied = bot.slack
					.next((c) => c.path === `/respond/${id}`, 10_000)
					.catch(() => undefined);
				const res = await bot.send(
					slashCommandBody(
						"/erp-pulse",
						text,
						`${bot.slack.url}/respond/${id}`,
					),
					FORM,
				);
				const reply = await replied;
				const shown = shownText(reply?.args);
				const label = JSON.stringify(text.slice(0, 80));
				if (res.status !== 200) wrong.push(`${label}: HTTP ${res.status}`);
				else if (!reply) wrong.push(`${label}: no reply within 10 s`);
				else if (reply.args.response_type !== "ephemeral")
					wrong.push(`${label}: the reply was posted in the channel`);
				else if (/went wrong on our side/.test(shown))
					wrong.push(`${label}: answered as our fault: ${shown}`);
				else if (!expected.test(shown))
					wrong.push(`${label}: expected ${expected}, got: ${shown}`);
			}
			expect(wrong).toEqual([]);
			expect(await stateChecksum(pool)).toEqual(before);
		} finally {
			await bot.close();
		}
	});

	it(`refuses ${BAD_CLI.length} bad command lines with exit 1 or 2 and one sentence, no stack trace`, async () => {
		writeFileSync(path.join(dir, "notes.png"), "not a picture\n");
		writeFileSync(path.join(dir, "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
		writeFileSync(path.join(dir, "bad.yaml"), "http:\n  port: 99999\n");
		const config = path.join(dir, "erp-pulse.yaml");
		writeFileSync(
			config,
			`demo: {enabled: false}\nsources:\n  erp:\n    connection: {kind: sqlite, file: ${erp}}\n    mapping: demo-erp\n`,
		);
		const before = await stateChecksum(pool);
		const wrong: string[] = [];
		for (const [template, expected] of BAD_CLI) {
			const argv = template.map((a) => a.replace("{dir}", dir));
			const lines: string[] = [];
			const code = await runCli(argv, {
				out: (l) => lines.push(l),
				err: (l) => lines.push(l),
				env: {
					PATH: process.env.PATH,
					DATABASE_URL: db.url,
					ERP_PULSE_CONFIG: config,
				},
			});
			const printed = lines.join("\n");
			const label = JSON.stringify(argv);
			if (code !== 1 && code !== 2) wrong.push(`${label}: exit ${code}`);
			else if (/\n\s+at /.test(printed))
				wrong.push(`${label}: printed a stack trace: ${printed}`);
			else if (/went wrong on our side/.test(printed))
				wrong.push(`${label}: answered as our fault: ${printed}`);
			else if (!expected.test(printed))
				wrong.push(`${label}: expected ${expected}, got: ${printed}`);
		}
		expect(wrong).toEqual([]);
		expect(await stateChecksum(pool)).toEqual(before);
		// The files a typo in --out pointed at are as they were.
		expect(
			(await import("node:fs")).readFileSync(path.join(dir, "passwd"), "utf8"),
		).toBe("root:x:0:0:root:/root:/bin/sh\n");
	});

	it(`refuses ${BAD_CONFIG.length} bad config files, naming the key and what is allowed`, () => {
		const wrong: string[] = [];
		for (const [yaml, expected] of BAD_CONFIG) {
			const label = JSON.stringify(yaml.slice(0, 80));
			try {
				parseConfig(yaml, "erp-pulse.yaml", {});
				wrong.push(`${label}: accepted`);
			} catch (err) {
				const message = (err as Error).message;
				if (!(err instanceof AppError) || err.code !== "config_invalid")
					wrong.push(`${label}: not a config error: ${message}`);
				else if (!expected.test(message))
					wrong.push(`${label}: expected ${expected}, got: ${message}`);
			}
		}
		expect(wrong).toEqual([]);
	});

	it(`rejects ${BAD_CSV_ROWS.length} bad CSV order lines, each with its reason, and loads every good line beside them`, async () => {
		const csv = path.join(dir, "csv");
		mkdirSync(csv, { recursive: true });
		const good = Array.from(
			{ length: 40 },
			(_, n) =>
				`GOOD${n},1,C${n % 7},M${n % 5},2025-0${1 + (n % 9)}-1${n % 10},${(n * 3.25).toFixed(2)},${(n % 4) + 1},${(n * 1.5).toFixed(2)},false`,
		);
		writeFileSync(
			path.join(csv, "lines.csv"),
			`${[
				"Order,Line,Customer,Item,Date,Amount,Qty,Cost,Cancel",
				...good,
				...BAD_CSV_ROWS.map(([row]) => row),
			].join("\n")}\n`,
		);
		const mapping = path.join(dir, "lines.yaml");
		writeFileSync(
			mapping,
			"entities:\n  order_lines:\n    from: {table: lines}\n    columns: {order_number: Order, line_number: Line, customer: Customer, material_number: Item, posting_date: Date, net_sales: Amount, inv_quantity_cases: Qty, total_cogs: Cost, is_cancellation: Cancel}\n",
		);
		const run = await runIngest(
			pool,
			sourceFrom(
				`connection: {kind: csv, path: ${csv}}\nmapping: ${mapping}\nmaxRejectShare: 0.9`,
				"csvfeed",
			),
			{ log },
		);
		expect(run.rejected).toBe(BAD_CSV_ROWS.length);
		const rejects = await pool.query<{ reason: string; raw: string }>(
			`select reason, coalesce(source_row->>'raw', source_row->>'Order') as raw
			   from ingest_rejects where run_id = $1`,
			[run.runId],
		);
		expect(rejects.rows).toHaveLength(BAD_CSV_ROWS.length);
		const wrong: string[] = [];
		for (const [i, [row, expected]] of BAD_CSV_ROWS.entries()) {
			const order = row.split(",")[0] ?? "";
			const found = rejects.rows.filter((r) =>
				order === ""
					? r.raw === null
					: r.raw === order.replaceAll("\0", "␀") ||
						r.raw?.startsWith(`${order},`),
			);
			const label = JSON.stringify(row.slice(0, 60));
			if (found.length !== 1)
				wrong.push(`${label}: ${found.length} rejects found for it`);
			else {
				// Each reason starts with the file's line: the header is line 1, the 40 good lines
				// 2–41, and the bad ones follow in order.
				const reason = found[0]?.reason ?? "";
				const at = `line ${42 + i}: `;
				if (!reason.startsWith(at))
					wrong.push(`${label}: expected it to start "${at}", got: ${reason}`);
				else if (!expected.test(reason.slice(at.length)))
					wrong.push(`${label}: expected ${expected}, got: ${reason}`);
			}
		}
		expect(wrong).toEqual([]);
		const loaded = await pool.query<{ order_number: string }>(
			"select order_number from transaction_data where source = 'csvfeed' order by order_number",
		);
		expect(loaded.rows.map((r) => r.order_number)).toEqual(
			good.map((g) => g.split(",")[0]).sort(),
		);
	});
});
