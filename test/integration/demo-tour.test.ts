import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCompute } from "../../src/analytics/compute/run.ts";
import { createLocalChannel } from "../../src/chat/local/channel.ts";
import { drainOutbox } from "../../src/chat/outbox.ts";
import { createRenderer } from "../../src/chat/payload.ts";
import { parseConfig } from "../../src/config/load.ts";
import { plantedEvents } from "../../src/demo/events.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import {
	runDemoTour,
	TOUR_MONITORS,
	TOUR_PAUSE_REASON,
} from "../../src/demo/tour.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { computeStox } from "../../src/inventory/compute.ts";
import { pulseTemplatesDir } from "../../src/paths.ts";
import { createPgAlertActions } from "../../src/pulse/engine/chat-actions.ts";
import {
	loadTemplates,
	type MonitorTemplate,
	syncTemplates,
} from "../../src/pulse/engine/templates.ts";
import { memoryLogger } from "../helpers/log.ts";
import { pngHeaderSize } from "../helpers/png.ts";
import { type PulseTestEnv, pulseTestEnv } from "../helpers/pulse.ts";
import { sourceFrom } from "../helpers/warehouse.ts";

/**
 * The first run of the zero-config demo, past ingest and compute: the tour installs the monitors
 * for the planted events, runs them as of the events' dates, and the alerts (each with its chart)
 * and the digest reach the local channel's outbox folder. Running it again changes nothing.
 */
