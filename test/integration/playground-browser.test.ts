/**
 * The playground in a real browser: Debian's chromium driven by playwright-core (which never
 * downloads a browser of its own), against the playground routes over a computed demo warehouse.
 * A command, a live alert from the outbox and a click on Acknowledge, as a person would do them.
 * The screenshot lands in test-artifacts/playground.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
	type Browser,
	chromium,
	type Locator,
	type Page,
} from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { deliver } from "../../jobs/deliver.ts";
import { enqueueMessage } from "../../src/chat/outbox.ts";
import type { Chat } from "../../src/chat/runtime.ts";
import { parseConfig } from "../../src/config/load.ts";
import type { Config } from "../../src/config/schema.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { loadSqlCatalog } from "../../src/db/sql-catalog.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { createMetrics } from "../../src/http/metrics.ts";
import { type HttpServer, startHttpServer } from "../../src/http/server.ts";
import { createMetricCatalog } from "../../src/metrics/index.ts";
import {
	migrationsDir,
	projectRoot,
	pulseTemplatesDir,
	sqlDir,
} from "../../src/paths.ts";
import { runMonitor } from "../../src/pulse/engine/run.ts";
import {
	addFromTemplate,
	loadTemplates,
	syncTemplates,
} from "../../src/pulse/engine/templates.ts";
import { botChat, insertAlert, pulseDepsFor } from "../helpers/chat.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { loadDemoWarehouse } from "../helpers/warehouse.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOT = path.join(projectRoot, "test-artifacts", "playground.png");

/** Fails, never skips, when the browser is missing, and says how to get it. */
function requireChromium(): void {
	if (!existsSync(CHROMIUM))
		throw new Error(
			`The playground browser test needs Chromium at ${CHROMIUM}, and it is not there. Install Debian's package: apt-get install chromium (as root; .ci/run does this), or point CHROMIUM_PATH at a Chromium binary.`,
		);
}

/** The page's window, as the callbacks run in the browser see it (the tests have no DOM types). */
type Win = {
	innerHeight: number;
	scrollY: number;
	document: { body: { scrollHeight: number } };
	scrollTo(x: number, y: number): void;
	dispatchEvent(event: Event): boolean;
};

// At load time, so a missing browser fails the file outright instead of reporting skipped tests.
requireChromium();

