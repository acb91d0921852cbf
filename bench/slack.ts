/**
 * Benchmark of a chart command answered in Slack, end to end, on the demo warehouse.
 *
 *   DATABASE_URL=postgres://… node bench/slack.ts                     # 150k and 1M order lines, 50 runs
 *   DATABASE_URL=postgres://… node bench/slack.ts --sizes 150000 --runs 20
 *
 * Per size: the demo ERP is generated (seed 42) and loaded into a fresh database through the real
 * ingest, then compute runs (the load time is printed, not benchmarked). The real Bolt app then
 * listens on the bot's HTTP server as in production (HTTP receiver, signature check), its
 * WebClient pointed at the loopback Slack stand-in the tests use (test/helpers/slack-bot.ts).
 * One run: a signed `/correlate revenue customers` slash command (form-encoded, as Slack sends
 * it) is posted to the bot, timed from just before the request until the stand-in records
 * files.completeUploadExternal, i.e. the chart is in Slack (chat.postMessage follows; the next run
 * waits for it). Runs go one after another. "ack" is when the bot's HTTP 200 came back: Slack
 * wants it within 3 s.
 *
 * Baseline, in the same process on the same warehouse: the same work without Slack — the
 * dispatcher running the correlate command and rendering its chart, in-process. Each Slack run is
 * followed by one baseline run, so load from other processes on the machine falls on both alike.
 * ratio = Slack p50 / baseline p50: what signing, HTTP, Bolt and the files v2 upload add. The
 * first two pairs are not counted (fonts and vega warm up). Both use one chart renderer, as the
 * bot does (main.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { dispatch } from "../commands/dispatch.ts";
import { commands } from "../commands/index.ts";
import { commandServices } from "../commands/services.ts";
import type { CommandContext } from "../commands/types.ts";
import { createChartRenderer } from "../src/charts/index.ts";
import { parseConfig } from "../src/config/load.ts";
import type { Pool } from "../src/db/pool.ts";
import { generateDemoErp } from "../src/demo/index.ts";
import { createLogger } from "../src/log.ts";
import { type SlackBot, startSlackBot } from "../test/helpers/slack-bot.ts";
import { loadDemoWarehouse } from "../test/helpers/warehouse.ts";
import { quantile } from "./quantile.ts";
import { withScratchDatabase } from "./scratch-db.ts";

const WARM_UP = 2;
const COMMAND = "correlate revenue customers";

const log = createLogger({ level: "warn" });
const { config } = parseConfig("demo: {enabled: false}\n", "bench.yaml", {});

/** Timings of one size, in ms. */
interface Figures {
	lines: number;
	loadS: number;
	slack: number[];
	ack: number[];
	direct: number[];
	verdict: string;
}