describe("the demo tour on the default demo ERP", () => {
	const { log } = memoryLogger();
	let env: PulseTestEnv;
	let dir: string;
	let templates: MonitorTemplate[];
	const config = parseConfig("{}\n", "t.yaml", {}).config;
	const events = plantedEvents(config.demo.seed, undefined, config.demo.lines);
	const outbox = () => path.join(dir, "outbox");
	const drain = () =>
		drainOutbox({
			pool: env.deps.pool,
			channels: { local: createLocalChannel(outbox(), log) },
			render: createRenderer(createPgAlertActions(env.deps)),
			log,
			maxAttempts: 3,
		});

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-tour-"));
		const file = path.join(dir, "erp.sqlite");
		await generateDemoErp({
			file,
			seed: config.demo.seed,
			lines: config.demo.lines,
		});
		env = await pulseTestEnv("demo_tour");
		await runIngest(
			env.deps.pool,
			sourceFrom(
				`connection: {kind: sqlite, file: ${file}}\nmapping: demo-erp`,
				"demo",
			),
			{ log },
		);
		await runCompute(env.deps.pool, env.deps.sql, {
			trigger: "test",
			wait: true,
			log,
		});
		await computeStox(env.deps.pool, {
			config: config.stox,
			log,
			sql: env.deps.sql,
		});
		templates = loadTemplates(pulseTemplatesDir, env.deps.catalog);
		// As start-up does (main.ts): the template rows carry each template's chart.
		await syncTemplates(env.deps, templates);
	}, 600_000);

	afterAll(async () => {
		await env?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it("raises one alert per planted event it watches and queues the demo's last digest", async () => {
		const result = await runDemoTour(env.deps, env.deps.sql, config, templates);
		expect(result?.monitors.map((m) => [m.name, m.alert])).toEqual(
			TOUR_MONITORS.map((m) => [
				templates.find((t) => t.name === m.template)?.title,
				true,
			]),
		);
		// Due on Monday 2 November; the demo's data end on Saturday 2026-10-31, so the last week
		// the data cover whole is 19–25 October (the digest's own rule, collect.ts).
		expect(result?.digest).toEqual({ week: "2026-10-19", queued: 1 });
		const { rows } = await env.deps.pool.query<{
			name: string;
			paused_reason: string;
		}>("select name, paused_reason from pulse_monitors order by name");
		expect(rows).toHaveLength(TOUR_MONITORS.length);
		for (const r of rows) expect(r.paused_reason).toBe(TOUR_PAUSE_REASON);
	}, 300_000);

	it("delivers each alert with a chart of the entity it names, and the digest, to the local outbox", async () => {
		const outcomes = await drain();
		expect([...outcomes.values()]).toEqual(
			Array(TOUR_MONITORS.length + 1).fill("sent"),
		);
		const files = readdirSync(outbox());
		const texts = files
			.filter((f) => f.endsWith(".md"))
			.map((f) => readFileSync(path.join(outbox(), f), "utf8"));
		const alerts = texts.filter((t) => t.includes("Acknowledge"));
		expect(alerts).toHaveLength(TOUR_MONITORS.length);
		const named = (type: string) => {
			const e = events.find((x) => x.type === type);
			return e?.entityIds[0] as string;
		};
		for (const entity of [
			named("margin_drop"),
			named("stock_out"),
			named("silent_customer"),
		]) {
			const text = alerts.find((t) => t.includes(entity));
			expect(text, entity).toBeDefined();
			// The chart is of that entity: its name is in the chart's title, so in the alt text.
			expect(text).toMatch(new RegExp(`!\\[[^\\]]*${entity}`));
			expect(text).toContain("query v1");
		}
		// The silent customer's alert is as of 31 October: its chart runs to October, the month
		// that shows the silence, and the alert opens with a manager's sentence.
		const silent = alerts.find((t) => t.includes(named("silent_customer")));
		expect(silent).toMatch(
			/!\[Line chart: Revenue · \S+\. Revenue, Oct 2025 to Oct 2026: .*latest \$0 \(Oct 2026\)/,
		);
		expect(silent).toMatch(
			/\n\n.+ has not ordered since \d{1,2} \w+ 2026: \d+ days as of 31 October 2026/,
		);
		// The margin chart draws the average the drop is measured from.
		expect(alerts.find((t) => t.includes(named("margin_drop")))).toMatch(
			/!\[Line chart: Margin % · [^\]]*12-month average at \d+(\.\d)?%/,
		);
		// It says why within the region — its drivers, one dimension down — and offers Explain;
		// the alerts on a query with no catalog metric (the stock-out) have neither.
		const margin = alerts.find((t) => t.includes(named("margin_drop"))) ?? "";
		expect(margin).toMatch(
			new RegExp(
				`\\*\\*Why:\\*\\* within region ${named("margin_drop")}, by \\w+, (mostly|led by) `,
			),
		);
		expect(margin).toContain("Explain");
		expect(alerts.find((t) => t.includes(named("stock_out")))).not.toContain(
			"Explain",
		);
		// Observed in the quantity the rule is about, with its unit, not a bare number or row count.
		const observed = (entity: string) =>
			/\*\*Observed:\*\* ([^\n]+)/.exec(
				alerts.find((t) => t.includes(entity)) ?? "",
			)?.[1];
		expect(observed(named("margin_drop"))).toMatch(
			/^\d+\.\d points below average$/,
		);
		expect(observed(named("stock_out"))).toMatch(
			/^0 on hand \(usually \d+ sold a week\)$/,
		);
		expect(observed(named("silent_customer"))).toMatch(
			/^\d+ days without an order$/,
		);
		const pngs = files.filter((f) => f.endsWith(".png"));
		expect(pngs).toHaveLength(TOUR_MONITORS.length + 1);
		for (const f of pngs) {
			const png = pngHeaderSize(readFileSync(path.join(outbox(), f)));
			expect(png.width).toBeGreaterThan(300);
		}
		expect(
			texts.some((t) => t.includes("# Weekly digest · week of 19 Oct 2026")),
		).toBe(true);
		const { rows } = await env.deps.pool.query<{ n: number; drawn: number }>(
			"select count(*)::int as n, count(png)::int as drawn from pulse_alert_charts",
		);
		expect(rows[0]).toEqual({ n: 3, drawn: 3 });
	}, 120_000);

	it("changes nothing when it runs again (the hourly re-ingest sends it again)", async () => {
		const before = await env.deps.pool.query(
			"select (select count(*) from pulse_alerts) as alerts, (select count(*) from deliveries) as deliveries, (select count(*) from pulse_monitors) as monitors",
		);
		const again = await runDemoTour(env.deps, env.deps.sql, config, templates);
		expect(again?.monitors.every((m) => !m.replayed)).toBe(true);
		expect(again?.digest.queued).toBe(0);
		const after = await env.deps.pool.query(
			"select (select count(*) from pulse_alerts) as alerts, (select count(*) from deliveries) as deliveries, (select count(*) from pulse_monitors) as monitors",
		);
		expect(after.rows).toEqual(before.rows);
	});
});
