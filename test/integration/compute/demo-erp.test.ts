import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ABC_SHARES } from "../../../src/analytics/compute/definitions.ts";
import {
	NO_ORDERS_SEGMENT,
	RFM_SEGMENTS,
	rfmSegmentMap,
} from "../../../src/analytics/compute/rfm-map.ts";
import {
	type ComputeResult,
	runCompute,
} from "../../../src/analytics/compute/run.ts";
import type { Pool } from "../../../src/db/pool.ts";
import { loadSqlCatalog } from "../../../src/db/sql-catalog.ts";
import { generateDemoErp } from "../../../src/demo/index.ts";
import { runIngest } from "../../../src/ingest/run.ts";
import { itemsBefore, maintainRollups } from "../../../src/metrics/rollups.ts";
import { sqlDir } from "../../../src/paths.ts";
import { memoryLogger } from "../../helpers/log.ts";
import { sourceFrom } from "../../helpers/warehouse.ts";
import { derivedChecksums, freshWarehouse, money } from "./helpers.ts";

const LOCK = "select pg_advisory_lock(hashtext('erp-pulse:compute'))";

/** The demo ERP (20k lines, seed 7) through the real ingest, then compute: every total ties out. */
describe("compute on the demo ERP", () => {
	const memory = memoryLogger();
	const { log } = memory;
	const sql = loadSqlCatalog(sqlDir);
	let dir: string;
	let pool: Pool;
	let url: string;
	let drop: () => Promise<void>;
	let first: ComputeResult;

	const one = async <T>(text: string, values: unknown[] = []) =>
		(await pool.query(text, values)).rows[0] as T;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-compute-"));
		const file = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file, seed: 7, lines: 20_000 });
		({ pool, url, drop } = await freshWarehouse("compute_demo", log));
		await runIngest(
			pool,
			sourceFrom(
				`connection: {kind: sqlite, file: ${file}}\nmapping: demo-erp`,
			),
			{ log },
		);
		first = await runCompute(pool, sql, { trigger: "test", wait: false, log });
	});
	afterAll(async () => {
		await drop?.();
		rmSync(dir, { recursive: true, force: true });
	});

	it("completes every step, analysing as of the day after the last posting", async () => {
		expect(first.status).toBe("succeeded");
		if (first.status !== "succeeded") return;
		const last = await one<{ d: string }>(
			"select (max(posting_date) + 1)::text as d from transaction_data",
		);
		expect(first.analysisDate).toBe(last.d);
		// The one read from the order lines first, in the basis's snapshot; then the rest.
		expect(first.steps.map((s) => s.name)).toEqual([
			"time_series_performance",
			"customer_master",
			"segment_performance",
			"product_customer_matrix",
			"regional_product_matrix",
			"regional_product_clusters",
			"cohort_sizes",
			"cohort_retention",
			"cohort_avg_revenue",
			"regional_top_performers",
		]);
		for (const s of first.steps) expect(s.rows, s.name).toBeGreaterThan(0);
	});

	it("adds segment revenue up to the revenue of all customer lines", async () => {
		const lines = await one<{ revenue: string }>(
			"select sum(net_sales) as revenue from transaction_data where customer is not null",
		);
		const segments = await one<{ revenue: string; pct: string }>(
			`select sum(monetary_sum) as revenue, sum(revenue_percentage) as pct from segment_performance
			 where segment_type = 'RFM_Segment'`,
		);
		expect(money(segments.revenue)).toBe(money(lines.revenue));
		expect(Number(segments.pct)).toBeCloseTo(100, 2);
		const series = await one<{ revenue: string }>(
			"select sum(net_sales) as revenue from time_series_performance",
		);
		expect(money(series.revenue)).toBe(money(lines.revenue));
		const matrix = await one<{ revenue: string }>(
			"select sum(total_product_sales) as revenue from product_customer_matrix",
		);
		const withMaterial = await one<{ revenue: string }>(
			"select sum(net_sales) as revenue from transaction_data where customer is not null and material_number is not null",
		);
		expect(money(matrix.revenue)).toBe(money(withMaterial.revenue));
	});

	it("gives every customer with an order exactly one of the 11 segments, and scores only them", async () => {
		const { rows } = await pool.query<{
			frequency: number;
			rfm_segment: string | null;
			scored: boolean;
		}>(
			"select frequency, rfm_segment, r_score is not null and f_score is not null and m_score is not null as scored from customer_master where monetary is not null",
		);
		expect(rows.length).toBeGreaterThan(0);
		for (const r of rows) {
			if (r.frequency > 0) {
				expect(RFM_SEGMENTS).toContain(r.rfm_segment);
				expect(r.scored).toBe(true);
			} else {
				expect(r.rfm_segment).toBe(NO_ORDERS_SEGMENT);
				expect(r.scored).toBe(false);
			}
		}
		const ordering = await one<{ n: number }>(
			`select count(distinct (source, customer))::int as n from transaction_data
			 where customer is not null and not is_cancellation and net_sales > 0`,
		);
		expect(rows.filter((r) => r.frequency > 0)).toHaveLength(ordering.n);
	});

	it("sizes cohorts so they add up to the customers with orders, each starting at 100 % retention", async () => {
		const sizes = await one<{ n: number; cohorts: number }>(
			"select sum(customer_count)::int as n, count(*)::int as cohorts from cohort_sizes",
		);
		expect(first.status === "succeeded" && first.customers).toBe(sizes.n);
		const starts = await pool.query<{
			first: number;
			keys: number;
			months: number;
		}>(
			`select (r.retention_data->>'1')::numeric::float8 as first,
			 (select count(*) from jsonb_object_keys(r.retention_data))::int as keys,
			 (select count(*) from jsonb_object_keys(a.revenue_data))::int as months
			 from cohort_retention r join cohort_avg_revenue a using (cohort_month)`,
		);
		expect(starts.rows).toHaveLength(sizes.cohorts);
		for (const s of starts.rows) {
			expect(s.first).toBe(100);
			expect(s.months).toBe(s.keys);
		}
	});

	it("closes ABC classes at 80 % and 95 %, the customer crossing a boundary taking the better class", async () => {
		for (const [column, value] of [
			["abc_revenue", "monetary"],
			["abc_profit", "profitability"],
		]) {
			const { rows } = await pool.query<{ cls: string; v: string }>(
				`select ${column} as cls, ${value} as v from customer_master where ${column} is not null
				 order by ${value} desc, source, customer`,
			);
			const total = rows.reduce((s, r) => s + Math.max(Number(r.v), 0), 0);
			let before = 0;
			const shares = { A: 0, B: 0, C: 0 } as Record<string, number>;
			for (const r of rows) {
				const v = Number(r.v);
				const share = before / total;
				const expected =
					v <= 0
						? "C"
						: share < ABC_SHARES.a
							? "A"
							: share < ABC_SHARES.b
								? "B"
								: "C";
				expect(r.cls, `${column} at ${share}`).toBe(expected);
				shares[r.cls] = (shares[r.cls] ?? 0) + Math.max(v, 0) / total;
				before += Math.max(v, 0);
			}
			expect(shares.A).toBeGreaterThanOrEqual(0.8);
			expect((shares.A ?? 0) + (shares.B ?? 0)).toBeGreaterThanOrEqual(0.95);
		}
	});

	it("ties the regional matrix to all lines with an office, and ranks within each office from 1", async () => {
		const lines = await one<{ revenue: string }>(
			"select sum(net_sales) as revenue from transaction_data where sales_office_name is not null and material_number is not null",
		);
		const matrix = await one<{ revenue: string; bad: number }>(
			`select sum(revenue) as revenue, count(*) filter (where revenue_rank is null)::int as bad from regional_product_matrix`,
		);
		expect(money(matrix.revenue)).toBe(money(lines.revenue));
		expect(matrix.bad).toBe(0);
		const top = await one<{ offices: number; worst: number }>(
			"select count(distinct sales_office_name)::int as offices, max(rank)::int as worst from regional_top_performers",
		);
		expect(top.worst).toBe(10);
		const clusters = await one<{ rows: number; ids: number[] }>(
			"select count(*)::int as rows, array_agg(distinct cluster_id order by cluster_id) as ids from regional_product_clusters",
		);
		const products = await one<{ n: number }>(
			"select count(*)::int as n from regional_product_matrix",
		);
		expect(clusters.rows).toBe(products.n);
		expect(clusters.ids.every((id) => id >= 1 && id <= 6)).toBe(true);
		expect(top.offices).toBeGreaterThan(1);
	});

	it("builds identical tables when run again on the same warehouse", async () => {
		const before = await derivedChecksums(pool);
		await runCompute(pool, sql, { trigger: "test", wait: false, log });
		expect(await derivedChecksums(pool)).toEqual(before);
	});

	it("logs each basis part and step as it finishes, with the time left once a run has succeeded", async () => {
		if (first.status !== "succeeded") throw new Error("the first run failed");
		const progress = (lines: Record<string, unknown>[], runId: number) =>
			lines.filter((l) => l.msg === "compute progress" && l.runId === runId);
		const names = [
			"basis: lines",
			"basis: customers",
			"basis: cohort activity",
			"basis: items",
			...first.steps.map((s) => s.name),
		];
		// The first run on this warehouse has no earlier run to estimate from.
		const firstLines = progress(memory.lines(), first.runId);
		expect(firstLines.map((l) => [l.step, l.done, l.of])).toEqual(
			names.map((n, i) => [n, i + 1, names.length]),
		);
		expect(firstLines.filter((l) => "etaSeconds" in l)).toEqual([]);
		expect(firstLines[0]?.rows).toBe(first.basis[0]?.rows);
		const next = memoryLogger();
		const again = await runCompute(pool, sql, {
			trigger: "test",
			wait: false,
			log: next.log,
		});
		if (again.status !== "succeeded") throw new Error("the run failed");
		const lines = progress(next.lines(), again.runId);
		expect(lines.map((l) => l.step)).toEqual(names);
		for (const l of lines) {
			expect(typeof l.etaSeconds, String(l.step)).toBe("number");
			expect(l.etaSeconds as number).toBeGreaterThanOrEqual(0);
			expect(typeof l.seconds).toBe("number");
		}
	});

	it("skips at once, or waits, while another compute holds the lock, and never doubles a row", async () => {
		const holder = new pg.Client({ connectionString: url });
		await holder.connect();
		try {
			await holder.query(LOCK);
			const skipped = await runCompute(pool, sql, {
				trigger: "test",
				wait: false,
				log,
			});
			expect(skipped).toEqual({
				status: "skipped",
				reason: "another compute run is in progress",
			});
			let waited = false;
			const waiting = runCompute(pool, sql, {
				trigger: "test",
				wait: true,
				log,
				onWait: () => {
					waited = true;
				},
			});
			await new Promise((r) => setTimeout(r, 300));
			expect(waited).toBe(true);
			await holder.query("select pg_advisory_unlock_all()");
			expect((await waiting).status).toBe("succeeded");
		} finally {
			await holder.end();
		}
		const both = await Promise.all([
			runCompute(pool, sql, { trigger: "test-a", wait: true, log }),
			runCompute(pool, sql, { trigger: "test-b", wait: true, log }),
		]);
		expect(both.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
		const overlap = await one<{ n: number }>(
			`select count(*)::int as n from compute_runs a join compute_runs b on a.id < b.id
			 where a.started_at < b.finished_at and b.started_at < a.finished_at`,
		);
		expect(overlap.n).toBe(0);
		const customers = await one<{ rows: number; keys: number }>(
			"select count(*)::int as rows, count(distinct (source, customer))::int as keys from customer_master",
		);
		expect(customers.rows).toBe(customers.keys);
	});
	/**
	 * Builds `table` with `text` (a basis part or a step, with `params`) twice, in a transaction
	 * that is rolled back, after the view of the lines and `setUp`: with the rollups fresh, then
	 * with the mark a writer other than the ingest leaves, which sends the same statement to the
	 * order lines. Expects the first to read `rollup` and not the lines, the second the reverse,
	 * more than `minRows` rows, and the same rows (ordered by `order`) both ways; returns them.
	 * `clear` empties or drops `table` between the two.
	 */
	async function sameBothWays(o: {
		setUp: (client: pg.PoolClient) => Promise<unknown>;
		text: string;
		params: unknown[];
		table: string;
		order: string;
		clear: string;
		rollup: string;
		minRows: number;
	}): Promise<Record<string, unknown>[]> {
		const client = await pool.connect();
		const build = async () => {
			const plan = (
				await client.query<{ "QUERY PLAN": string }>(
					`explain (analyze, costs off, timing off) ${o.text}`,
					o.params,
				)
			).rows
				.map((r) => r["QUERY PLAN"])
				.join("\n");
			const read = (table: string) =>
				new RegExp(`on ${table} \\w+ \\(actual rows=[1-9]`).test(plan);
			const { rows } = await client.query(
				`select * from ${o.table} order by ${o.order}`,
			);
			await client.query(o.clear);
			return { rows, rollup: read(o.rollup), lines: read("transaction_data") };
		};
		try {
			await client.query("begin isolation level repeatable read");
			await client.query(sql.get("analytics/basis-lines"));
			await o.setUp(client);
			const fresh = await build();
			await client.query(
				"insert into sales_rollup_dirty (xid) values (txid_current())",
			);
			const stale = await build();
			expect(fresh).toMatchObject({ rollup: true, lines: false });
			expect(stale).toMatchObject({ rollup: false, lines: true });
			expect(fresh.rows.length).toBeGreaterThan(o.minRows);
			expect(fresh.rows).toEqual(stale.rows);
			return fresh.rows;
		} finally {
			await client.query("rollback");
			client.release();
		}
	}

	/** The parameters of analytics/basis-customers for the first run's analysis date. */
	const customerParams = () => [
		first.status === "succeeded" ? first.analysisDate : null,
		JSON.stringify(rfmSegmentMap()),
		ABC_SHARES.a,
		ABC_SHARES.b,
		NO_ORDERS_SEGMENT,
	];
	const basisCustomers = (client: pg.PoolClient) =>
		client.query(sql.get("analytics/basis-customers"), customerParams());

	it("builds the same cohort activity from the monthly rollup as from the order lines", async () => {
		await sameBothWays({
			setUp: basisCustomers,
			text: sql.get("analytics/cohort-activity"),
			params: [first.status === "succeeded" ? first.analysisDate : null],
			table: "compute_cohort_activity",
			order: "cohort_month, k",
			clear: "drop table compute_cohort_activity",
			rollup: "sales_monthly",
			minRows: 100,
		});
	});

	it("builds the same time series per segment from the monthly rollup as from the order lines", async () => {
		await sameBothWays({
			// A line with a cost and no gross margin: its margin is net_sales - total_cogs, which the
			// rollup's gross_margin and total_cogs sums could not give apart.
			setUp: async (client) => {
				await client.query(
					`update transaction_data set gross_margin = null
					 where (source, order_number, line_number) = (
						select source, order_number, line_number from transaction_data
						where customer is not null and total_cogs is not null
						order by order_number, line_number limit 1)`,
				);
				await maintainRollups(client, "erp", null);
				await basisCustomers(client);
				await client.query("delete from time_series_performance");
			},
			text: sql.get("analytics/time-series-performance"),
			params: [],
			table: "time_series_performance",
			order: "year_month, rfm_segment",
			clear: "delete from time_series_performance",
			rollup: "sales_monthly",
			minRows: 100,
		});
	});

	it("builds the same customers from the orders rollup as from the order lines", async () => {
		let marked: { customer: string; no_order: boolean } | undefined;
		const rows = await sameBothWays({
			// One customer with a line whose margin is unknown, and one order of another customer
			// made only of a zero-price line (no order), written the way the ingest writes: the
			// lines, then the rollups of the source, which leaves them fresh.
			setUp: async (client) => {
				await client.query(
					`update transaction_data set gross_margin = null, total_cogs = null
					 where (source, order_number, line_number) = (
						select source, order_number, line_number from transaction_data
						where customer = (select min(customer) from transaction_data) limit 1)`,
				);
				await client.query(
					`insert into transaction_data (source, order_number, line_number, customer, posting_date, year_month, net_sales)
					 select source, 'ZERO-ONLY', 1, customer, posting_date, year_month, 0
					 from transaction_data where customer = (select max(customer) from transaction_data) limit 1`,
				);
				await maintainRollups(client, "erp", null);
				const r = await client.query<{ customer: string; no_order: boolean }>(
					`select (select min(customer) from transaction_data) as customer,
						(select not is_order from sales_orders where order_number = 'ZERO-ONLY') as no_order`,
				);
				marked = r.rows[0];
			},
			text: sql.get("analytics/basis-customers"),
			params: customerParams(),
			table: "compute_customers",
			order: "source, customer",
			clear: "drop table compute_customers",
			rollup: "sales_orders",
			minRows: 500,
		});
		// The rollup knows the one line without a margin, and the order that is no order.
		expect(marked?.no_order).toBe(true);
		const unknown = rows.find((r) => r.customer === marked?.customer);
		expect(unknown?.profitability).toBeNull();
	});

	it("builds the same items from the items rollup as from the order lines, after lines change customer", async () => {
		let moved: { from: string; to: string; emptied: string } | undefined;
		const rows = await sameBothWays({
			// One line billed to another customer with its office gone, and one line of a third
			// customer left without a customer, written the way an incremental ingest writes: the
			// lines, then the rollups of the customers they were and are on, which leaves them fresh.
			setUp: async (client) => {
				const pick = await client.query<{ a: string; b: string; c: string }>(
					`select min(customer) as a, max(customer) as b,
						(select min(customer) from transaction_data where customer > (select min(customer) from transaction_data)) as c
					 from transaction_data`,
				);
				const { a, b, c } = pick.rows[0] ?? { a: "", b: "", c: "" };
				moved = { from: a, to: b, emptied: c };
				const lines = await client.query<{
					order_number: string;
					line_number: number;
				}>(
					`(select order_number, line_number from transaction_data
						where customer = $1 and is_order order by order_number, line_number limit 1)
					 union all
					 (select order_number, line_number from transaction_data
						where customer = $2 order by order_number, line_number limit 1)`,
					[a, c],
				);
				const [first, second] = lines.rows;
				if (!first || !second) throw new Error("no lines to change");
				// The ingest's way: take the lines' sums away, write them, add their new sums.
				const change = {
					days: [],
					lines: `transaction_data t where t.source = $1 and (t.order_number, t.line_number)
						in (('${first.order_number}', ${first.line_number}), ('${second.order_number}', ${second.line_number}))`,
				};
				await itemsBefore(client, "erp", change);
				await client.query(
					`update transaction_data set customer = $3, sales_office_name = null
					 where order_number = $1 and line_number = $2`,
					[first.order_number, first.line_number, b],
				);
				await client.query(
					`update transaction_data set customer = null
					 where order_number = $1 and line_number = $2`,
					[second.order_number, second.line_number],
				);
				await maintainRollups(client, "erp", change);
			},
			text: sql.get("analytics/basis-items"),
			params: [],
			table: "compute_items",
			order: "material_number, source, customer, sales_office_name",
			clear: "drop table compute_items",
			rollup: "sales_items",
			minRows: 1000,
		});
		// The rollup followed both lines: the moved one is on its new customer, without an office,
		// and a line without a customer is kept (it has an office and a material).
		expect(
			rows.some(
				(r) => r.customer === moved?.to && r.sales_office_name === null,
			),
		).toBe(true);
		expect(rows.some((r) => r.customer === null)).toBe(true);
		// customer_ordered counts each customer of a product once.
		const marks = new Map<string, number>();
		for (const r of rows)
			if (r.customer_ordered) {
				const k = `${r.material_number}|${r.source}|${r.customer}`;
				marks.set(k, (marks.get(k) ?? 0) + 1);
			}
		expect(Math.max(...marks.values())).toBe(1);
	});

	it("reads every order line of a run from one snapshot, even when lines are committed while it runs", async () => {
		const before = await one<{ n: number }>(
			"select count(*)::int as n from transaction_data",
		);
		// A step in the snapshot that commits a new line on another connection, then counts what it reads.
		const sneaky = {
			name: "sneaky",
			sql: [],
			readsLines: true,
			async run(client: pg.PoolClient) {
				await pool.query(
					`insert into transaction_data (source, order_number, line_number, posting_date, customer, net_sales)
					 select source, 'SNEAKY', 1, posting_date, customer, 1000 from transaction_data limit 1`,
				);
				const r = await client.query<{ n: number }>(
					"select count(*)::int as n from compute_lines",
				);
				return r.rows[0]?.n ?? 0;
			},
		};
		try {
			const run = await runCompute(pool, sql, {
				trigger: "test",
				wait: false,
				log,
				steps: [sneaky],
			});
			if (run.status !== "succeeded") throw new Error("the run failed");
			expect(run.lines).toBe(before.n);
			expect(run.steps).toMatchObject([{ name: "sneaky", rows: before.n }]);
			const after = await one<{ n: number }>(
				"select count(*)::int as n from transaction_data",
			);
			expect(after.n).toBe(before.n + 1);
		} finally {
			await pool.query(
				"delete from transaction_data where order_number = 'SNEAKY'",
			);
			await runCompute(pool, sql, { trigger: "test", wait: false, log });
		}
	});
	it("keeps nothing of the steps in the snapshot when one of them fails, and records none of them as done", async () => {
		const before = await derivedChecksums(pool);
		const rebuilt = {
			name: "time_series_performance",
			sql: [],
			readsLines: true,
			async run(client: pg.PoolClient) {
				const r = await client.query("delete from time_series_performance");
				return r.rowCount ?? 0;
			},
		};
		const failing = {
			name: "failing",
			sql: [],
			readsLines: true,
			async run(): Promise<number> {
				throw new Error("step failed on purpose");
			},
		};
		await expect(
			runCompute(pool, sql, {
				trigger: "test",
				wait: false,
				log,
				steps: [rebuilt, failing],
			}),
		).rejects.toThrow("step failed on purpose");
		const run = await one<{ status: string; steps: unknown[]; error: string }>(
			"select status, steps, error from compute_runs order by id desc limit 1",
		);
		expect(run).toEqual({
			status: "failed",
			steps: [],
			error: "step failed on purpose",
		});
		expect(await derivedChecksums(pool)).toEqual(before);
	});
});