describe("the playground in a browser", () => {
	const memory = memoryLogger();
	const { log } = memory;
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;
	let config: Config;
	let chat: Chat;
	let http: HttpServer;
	let browser: Browser;
	let page: Page;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-playground-ui-"));
		const erp = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file: erp, seed: 5, lines: 5_000 });
		db = await createTestDatabase("playground_ui");
		pool = createPool(db.url, log, { max: 6 });
		await migrate(pool, migrationsDir, log);
		await loadDemoWarehouse(pool, erp, { log });
		config = parseConfig(
			`demo: {enabled: false}\nchat: {outboxDir: "${path.join(dir, "outbox")}", playground: {enabled: true}}\n`,
			"t.yaml",
			{},
		).config;
		chat = await botChat({ config, env: { USER: "ana" }, pool, log, commands });
		http = await startHttpServer({
			host: "127.0.0.1",
			port: 0,
			log,
			metrics: createMetrics(),
			health: async () => ({ ok: true }),
			routes: chat.routes,
		});
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: [
				"--headless",
				"--no-sandbox",
				"--disable-gpu",
				"--disable-background-networking",
			],
		});
		page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
	}, 240_000);

	afterAll(async () => {
		await browser?.close();
		await http?.close();
		await pool?.end();
		await db?.drop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	/** Runs the bot's deliver job once, as pg-boss would. */
	const runDeliverJob = () =>
		deliver.handler(
			{},
			{
				pool,
				config,
				sql: loadSqlCatalog(sqlDir),
				catalog: createMetricCatalog(config),
				env: {},
				chat: chat.runtime,
				send: async () => null,
				log,
				signal: new AbortController().signal,
				jobId: "test",
				attempt: 1,
			},
		);

	/** True when the element is at least partly inside the viewport. */
	const inView = (el: Locator) =>
		el.evaluate((e) => {
			const r = e.getBoundingClientRect();
			return r.bottom > 0 && r.top < (globalThis as unknown as Win).innerHeight;
		});

	/** Types a command, sends it, and waits for the reply that names `title`. */
	async function send(text: string, afterEnter?: () => Promise<unknown>) {
		const before = await page.locator(".entry").count();
		await page.getByLabel("Command").fill(text);
		await page.keyboard.press("Enter");
		await afterEnter?.();
		await expect.poll(() => page.locator(".entry").count()).toBe(before + 1);
		const reply = page.locator(".entry").last();
		// Wait for its chart to finish loading (the page grows then), not for it to be in view.
		await expect
			.poll(() =>
				reply.evaluate((e) =>
					[...e.querySelectorAll("img")].every((i) => i.complete),
				),
			)
			.toBe(true);
		return reply;
	}

	it("opens the page and goes live", async () => {
		await page.goto(`http://127.0.0.1:${http.port}/playground`);
		await expect
			.poll(() => page.locator("#connection").textContent())
			.toBe("Live");
		expect(await page.getByLabel("Command").count()).toBe(1);
	});

	it("answers /correlate revenue customers with its verdict and a chart that loads", async () => {
		await page.getByLabel("Command").fill("/correlate revenue customers");
		await page.getByRole("button", { name: "Send" }).click();
		const reply = page.locator(".entry", {
			hasText: "revenue (USD) vs active customers",
		});
		await reply.waitFor({ timeout: 30_000 });
		// The verdict is prose, wrapped to the card; only the table of statistics is fixed-width.
		const prose = reply.locator(".msg-text");
		expect(await prose.textContent()).toMatch(/^Verdict: /);
		expect(await prose.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(
			true,
		);
		const pre = await reply.locator(".msg-pre").textContent();
		expect(pre).not.toContain("Verdict: ");
		expect(pre).toMatch(/^Pearson r {2,}/);
		// The answer came into view: the reader pressed Send and sees it without scrolling.
		expect(await inView(reply)).toBe(true);
		const img = reply.locator(".msg-chart img");
		expect(await img.getAttribute("alt")).toMatch(
			/^Dual-axis line chart: Revenue and active customers\./,
		);
		// Loaded, not just present: a broken image is complete with naturalWidth 0.
		const loadedWidth = () =>
			img.evaluate((el) => {
				const i = el as unknown as { complete: boolean; naturalWidth: number };
				return i.complete ? i.naturalWidth : -1;
			});
		await expect.poll(loadedWidth).toBe(960);
	});

	it("shows an unknown command's error to this page only", async () => {
		await page.getByLabel("Command").fill("/corelate revenue");
		await page.keyboard.press("Enter");
		const note = page.locator(".entry.ephemeral", {
			hasText: "Unknown command",
		});
		await note.waitFor();
		expect(await note.textContent()).toContain("Did you mean correlate?");
		expect(await note.locator(".meta").textContent()).toContain(
			"Only visible to you",
		);
	});

	it("shows an alert live as the deliver job sends it, and edits it when Acknowledge is clicked", async () => {
		const { alertId, monitorId } = await insertAlert(pool, "Gross margin West");
		await enqueueMessage(pool, {
			key: `test:alert:${alertId}`,
			kind: "alert",
			to: { kind: "local", id: "pulse" },
			alertId,
			payload: {
				source: "pulse",
				event: "alert_opened",
				notify: true,
				text: "Gross margin West is below 28%",
				monitor: { id: monitorId, name: "Gross margin West" },
				alert: {
					id: alertId,
					severity: "high",
					detail: "below 28%",
					observed: 0.138,
				},
			},
		});
		await runDeliverJob();
		const alert = page.locator(".entry", { hasText: "Gross margin West" });
		await alert.waitFor();
		expect(await alert.locator(".meta").textContent()).toMatch(/^#pulse · /);
		await alert.getByRole("button", { name: "Acknowledge" }).click();
		await expect
			.poll(() =>
				alert
					.locator(".msg-status")
					.textContent()
					.catch(() => null),
			)
			.toMatch(/^Acknowledged by ana at \d\d:\d\d UTC$/);
		expect(
			await alert.getByRole("button", { name: "Acknowledge" }).count(),
		).toBe(0);
		expect(
			await alert.getByRole("button", { name: "Real issue" }).count(),
		).toBe(1);
		const { rows } = await pool.query<{ by: string }>(
			"select acknowledged_by as by from pulse_alerts where id = $1",
			[alertId],
		);
		expect(rows[0]?.by).toBe("ana");
		// The queued alert_update reaches the same message through the outbox, not as a new one.
		await runDeliverJob();
		expect(
			await page.locator(".entry", { hasText: "Gross margin West" }).count(),
		).toBe(1);
	});

	it("posts the breakdown in the alert's thread when Explain is clicked on the Margin anomaly alert", async () => {
		const deps = pulseDepsFor(pool, log);
		const templates = loadTemplates(pulseTemplatesDir, deps.catalog);
		await syncTemplates(deps, templates);
		const monitor = await addFromTemplate(
			deps,
			templates,
			"margin-drop-by-region",
			{},
			{ channels: ["local:pulse"] },
		);
		const run = await runMonitor(deps, monitor.row.id, {
			now: new Date("2026-11-01T06:00:00Z"),
		});
		expect(run.alertId).toBeTruthy();
		await runDeliverJob();
		const alert = page.locator(".entry", {
			hasText: "Margin anomaly by region",
		});
		await alert.waitFor();
		expect(await alert.textContent()).toContain("Why");
		const replies = () => page.locator(".entry.reply").count();
		const before = await replies();
		await alert.getByRole("button", { name: "Explain" }).click();
		// The click queues the breakdown; the deliver job posts it in the thread.
		await expect
			.poll(async () => {
				await runDeliverJob();
				return replies();
			})
			.toBe(before + 1);
		const reply = page.locator(".entry.reply").last();
		expect(await reply.textContent()).toMatch(
			/Margin % in region \w+ (fell|rose) in Oct 2026 vs Sep 2026/,
		);
		await expect
			.poll(() =>
				reply.evaluate((e) =>
					[...e.querySelectorAll("img")].some(
						(i) => i.complete && i.naturalWidth > 0,
					),
				),
			)
			.toBe(true);
		// A second click says the breakdown is there and posts nothing more.
		await alert.getByRole("button", { name: "Explain" }).click();
		await runDeliverJob();
		expect(await replies()).toBe(before + 1);
	});

	it("brings each new reply into view on a long page, and opens a reloaded page at the newest message", async () => {
		for (const months of [3, 6, 9, 12])
			await send(`/metric revenue last ${months} months`);
		expect(
			await page.evaluate(() => {
				const w = globalThis as unknown as Win;
				return w.document.body.scrollHeight > 2 * w.innerHeight;
			}),
		).toBe(true);
		// The reader scrolls up to read, then asks again: the answer still comes into view.
		await page.evaluate(() => (globalThis as unknown as Win).scrollTo(0, 0));
		// On a loaded machine the scroll event of that scroll can arrive after Enter: fire one
		// then, while the command runs. It must not take back "the answer comes into view".
		const last = await send("/metric orders last 4 months", () =>
			page.evaluate(() =>
				(globalThis as unknown as Win).dispatchEvent(new Event("scroll")),
			),
		);
		expect(await inView(last)).toBe(true);
		await page.reload();
		await expect
			.poll(() => page.locator("#connection").textContent())
			.toBe("Live");
		await expect
			.poll(() =>
				page.evaluate(() => {
					const w = globalThis as unknown as Win;
					return w.innerHeight + w.scrollY >= w.document.body.scrollHeight - 40;
				}),
			)
			.toBe(true);
	});

	it("saves a screenshot of the page", async () => {
		mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
		await page.screenshot({ path: SCREENSHOT, fullPage: true });
		expect(existsSync(SCREENSHOT)).toBe(true);
	});
});
