import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	type ComputeRun,
	runCompute,
} from "../../../src/analytics/compute/run.ts";
import type { ComputeStep } from "../../../src/analytics/compute/steps.ts";
import type { Pool } from "../../../src/db/pool.ts";
import { loadSqlCatalog } from "../../../src/db/sql-catalog.ts";
import { sqlDir } from "../../../src/paths.ts";
import { memoryLogger } from "../../helpers/log.ts";
import {
	DERIVED_TABLES,
	derivedChecksums,
	freshWarehouse,
	insertLines,
} from "./helpers.ts";

/**
 * Nine lines that exercise every line rule, with the expected figures worked out by hand:
 * source a, customer A1: order O1 (100 + 50), order O2 (30 + a zero-price line), cancellation C1
 * (-20); A2: an order of one zero-price line only; A3: a cancellation only; one line without a
 * customer in another office; source b, customer A1 (another customer): one line without cost.
 */
const LINES = [
	{
		source: "a",
		order: "O1",
		line: 1,
		customer: "A1",
		date: "2024-01-10",
		net: 100,
		cogs: 60,
		material: "M1",
	},
	{
		source: "a",
		order: "O1",
		line: 2,
		customer: "A1",
		date: "2024-01-10",
		net: 50,
		cogs: 20,
		material: "M2",
	},
	{
		source: "a",
		order: "O2",
		line: 1,
		customer: "A1",
		date: "2024-03-05",
		net: 30,
		cogs: 10,
		material: "M1",
	},
	{
		source: "a",
		order: "O2",
		line: 2,
		customer: "A1",
		date: "2024-03-05",
		net: 0,
		cogs: 0,
		material: "M3",
	},
	{
		source: "a",
		order: "C1",
		line: 1,
		customer: "A1",
		date: "2024-03-20",
		net: -20,
		cogs: -12,
		material: "M1",
		cancel: true,
	},
	{
		source: "a",
		order: "Z1",
		line: 1,
		customer: "A2",
		date: "2024-02-01",
		net: 0,
		cogs: 0,
		material: "M3",
	},
	{
		source: "a",
		order: "C2",
		line: 1,
		customer: "A3",
		date: "2024-02-15",
		net: -15,
		cogs: -9,
		material: "M2",
		cancel: true,
	},
	{
		source: "a",
		order: "N1",
		line: 1,
		customer: null,
		date: "2024-04-01",
		net: 1000,
		cogs: 400,
		material: "M1",
		office: "South",
	},
	{
		source: "b",
		order: "P1",
		line: 1,
		customer: "A1",
		date: "2024-04-10",
		net: 70,
		cogs: null,
		material: "M1",
	},
];

