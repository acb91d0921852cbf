import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCompute } from "../../src/analytics/compute/run.ts";
import type { Pool } from "../../src/db/pool.ts";
import { loadSqlCatalog } from "../../src/db/sql-catalog.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { loadQueryLibrary, runQuery } from "../../src/library/library.ts";
import {
	createMetricCatalog,
	fetchSeries,
	type MetricDefinition,
} from "../../src/metrics/index.ts";
import { sqlDir } from "../../src/paths.ts";
import { memoryLogger } from "../helpers/log.ts";
import { sourceFrom } from "../helpers/warehouse.ts";
import { freshWarehouse, insertLines } from "./compute/helpers.ts";

/**
 * The README's "Definitions", held to: an order, an active customer, a new customer, ABC and
 * cohort retention mean the same in the metric catalog, the compute tables and the query library.
 * On the demo ERP plus the lines that tell the definitions apart: a customer whose only line is
 * free (a sample), one whose only line is a cancellation, and a free line in a month where a
 * real customer bought nothing else.
 */
describe("one definition per concept across metrics, compute and the query library", () => {
	const { log } = memoryLogger();
	const sql = loadSqlCatalog(sqlDir);
	const library = loadQueryLibrary(path.join(sqlDir, "library"));
	const catalog = createMetricCatalog();
	let dir: string;
	let pool: Pool;
	let drop: () => Promise<void>;
	let months: string[];

	const metric = async (id: string) => {
		const m = catalog.get(id) as MetricDefinition;
		const s = await fetchSeries(pool, catalog, m, {
			grain: "month",
			since: months[0],
			until: `${months.at(-1)?.slice(0, 7)}-28`,
		});
		return new Map(s.points.map((p) => [p.period.slice(0, 7), p.value ?? 0]));
	};
	const library_ = async (name: string) =>
		(await runQuery(pool, library, name, {}, { rowCap: 10_000 })).rows;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-definitions-"));
		const file = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file, seed: 7, lines: 20_000 });
		({ pool, drop } = await freshWarehouse("definitions", log));
		await runIngest(
			pool,
			sourceFrom(
				`connection: {kind: sqlite, file: ${file}}\nmapping: demo-erp`,
				"erp",
			),
			{ log },
		);
		// A real customer, and a month of the data in which they bought nothing.
		const { rows } = await pool.query<{ customer: string; month: string }>(
			`with m as (select distinct date_trunc('month', posting_date)::date as month from transaction_data),
			c as (select customer from transaction_data where customer is not null group by 1 order by count(*) desc limit 1)
			select c.customer, to_char(m.month, 'YYYY-MM-DD') as month from c cross join m
			where not exists (select from transaction_data t where t.customer = c.customer
				and date_trunc('month', t.posting_date) = m.month)
			order by m.month desc limit 1`,
		);
		const quiet = rows[0];
		if (!quiet) throw new Error("the busiest demo customer bought every month");
		await insertLines(pool, [
			{
				order: "DEF-FREE-1",
				customer: "DEF-SAMPLE",
				date: "2026-03-10",
				net: 0,
			},
			{
				order: "DEF-CANCEL-1",
				customer: "DEF-RETURN",
				date: "2026-04-10",
				net: -50,
				cancel: true,
			},
			{
				order: "DEF-FREE-2",
				customer: quiet.customer,
				date: quiet.month,
				net: 0,
			},
		]);
		const computed = await runCompute(pool, sql, {
			trigger: "test",
			wait: false,
			log,
		});
		expect(computed.status).toBe("succeeded");
		months = (
			await pool.query<{ m: string }>(
				"select distinct to_char(date_trunc('month', posting_date), 'YYYY-MM-DD') as m from transaction_data order by 1",
			)
		).rows.map((r) => r.m);
	}, 300_000);

	afterAll(async () => {
		await drop?.();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it("the warehouse says once which lines make an order", async () => {
		const { rows } = await pool.query(
			`select order_number, is_order from transaction_data where order_number like 'DEF-%' order by 1`,
		);
		expect(rows).toEqual([
			{ order_number: "DEF-CANCEL-1", is_order: false },
			{ order_number: "DEF-FREE-1", is_order: false },
			{ order_number: "DEF-FREE-2", is_order: false },
		]);
	});

	it("active customers: the metric, compute's monthly table and the library agree month by month", async () => {
		const byMetric = await metric("active_customers");
		const { rows: computed } = await pool.query<{ ym: string; n: number }>(
			"select year_month as ym, sum(customer)::int as n from time_series_performance group by 1",
		);
		const byLibrary = await library_("revenue-by-month");
		expect(computed.length).toBeGreaterThan(10);
		for (const r of computed) {
			expect(byMetric.get(r.ym), r.ym).toBe(r.n);
			const lib = byLibrary.find((x) => x.month === r.ym);
			expect(Number(lib?.active_customers), r.ym).toBe(r.n);
		}
		// The free line and the cancellation made nobody active.
		const { rows: none } = await pool.query(
			"select customer from customer_master where customer in ('DEF-SAMPLE', 'DEF-RETURN') and frequency > 0",
		);
		expect(none).toEqual([]);
	});

	it("orders: the metric and the library count the same orders; compute's frequencies add up to them", async () => {
		const byMetric = await metric("orders");
		const byLibrary = await library_("revenue-by-month");
		let total = 0;
		for (const r of byLibrary) {
			expect(byMetric.get(String(r.month)), String(r.month)).toBe(
				Number(r.orders),
			);
			total += Number(r.orders);
		}
		// Each order belongs to one customer and one month in the demo, so the months add up to the
		// frequencies compute gave every customer (orders without a customer aside).
		const { rows } = await pool.query<{ f: number; anonymous: number }>(
			`select (select sum(frequency)::int from customer_master) as f,
				(select count(distinct order_number)::int from transaction_data where is_order and customer is null) as anonymous`,
		);
		expect(rows[0]?.f).toBe(total - (rows[0]?.anonymous ?? 0));
	});

	it("new customers: the metric's months are compute's cohort sizes", async () => {
		const byMetric = await metric("new_customers");
		const { rows } = await pool.query<{ ym: string; n: number }>(
			"select to_char(cohort_month, 'YYYY-MM') as ym, customer_count as n from cohort_sizes",
		);
		expect(rows.length).toBeGreaterThan(3);
		for (const r of rows) expect(byMetric.get(r.ym), r.ym).toBe(r.n);
		const sum = [...byMetric.values()].reduce((a, b) => a + b, 0);
		expect(sum).toBe(rows.reduce((a, r) => a + r.n, 0));
	});

	it("ABC: the library query classes every customer as compute does, those with net sales of zero or less in C", async () => {
		const lib = await library_("abc-customers");
		const { rows } = await pool.query<{
			abc: string;
			n: number;
			revenue: string;
		}>(
			"select abc_revenue as abc, count(*)::int as n, sum(monetary)::numeric(18,2)::text as revenue from customer_master where abc_revenue is not null group by 1 order by 1",
		);
		expect(
			lib.map((r) => ({
				abc: r.abc_class,
				n: Number(r.customers),
				revenue: Number(r.revenue).toFixed(2),
			})),
		).toEqual(
			rows.map((r) => ({ ...r, revenue: Number(r.revenue).toFixed(2) })),
		);
		const { rows: edge } = await pool.query(
			"select customer, abc_revenue from customer_master where customer in ('DEF-SAMPLE', 'DEF-RETURN') order by 1",
		);
		expect(edge).toEqual([
			{ customer: "DEF-RETURN", abc_revenue: "C" },
			{ customer: "DEF-SAMPLE", abc_revenue: "C" },
		]);
	});

	it("cohort retention: the library query gives compute's percentages, and a blank past the end of the data", async () => {
		const lib = await library_("cohort-retention");
		const { rows } = await pool.query<{
			cohort: string;
			data: Record<string, number>;
		}>(
			"select to_char(cohort_month, 'YYYY-MM') as cohort, retention_data as data from cohort_retention order by 1",
		);
		expect(lib.map((r) => r.cohort)).toEqual(rows.map((r) => r.cohort));
		let blanks = 0;
		for (const r of rows) {
			const row = lib.find((x) => x.cohort === r.cohort);
			for (const k of [1, 2, 3, 6, 12]) {
				const computed = r.data[String(k + 1)];
				const shown = row?.[`month_${k}_pct`];
				if (computed === undefined) {
					expect(shown, `${r.cohort} month ${k}`).toBeNull();
					blanks++;
				} else
					expect(Number(shown), `${r.cohort} month ${k}`).toBe(
						Math.round(computed * 10) / 10,
					);
			}
		}
		expect(blanks).toBeGreaterThan(0);
	});
});