/** One signed slash command: ms until the chart upload completes, and until the ack. */
async function slackRun(
	bot: SlackBot,
	n: number,
): Promise<{ ms: number; ackMs: number; verdict: string }> {
	const uploaded = bot.slack.next(
		(c) => c.method === "files.completeUploadExternal",
	);
	const posted = bot.slack.next((c) => c.method === "chat.postMessage");
	const [command, ...words] = COMMAND.split(" ");
	const started = performance.now();
	const res = await bot.slashCommand(`/${command}`, words.join(" "), `b${n}`);
	const ackMs = performance.now() - started;
	if (res.status !== 200) throw new Error(`the bot answered ${res.status}`);
	const done = await uploaded;
	const post = await posted;
	const verdict = /Verdict: ([^\\"]+)/.exec(JSON.stringify(post.args.blocks));
	return {
		ms: done.at - started,
		ackMs,
		verdict: verdict?.[1] ?? "no verdict",
	};
}

/** The same command without Slack: dispatch, run, chart render. */
async function directRun(ctx: Omit<CommandContext, "commands">) {
	const started = performance.now();
	const reply = await dispatch(commands, COMMAND, { ...ctx, now: new Date() });
	if (!reply.message.chart?.png)
		throw new Error(`no chart: ${reply.message.text}`);
	return performance.now() - started;
}

async function measure(pool: Pool, runs: number) {
	// As the bot does (main.ts): one chart renderer for the process, shared by every reply.
	const charts = createChartRenderer();
	const bot = await startSlackBot({
		pool,
		commands,
		context: { pool, config, charts },
		log,
	});
	const ctx = {
		...commandServices({ pool, config, charts, log }),
		user: { id: "U0BENCH" },
		channel: { kind: "local" as const, id: "bench" },
		now: new Date(),
		log,
	};
	try {
		const slack: number[] = [];
		const ack: number[] = [];
		const direct: number[] = [];
		let verdict = "";
		for (let i = 0; i < WARM_UP + runs; i++) {
			const r = await slackRun(bot, i);
			const ms = await directRun(ctx);
			if (i === 0) verdict = r.verdict;
			if (i < WARM_UP) continue;
			slack.push(r.ms);
			ack.push(r.ackMs);
			direct.push(ms);
		}
		return { slack, ack, direct, verdict };
	} finally {
		await bot.close();
		await charts.close();
	}
}

async function benchSize(
	adminUrl: string,
	lines: number,
	runs: number,
	dir: string,
): Promise<Figures> {
	const file = path.join(dir, `demo-${lines}.sqlite`);
	await generateDemoErp({ file, seed: 42, lines });
	return withScratchDatabase(
		adminUrl,
		`erp_pulse_bench_slack_${lines}_${process.pid}`,
		{ log, poolSize: 4 },
		async (pool) => {
			const loaded = performance.now();
			const run = await loadDemoWarehouse(pool, file, { log });
			const loadS = (performance.now() - loaded) / 1000;
			rmSync(file, { force: true });
			const m = await measure(pool, runs);
			const sort = (v: number[]) => [...v].sort((a, b) => a - b);
			return {
				lines: run.lines,
				loadS,
				slack: sort(m.slack),
				ack: sort(m.ack),
				direct: sort(m.direct),
				verdict: m.verdict,
			};
		},
	);
}

const cell = (cells: string[]) =>
	cells.map((c, i) => c.padStart(i === 0 ? 11 : 9)).join("  ");

function row(f: Figures): string {
	const ms = (v: number) => v.toFixed(0);
	const slackP50 = quantile(f.slack, 0.5);
	const directP50 = quantile(f.direct, 0.5);
	return cell([
		f.lines.toLocaleString("en-US"),
		f.loadS.toFixed(1),
		ms(slackP50),
		ms(quantile(f.slack, 0.95)),
		ms(f.slack[0] ?? Number.NaN),
		ms(f.slack.at(-1) ?? Number.NaN),
		ms(quantile(f.ack, 0.95)),
		ms(directP50),
		`${(slackP50 / directP50).toFixed(2)}x`,
	]);
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			sizes: { type: "string", default: "150000,1000000" },
			runs: { type: "string", default: "50" },
		},
		strict: true,
	});
	const sizes = String(values.sizes)
		.split(",")
		.map((s) => Number(s.trim()));
	const runs = Number(values.runs);
	const adminUrl = process.env.DATABASE_URL;
	if (!adminUrl) {
		console.error(
			"bench/slack.ts needs DATABASE_URL: a Postgres where it may create and drop databases.",
		);
		process.exitCode = 1;
		return;
	}
	console.log(
		`slack bench: node ${process.version}, ${availableParallelism()} cpus, demo ERP seed 42, ${runs} runs of /${COMMAND} per size (after ${WARM_UP} warm-up runs)`,
	);
	console.log(
		cell([
			"lines",
			"load s",
			"p50 ms",
			"p95 ms",
			"min ms",
			"max ms",
			"ack p95",
			"direct",
			"ratio",
		]),
	);
	const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-bench-slack-"));
	try {
		for (const lines of sizes) {
			const f = await benchSize(adminUrl, lines, runs, dir);
			console.log(
				`  ${lines.toLocaleString("en-US")}: /${COMMAND} → ${f.verdict}`,
			);
			console.log(row(f));
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	console.log(
		"p50…max = signed slash command sent → files.completeUploadExternal recorded by the stand-in; ack p95 = the bot's HTTP 200.",
	);
	console.log(
		"direct = p50 of the same command run and chart render without Slack (dispatch in-process); ratio = Slack p50 / direct p50.",
	);
}

await main();
