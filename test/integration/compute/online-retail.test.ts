import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../../../src/db/pool.ts";
import { runIngest } from "../../../src/ingest/run.ts";
import { ONLINE_RETAIL } from "../../helpers/datasets.ts";
import { memoryLogger } from "../../helpers/log.ts";
import { runCli } from "../../helpers/process.ts";
import { onlineRetailSource } from "../../helpers/warehouse.ts";
import { freshWarehouse } from "./helpers.ts";

/**
 * `erp-pulse compute` on the real UCI Online Retail file, loaded through the shipped mapping.
 * Expected figures computed independently with pandas 1.5.3 and exact decimals over the same file
 * by test/fixtures/online-retail-rfm.py (analysis date 2011-12-10; 4,372 customers, 4,338 with an
 * order; customer-line revenue 8,300,065.814, 8,300,065.81 in cents; customer 17850: monetary 5,288.63, 34 orders, last
 * 373 days before the analysis date, scores 155; customer 12347: 4,310.00, 7 orders, 3 days, 555;
 * first cohorts 885, 417, 380, 452, 300). The same comparison over all 4,338 customers found no
 * difference in monetary, frequency, recency or any of the three scores.
 */
describe("compute on the UCI Online Retail dataset", () => {
	const { log } = memoryLogger();
	let pool: Pool;
	let url: string;
	let drop: () => Promise<void>;
	let cli: { code: number | null; stdout: string; stderr: string };

	beforeAll(async () => {
		if (!existsSync(ONLINE_RETAIL))
			throw new Error(`${ONLINE_RETAIL} is missing from the repository`);
		({ pool, url, drop } = await freshWarehouse("compute_retail", log));
		await runIngest(pool, onlineRetailSource(), { log });
		cli = await runCli(["compute"], { DATABASE_URL: url });
	}, 900_000);
	afterAll(async () => drop?.());

	it("completes through the CLI, saying what it built and what the data lacks", () => {
		expect(cli.code, cli.stderr).toBe(0);
		expect(cli.stdout).toContain(
			"540571 order lines, 4338 customers with orders, analysis date 2011-12-10",
		);
		expect(cli.stdout).toMatch(/segment_performance\s+18\s/);
		expect(cli.stdout).toContain(
			"note: 133742 of 540571 order lines have no customer",
		);
		expect(cli.stdout).toContain(
			"note: 540571 of 540571 order lines have no margin or cost",
		);
	});

	it("matches the pandas figures for customers 17850 and 12347", async () => {
		const { rows } = await pool.query(
			`select customer, monetary, frequency, recency, rfm_score, rfm_segment from customer_master
			 where source = 'retail' and customer in ('17850', '12347') order by customer`,
		);
		expect(rows).toEqual([
			{
				customer: "12347",
				monetary: "4310.00",
				frequency: 7,
				recency: 3,
				rfm_score: "555",
				rfm_segment: "Champions",
			},
			{
				customer: "17850",
				monetary: "5288.63",
				frequency: 34,
				recency: 373,
				rfm_score: "155",
				rfm_segment: "Can't Lose Them",
			},
		]);
	});

	it("counts customers, segment revenue and the first cohorts as pandas does", async () => {
		const segments = await pool.query(
			`select sum(customer_count)::int as customers, sum(monetary_sum)::text as revenue,
			 sum(customer_count) filter (where segment_name = 'No Orders')::int as no_orders
			 from segment_performance where segment_type = 'RFM_Segment'`,
		);
		expect(segments.rows[0]).toEqual({
			customers: 4372,
			revenue: "8300065.81",
			no_orders: 34,
		});
		const cohorts = await pool.query(
			"select cohort_month::text as month, customer_count as n from cohort_sizes order by 1 limit 5",
		);
		expect(cohorts.rows).toEqual([
			{ month: "2010-12-01", n: 885 },
			{ month: "2011-01-01", n: 417 },
			{ month: "2011-02-01", n: 380 },
			{ month: "2011-03-01", n: 452 },
			{ month: "2011-04-01", n: 300 },
		]);
	});

	it("leaves profit classes out for data without costs, and takes the revenue class as the combined one", async () => {
		const { rows } = await pool.query(
			`select count(*) filter (where abc_profit is not null)::int as profit_classed,
			 count(*) filter (where abc_combined is distinct from abc_revenue)::int as combined_differs
			 from customer_master`,
		);
		expect(rows[0]).toEqual({ profit_classed: 0, combined_differs: 0 });
	});
});
