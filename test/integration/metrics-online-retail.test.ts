import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { migrationsDir } from "../../src/paths.ts";
import { ONLINE_RETAIL } from "../helpers/datasets.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { runCli } from "../helpers/process.ts";
import { onlineRetailSource } from "../helpers/warehouse.ts";

/**
 * The catalog on a real dataset without a cost column, stock or quotes (UCI Online Retail,
 * 2010-12-01 to 2011-12-09): correlation gives a verdict, margin metrics say "no cost data".
 */
describe("metrics and correlation on the UCI Online Retail dataset", () => {
	const { log } = memoryLogger();
	let db: TestDatabase;
	let pool: Pool;
	const env = () => ({ DATABASE_URL: db.url });

	beforeAll(async () => {
		if (!existsSync(ONLINE_RETAIL))
			throw new Error(`${ONLINE_RETAIL} is missing from the repository`);
		db = await createTestDatabase("metrics_retail");
		pool = createPool(db.url, log, { max: 2 });
		await migrate(pool, migrationsDir, log);
		await runIngest(pool, onlineRetailSource(), { log });
	}, 300_000);
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
	});

	it("prints a verdict for revenue against customers over the 12 complete months", async () => {
		const r = await runCli(["correlate", "revenue", "customers"], env());
		console.log(r.stdout);
		expect(r.code).toBe(0);
		expect(r.stdout).toContain(
			"revenue (USD) vs active customers (customers): 12 months, 2010-12-01 to 2011-11-01",
		);
		expect(r.stdout).toMatch(/^Verdict: /m);
		expect(r.stdout).toContain("revenue is built from active customers");
	}, 60_000);

	it("counts November 2011's active customers as compute does: a zero-value line is not an order", async () => {
		// 1,664 customers bought in November 2011; one more has only a zero-price line that month,
		// which the metric counted (1,665) while compute did not (README, "Definitions").
		const r = await runCli(
			[
				"metric",
				"active_customers",
				"--since",
				"2011-11-01",
				"--until",
				"2011-11-30",
			],
			env(),
		);
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/2011-11\S*\s+1,664\b/);
		const { rows } = await pool.query<{ buyers: number; with_free: number }>(
			`select count(distinct customer) filter (where not is_cancellation and net_sales > 0)::int as buyers,
				count(distinct customer) filter (where not is_cancellation)::int as with_free
			from transaction_data where posting_date >= '2011-11-01' and posting_date < '2011-12-01'`,
		);
		expect(rows[0]).toEqual({ buyers: 1664, with_free: 1665 });
	}, 60_000);

	it("says there is no cost data for margin metrics instead of printing zeros", async () => {
		const margin = await runCli(["metric", "gross_margin"], env());
		expect(margin.code).toBe(0);
		expect(margin.stdout).toContain("gross margin: no cost data");
		expect(margin.stdout).not.toMatch(/\$0\b/);
		const pair = await runCli(["correlate", "revenue", "margin_pct"], env());
		expect(pair.code).toBe(1);
		expect(pair.stderr).toContain("margin %: no cost data");
	}, 60_000);

	it("ranks what can be computed against revenue and lists what cannot, and why", async () => {
		const r = await runCli(["correlate", "revenue"], env());
		console.log(r.stdout);
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/q \(BH\)/);
		expect(r.stdout).toMatch(/gross margin: no cost data/);
		expect(r.stdout).toMatch(/quotes: no quote data/);
		expect(r.stdout).toMatch(/inventory value: no stock data/);
	}, 120_000);
});
