import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalChannel } from "../../src/chat/local/channel.ts";
import { drainOutbox } from "../../src/chat/outbox.ts";
import { createRenderer } from "../../src/chat/payload.ts";
import { parseConfig } from "../../src/config/load.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { loadSqlCatalog } from "../../src/db/sql-catalog.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { collectDigest } from "../../src/digest/collect.ts";
import { composeDigest } from "../../src/digest/compose.ts";
import { sendDigest } from "../../src/digest/send.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { createMetricCatalog } from "../../src/metrics/index.ts";
import { migrationsDir, sqlDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { sourceFrom } from "../helpers/warehouse.ts";

describe("the weekly digest on the demo ERP", () => {
	const { log } = memoryLogger();
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;
	const catalog = createMetricCatalog();

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-digest-"));
		const erp = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file: erp, seed: 9, lines: 20_000 });
		db = await createTestDatabase("digest");
		pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
		await runIngest(
			pool,
			sourceFrom(`connection: {kind: sqlite, file: ${erp}}\nmapping: demo-erp`),
			{ log },
		);
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	const config = parseConfig("demo: {enabled: false}\n", "t.yaml", {}).config;

	it("reports the last complete week, with revenue and orders that tie out to the order lines", async () => {
		const data = await collectDigest(pool, catalog, config, {
			asOf: new Date(),
			staleAfterDays: 8,
		});
		// The demo ends on Saturday 2026-10-31, so the last complete Monday–Sunday week is 19–25 October.
		expect(data.week).toEqual({ start: "2026-10-19", end: "2026-10-25" });
		expect(data.stale).toEqual([]);
		const sums = await pool.query<{
			week: string;
			revenue: string;
			orders: number;
			last: string;
			year: string;
		}>(
			`select to_char(sum(net_sales) filter (where posting_date between '2026-10-19' and '2026-10-25'), 'FM999,999,999') as week,
			        count(distinct order_number) filter (where posting_date between '2026-10-19' and '2026-10-25' and not is_cancellation)::int as orders,
			        sum(net_sales) filter (where posting_date between '2026-10-12' and '2026-10-18')::text as last,
			        sum(net_sales) filter (where posting_date between '2025-10-20' and '2025-10-26')::text as year
			   from transaction_data`,
		);
		const s = sums.rows[0];
		const revenue = data.kpis.find((k) => k.metric === "revenue");
		expect(revenue?.current).toBe(`$${s?.week}`);
		const weekValue = Number(String(s?.week).replace(/,/g, ""));
		expect(revenue?.changePct).toBeCloseTo(
			((weekValue - Number(s?.last)) / Number(s?.last)) * 100,
			0,
		);
		expect(revenue?.yoyPct).toBeCloseTo(
			((weekValue - Number(s?.year)) / Number(s?.year)) * 100,
			0,
		);
		expect(data.kpis.find((k) => k.metric === "orders")?.current).toBe(
			String(s?.orders),
		);
		expect(data.kpis.find((k) => k.metric === "margin_pct")?.changeUnit).toBe(
			"pp",
		);
		expect(data.movers.length).toBeGreaterThan(0);
		// Movers come from the explain engine; each region mover's change ties out to its order lines.
		const byRegion = await pool.query<{ region: string; change: number }>(
			`select region, (sum(net_sales) filter (where posting_date between '2026-10-19' and '2026-10-25')
				- coalesce(sum(net_sales) filter (where posting_date between '2026-10-12' and '2026-10-18'), 0))::float8 as change
			   from transaction_data where posting_date between '2026-10-12' and '2026-10-25' group by region`,
		);
		const regionMovers = data.movers.filter((m) => m.dimension === "region");
		expect(regionMovers.length).toBeGreaterThan(0);
		for (const m of regionMovers) {
			const sql = byRegion.rows.find((r) => r.region === m.member)?.change;
			const shown = Number(m.change.replace(/[^\d.]/g, "")) * (m.up ? 1 : -1);
			expect(shown, m.member).toBeCloseTo(Math.round(sql ?? Number.NaN), 0);
		}
		expect(data.notes).toContain(
			"segment: segments not computed yet — run erp-pulse compute",
		);
		expect(composeDigest(data).title).toBe(
			"Weekly digest · week of 19 Oct 2026",
		);
	});

	it("lists the week's alerts with the feedback people gave", async () => {
		const { rows } = await pool.query<{ id: string }>(
			"insert into pulse_monitors (name, alert_condition) values ('Gross margin West', '{}') returning id",
		);
		const monitor = rows[0]?.id;
		await pool.query(
			`insert into pulse_alerts (monitor_id, severity, message, detected_at, feedback, acknowledged, acknowledged_by)
			 values ($1, 'high', 'margin 13.8% is below 28%', '2026-10-21 10:00Z', 'true_positive', true, 'ana'),
			        ($1, 'low', 'the week before', '2026-10-18 23:30Z', null, false, null),
			        ($1, 'low', 'the week after', '2026-10-26 00:30Z', null, false, null)`,
			[monitor],
		);
		// The week in the heading (19–25 October) is the week whose alerts are listed, whenever
		// the digest is composed.
		const data = await collectDigest(pool, catalog, config, {
			asOf: new Date(),
			staleAfterDays: 8,
		});
		expect(data.week).toEqual({ start: "2026-10-19", end: "2026-10-25" });
		expect(data.alerts).toEqual([
			{
				monitor: "Gross margin West",
				severity: "high",
				message: "margin 13.8% is below 28%",
				detectedAt: expect.any(String),
				feedback: "real",
				acknowledgedBy: "ana",
			},
		]);
	});

	it("reports the week --as-of names, and its alerts", async () => {
		// No freshness check here: a digest as of a past day is a replay of history.
		const staleAfterDays = 100_000;
		const june = await collectDigest(pool, catalog, config, {
			asOf: new Date("2026-06-08T23:59:59Z"),
			staleAfterDays,
		});
		expect(june.week).toEqual({ start: "2026-06-01", end: "2026-06-07" });
		expect(june.alerts).toEqual([]);
		const sunday = await collectDigest(pool, catalog, config, {
			asOf: new Date("2026-10-25T23:59:59Z"),
			staleAfterDays,
		});
		expect(sunday.week).toEqual({ start: "2026-10-19", end: "2026-10-25" });
		expect(sunday.alerts.map((a) => a.message)).toEqual([
			"margin 13.8% is below 28%",
		]);
		const next = await collectDigest(pool, catalog, config, {
			asOf: new Date("2026-11-02T08:00:00Z"),
			staleAfterDays,
		});
		expect(next.week).toEqual({ start: "2026-10-19", end: "2026-10-25" });
	});

	it("is queued once per week in the outbox, with a revenue chart, and delivered to the local channel", async () => {
		const sql = loadSqlCatalog(sqlDir);
		const first = await sendDigest(pool, sql, config, {
			asOf: new Date(),
			log,
			catalog,
		});
		const again = await sendDigest(pool, sql, config, {
			asOf: new Date(),
			log,
			catalog,
		});
		expect(first).toEqual({ week: "2026-10-19", stale: false, queued: 1 });
		expect(again.queued).toBe(0);
		const outbox = path.join(dir, "outbox");
		const outcomes = await drainOutbox({
			pool,
			channels: { local: createLocalChannel(outbox, log) },
			render: createRenderer(),
			log,
			maxAttempts: 3,
		});
		expect([...outcomes.values()]).toEqual(["sent"]);
		const files = readdirSync(outbox);
		const md = files.find((f) => f.endsWith(".md"));
		expect(files.some((f) => f.endsWith(".png"))).toBe(true);
		const text = readFileSync(path.join(outbox, md ?? ""), "utf8");
		expect(text).toContain("# Weekly digest · week of 19 Oct 2026");
		expect(text).toMatch(/!\[Line chart: Revenue by week/);
	});

	it("is skipped with a note when no ingest has delivered data for longer than allowed", async () => {
		const later = new Date(Date.now() + 10 * 86_400_000);
		const data = await collectDigest(pool, catalog, config, {
			asOf: later,
			staleAfterDays: 8,
		});
		expect(data.stale).toEqual([
			expect.stringMatching(
				/^no ingest has delivered data since \d{4}-\d{2}-\d{2} \(more than 8 days\)$/,
			),
		]);
		expect(data.kpis).toEqual([]);
		expect(composeDigest(data).title).toBe(
			"Weekly digest skipped: the data is not fresh",
		);
	});
});