describe("which lines count, on a crafted warehouse of two sources", () => {
	const { log } = memoryLogger();
	const sql = loadSqlCatalog(sqlDir);
	let pool: Pool;
	let drop: () => Promise<void>;
	let run: ComputeRun;

	beforeAll(async () => {
		({ pool, drop } = await freshWarehouse("compute_lines", log));
		await insertLines(pool, LINES);
		await pool.query(
			"insert into customer_master (source, customer, customer_name) values ('a', 'A1', 'Acme'), ('a', 'Z9', 'Never ordered')",
		);
		const r = await runCompute(pool, sql, {
			trigger: "test",
			wait: false,
			log,
		});
		if (r.status !== "succeeded") throw new Error("compute skipped");
		run = r;
	});
	afterAll(async () => drop?.());

	it("measures recency from the day after the newest line and records what the run read", async () => {
		expect(run).toMatchObject({
			analysisDate: "2024-04-11",
			maxPostingDate: "2024-04-10",
			lines: 9,
			customers: 2,
		});
		const { rows } = await pool.query(
			"select status, trigger, analysis_date::text, lines, customers, jsonb_array_length(steps) as steps, error from compute_runs",
		);
		expect(rows).toEqual([
			{
				status: "succeeded",
				trigger: "test",
				analysis_date: "2024-04-11",
				lines: 9,
				customers: 2,
				steps: 10,
				error: null,
			},
		]);
		expect(run.notes.join(" ")).toContain(
			"1 of 9 order lines have no customer",
		);
		expect(run.notes.join(" ")).toContain(
			"2 customers have lines but no order",
		);
		expect(run.notes.join(" ")).toContain(
			"1 of 9 order lines have no margin or cost",
		);
	});

	it("nets cancellations against monetary but not frequency, and treats the same id in two sources as two customers", async () => {
		const { rows } = await pool.query(
			`select source, customer, customer_name, monetary, frequency, recency, profitability, margin_percent::text,
			 rfm_score, rfm_segment, first_order_date::text, last_order_date::text, abc_revenue, abc_profit, abc_combined
			 from customer_master order by source, customer`,
		);
		expect(rows).toEqual([
			{
				source: "a",
				customer: "A1",
				customer_name: "Acme",
				monetary: "160.00",
				frequency: 2,
				recency: 37,
				profitability: "82.00",
				margin_percent: "51.25",
				rfm_score: "133",
				rfm_segment: "At Risk",
				first_order_date: "2024-01-10",
				last_order_date: "2024-03-05",
				abc_revenue: "A",
				abc_profit: "A",
				abc_combined: "A",
			},
			{
				source: "a",
				customer: "A2",
				customer_name: null,
				monetary: "0.00",
				frequency: 0,
				recency: null,
				profitability: "0.00",
				margin_percent: null,
				rfm_score: null,
				rfm_segment: "No Orders",
				first_order_date: null,
				last_order_date: null,
				abc_revenue: "C",
				abc_profit: "C",
				abc_combined: "C",
			},
			{
				source: "a",
				customer: "A3",
				customer_name: null,
				monetary: "-15.00",
				frequency: 0,
				recency: null,
				profitability: "-6.00",
				margin_percent: null,
				rfm_score: null,
				rfm_segment: "No Orders",
				first_order_date: null,
				last_order_date: null,
				abc_revenue: "C",
				abc_profit: "C",
				abc_combined: "C",
			},
			{
				source: "a",
				customer: "Z9",
				customer_name: "Never ordered",
				monetary: null,
				frequency: null,
				recency: null,
				profitability: null,
				margin_percent: null,
				rfm_score: null,
				rfm_segment: null,
				first_order_date: null,
				last_order_date: null,
				abc_revenue: null,
				abc_profit: null,
				abc_combined: null,
			},
			{
				source: "b",
				customer: "A1",
				customer_name: null,
				monetary: "70.00",
				frequency: 1,
				recency: 1,
				profitability: null,
				margin_percent: null,
				rfm_score: "311",
				rfm_segment: "About To Sleep",
				first_order_date: "2024-04-10",
				last_order_date: "2024-04-10",
				abc_revenue: "A",
				abc_profit: null,
				abc_combined: "A",
			},
		]);
	});

	it("adds segment revenue up to the revenue of all customer lines, the label for customers without orders included", async () => {
		const { rows } = await pool.query(
			`select segment_name, customer_count, monetary_sum, revenue_percentage::text from segment_performance
			 where segment_type = 'RFM_Segment' and customer_count > 0 order by segment_name`,
		);
		expect(rows).toEqual([
			{
				segment_name: "About To Sleep",
				customer_count: 1,
				monetary_sum: "70.00",
				revenue_percentage: "32.5581",
			},
			{
				segment_name: "At Risk",
				customer_count: 1,
				monetary_sum: "160.00",
				revenue_percentage: "74.4186",
			},
			{
				segment_name: "No Orders",
				customer_count: 2,
				monetary_sum: "-15.00",
				revenue_percentage: "-6.9767",
			},
		]);
		const all = await pool.query(
			"select count(*)::int as n, sum(monetary_sum)::text as revenue from segment_performance where segment_type = 'RFM_Segment'",
		);
		expect(all.rows[0]).toEqual({ n: 12, revenue: "215.00" });
	});

	it("builds monthly segment figures whose months add up to customer revenue", async () => {
		const { rows } = await pool.query(
			"select year_month, rfm_segment, customer, net_sales from time_series_performance order by year_month, rfm_segment",
		);
		expect(rows).toEqual([
			{
				year_month: "2024-01",
				rfm_segment: "At Risk",
				customer: 1,
				net_sales: "150.00",
			},
			{
				year_month: "2024-02",
				rfm_segment: "No Orders",
				customer: 0,
				net_sales: "-15.00",
			},
			{
				year_month: "2024-03",
				rfm_segment: "At Risk",
				customer: 1,
				net_sales: "10.00",
			},
			{
				year_month: "2024-04",
				rfm_segment: "About To Sleep",
				customer: 1,
				net_sales: "70.00",
			},
		]);
	});

	it("builds cohorts from first orders, with retention and average revenue for every month up to the last", async () => {
		const sizes = await pool.query(
			"select cohort_month::text, customer_count from cohort_sizes order by 1",
		);
		expect(sizes.rows).toEqual([
			{ cohort_month: "2024-01-01", customer_count: 1 },
			{ cohort_month: "2024-04-01", customer_count: 1 },
		]);
		const curves = await pool.query(
			`select r.cohort_month::text, r.retention_data, a.revenue_data from cohort_retention r
			 join cohort_avg_revenue a using (cohort_month) order by 1`,
		);
		expect(curves.rows).toEqual([
			{
				cohort_month: "2024-01-01",
				retention_data: { 1: 100, 2: 0, 3: 100, 4: 0 },
				revenue_data: { 1: 150, 2: 0, 3: 10, 4: 0 },
			},
			{
				cohort_month: "2024-04-01",
				retention_data: { 1: 100 },
				revenue_data: { 1: 70 },
			},
		]);
	});

	it("counts every line with an office in the regional tables, lines without a customer included", async () => {
		const matrix = await pool.query(
			"select sales_office_name as office, material_number as m, revenue, margin, customer_count as buyers, revenue_rank as rank from regional_product_matrix order by 1, 6",
		);
		expect(matrix.rows).toEqual([
			{
				office: "North",
				m: "M1",
				revenue: "180.00",
				margin: "52.00",
				buyers: 2,
				rank: 1,
			},
			{
				office: "North",
				m: "M2",
				revenue: "35.00",
				margin: "24.00",
				buyers: 1,
				rank: 2,
			},
			{
				office: "North",
				m: "M3",
				revenue: "0.00",
				margin: "0.00",
				buyers: 0,
				rank: 3,
			},
			{
				office: "South",
				m: "M1",
				revenue: "1000.00",
				margin: "600.00",
				buyers: 0,
				rank: 1,
			},
		]);
		const top = await pool.query(
			"select sales_office_name as office, material_number as m, margin_pct::text, rank from regional_top_performers order by 1, 4",
		);
		expect(top.rows).toEqual([
			{ office: "North", m: "M1", margin_pct: "28.89", rank: 1 },
			{ office: "North", m: "M2", margin_pct: "68.57", rank: 2 },
			{ office: "South", m: "M1", margin_pct: "60.00", rank: 1 },
		]);
		const clusters = await pool.query(
			"select sales_office_name as office, material_number as m, cluster_id from regional_product_clusters order by 1, 2",
		);
		expect(clusters.rows).toEqual([
			{ office: "North", m: "M1", cluster_id: 1 },
			{ office: "North", m: "M2", cluster_id: 3 },
			{ office: "North", m: "M3", cluster_id: 6 },
			{ office: "South", m: "M1", cluster_id: 1 },
		]);
	});

	it("gives identical tables on a second run and rewrites no unchanged customer", async () => {
		const before = await derivedChecksums(pool);
		const stamps = await pool.query(
			"select max(computed_at) as t from customer_master",
		);
		await runCompute(pool, sql, { trigger: "test", wait: false, log });
		expect(await derivedChecksums(pool)).toEqual(before);
		const again = await pool.query(
			"select max(computed_at) as t from customer_master",
		);
		expect(again.rows[0]?.t).toEqual(stamps.rows[0]?.t);
	});
	it("fails a run whose connection is lost without crashing the process, and the next run records it as interrupted", async () => {
		const lost: ComputeStep = {
			name: "connection_lost",
			sql: [],
			async run(client) {
				const { rows } = await client.query<{ pid: number }>(
					"select pg_backend_pid() as pid",
				);
				await pool.query("select pg_terminate_backend($1)", [rows[0]?.pid]);
				await new Promise((r) => setTimeout(r, 300));
				return 0;
			},
		};
		await expect(
			runCompute(pool, sql, {
				trigger: "doomed",
				wait: false,
				log,
				steps: [lost],
			}),
		).rejects.toThrow();
		const next = await runCompute(pool, sql, {
			trigger: "test",
			wait: false,
			log,
		});
		expect(next.status).toBe("succeeded");
		const { rows } = await pool.query(
			"select status, error from compute_runs where trigger = 'doomed'",
		);
		expect(rows).toEqual([
			{
				status: "failed",
				error: "interrupted: the process stopped before the run finished",
			},
		]);
	});
});

describe("compute on an empty warehouse", () => {
	const { log } = memoryLogger();
	let pool: Pool;
	let drop: () => Promise<void>;

	beforeAll(async () => {
		({ pool, drop } = await freshWarehouse("compute_empty", log));
		await pool.query(
			"insert into customer_master (source, customer) values ('erp', 'C1')",
		);
	});
	afterAll(async () => drop?.());

	it("completes with every derived table empty and a note that says why", async () => {
		const r = await runCompute(pool, loadSqlCatalog(sqlDir), {
			trigger: "test",
			wait: false,
			log,
		});
		expect(r).toMatchObject({
			status: "succeeded",
			analysisDate: null,
			lines: 0,
			customers: 0,
		});
		if (r.status !== "succeeded") return;
		expect(r.notes).toEqual([
			"The warehouse holds no order lines, so every derived table is empty. Load a source first: erp-pulse ingest <source>.",
		]);
		for (const table of Object.keys(DERIVED_TABLES)) {
			const { rows } = await pool.query<{ n: number }>(
				`select count(*)::int as n from ${table}`,
			);
			expect(rows[0]?.n, table).toBe(0);
		}
		const runs = await pool.query(
			"select status, analysis_date, note like 'The warehouse holds no order lines%' as noted from compute_runs",
		);
		expect(runs.rows).toEqual([
			{ status: "succeeded", analysis_date: null, noted: true },
		]);
		const master = await pool.query(
			"select rfm_segment, monetary from customer_master",
		);
		expect(master.rows).toEqual([{ rfm_segment: null, monetary: null }]);
	});
});

describe("a customer who buys one product in two offices", () => {
	const { log } = memoryLogger();
	let pool: Pool;
	let drop: () => Promise<void>;

	beforeAll(async () => {
		({ pool, drop } = await freshWarehouse("compute_offices", log));
		// X buys M1 in the North and in the South, and has a zero-price line of M2 (no order);
		// Y buys M1 in the North.
		await insertLines(pool, [
			{ order: "O1", customer: "X", date: "2024-01-10", net: 100, cogs: 40 },
			{
				order: "O2",
				line: 1,
				customer: "X",
				date: "2024-02-10",
				net: 50,
				cogs: 20,
				office: "South",
			},
			{
				order: "O2",
				line: 2,
				customer: "X",
				date: "2024-02-10",
				net: 0,
				cogs: 0,
				material: "M2",
				office: "South",
			},
			{ order: "O3", customer: "Y", date: "2024-02-15", net: 30, cogs: 10 },
		]);
		const r = await runCompute(pool, loadSqlCatalog(sqlDir), {
			trigger: "test",
			wait: false,
			log,
		});
		if (r.status !== "succeeded") throw new Error("compute skipped");
	});
	afterAll(async () => drop?.());

	it("counts the customer once per product across offices, and once in each office", async () => {
		// Worked by hand: M1 sold 100 + 50 + 30 = 180 (margin 60 + 30 + 20 = 110) to two customers.
		const products = await pool.query(
			`select material_number as m, sum(total_product_customers)::int as buyers,
				sum(total_product_sales)::float8 as sales, sum(total_product_margin)::float8 as margin
			 from product_customer_matrix group by 1 order by 1`,
		);
		expect(products.rows).toEqual([
			{ m: "M1", buyers: 2, sales: 180, margin: 110 },
			{ m: "M2", buyers: 0, sales: 0, margin: 0 },
		]);
		const offices = await pool.query(
			`select sales_office_name as office, material_number as m, revenue::float8, customer_count as buyers
			 from regional_product_matrix order by 1, 2`,
		);
		expect(offices.rows).toEqual([
			{ office: "North", m: "M1", revenue: 130, buyers: 2 },
			{ office: "South", m: "M1", revenue: 50, buyers: 1 },
			{ office: "South", m: "M2", revenue: 0, buyers: 0 },
		]);
	});
});
