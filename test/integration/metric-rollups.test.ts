import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeSql, runCompute } from "../../src/analytics/compute/run.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { loadSqlCatalog } from "../../src/db/sql-catalog.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { runIngest } from "../../src/ingest/run.ts";
import {
	createMetricCatalog,
	fetchBreakdown,
	fetchSeries,
	type MetricCatalog,
} from "../../src/metrics/index.ts";
import {
	ROLLUP_DIMENSIONS,
	ROLLUP_LOCK,
	rollupsFresh,
} from "../../src/metrics/rollups.ts";
import type { Grain } from "../../src/metrics/types.ts";
import { migrationsDir, projectRoot, sqlDir } from "../../src/paths.ts";
import {
	createTestDatabase,
	eventually,
	type TestDatabase,
} from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { CLI } from "../helpers/process.ts";
import {
	loadDemoWarehouse,
	onlineRetailSource,
	sourceFrom,
} from "../helpers/warehouse.ts";

/**
 * The sales rollups (migrations/017_sales_rollups.sql, src/metrics/rollups.ts) against the order
 * lines they sum: every catalog metric read through the product's path (fetchSeries,
 * fetchBreakdown) once with the rollups and once with them marked stale, which makes the same
 * call read transaction_data, must give the same series to the last digit.
 */

/** Rows of a rollup that a rebuild from the order lines would not write, and rows it would that are missing. */
async function rollupDrift(pool: Pool): Promise<number> {
	const { rows } = await pool.query<{ n: number }>(`
		with expected_daily as (
			select source, posting_date, customer, region, salesperson, branch, count(*) as lines,
				count(*) filter (where is_order) as order_lines, coalesce(bool_or(is_order), false) as is_order,
				sum(net_sales) as net_sales, sum(net_sales) filter (where gross_margin is not null) as costed,
				sum(total_cogs) as cogs, sum(gross_margin) as gm, sum(inv_quantity_cases) as qty,
				sum(case when gross_margin is not null then gross_margin
					when total_cogs is not null then net_sales - total_cogs end) as margin
			from transaction_data group by 1, 2, 3, 4, 5, 6
		), expected_monthly as (
			select source, date_trunc('month', posting_date)::date as posting_date, customer, region, salesperson, branch,
				sum(lines) as lines, sum(order_lines) as order_lines, bool_or(is_order) as is_order, sum(net_sales) as net_sales,
				sum(costed) as costed, sum(cogs) as cogs, sum(gm) as gm, sum(qty) as qty, sum(margin) as margin
			from expected_daily group by 1, 2, 3, 4, 5, 6
		), daily as (
			select source, posting_date, customer, region, salesperson, branch, lines, order_lines, is_order,
				net_sales, costed_net_sales, total_cogs, gross_margin, inv_quantity_cases, margin from sales_daily
		), monthly as (
			select source, posting_date, customer, region, salesperson, branch, lines, order_lines, is_order,
				net_sales, costed_net_sales, total_cogs, gross_margin, inv_quantity_cases, margin from sales_monthly
		), expected_totals as (
			select source, g as grain, date_trunc(g, posting_date)::date as posting_date, d as dimension,
				case when d = 'region' then region end as region, case when d = 'salesperson' then salesperson end as salesperson,
				case when d = 'branch' then branch end as branch,
				sum(lines) as lines, sum(order_lines) as order_lines, sum(net_sales) as net_sales, sum(costed) as costed,
				sum(cogs) as cogs, sum(gm) as gm, sum(qty) as qty, count(distinct customer) filter (where is_order) as customers
			from expected_daily, unnest(array['week', 'month']) g, unnest(array['', 'region', 'salesperson', 'branch']) d
			where d = '' or (case d when 'region' then region when 'salesperson' then salesperson else branch end) is not null
			group by 1, 2, 3, 4, 5, 6, 7
		), totals as (
			select source, grain, posting_date, dimension, region, salesperson, branch, lines, order_lines, net_sales,
				costed_net_sales, total_cogs, gross_margin, inv_quantity_cases, customers from sales_totals
		), expected_orders as (
			select source, order_number, customer, count(*) as lines,
				count(*) filter (where gross_margin is not null or total_cogs is not null) as margined_lines,
				sum(net_sales) as net_sales, sum(coalesce(gross_margin, net_sales - total_cogs)) as margin,
				coalesce(bool_or(is_order), false) as is_order,
				min(posting_date) filter (where is_order) as first_order_date,
				max(posting_date) filter (where is_order) as last_order_date
			from transaction_data group by 1, 2, 3
		), orders as (
			select source, order_number, customer, lines, margined_lines, net_sales, margin, is_order,
				first_order_date, last_order_date from sales_orders
		), expected_items as (
			select source, customer, material_number, sales_office_name, count(*) as lines,
				count(*) filter (where is_order) as order_lines,
				count(*) filter (where gross_margin is not null or total_cogs is not null) as margined_lines,
				sum(net_sales) as net_sales, sum(coalesce(gross_margin, net_sales - total_cogs)) as margin
			from transaction_data group by 1, 2, 3, 4
		), items as (
			select source, customer, material_number, sales_office_name, lines, order_lines,
				margined_lines, net_sales, margin
			from sales_items
		), marked as (
			-- customer_ordered: on exactly one row of a (source, customer, material), both set, with
			-- an order line, and on no other row.
			select count(*) filter (where customer_ordered) as marks,
				customer is not null and material_number is not null and bool_or(order_lines > 0) as counted
			from sales_items group by source, material_number, customer
		)
		select ((select count(*) from (select * from expected_daily except all select * from daily) a)
			+ (select count(*) from (select * from expected_totals except all select * from totals) e)
			+ (select count(*) from (select * from totals except all select * from expected_totals) f)
			+ (select count(*) from (select * from daily except all select * from expected_daily) b)
			+ (select count(*) from (select * from expected_monthly except all select * from monthly) c)
			+ (select count(*) from (select * from monthly except all select * from expected_monthly) d)
			+ (select count(*) from (select * from expected_orders except all select * from orders) g)
			+ (select count(*) from (select * from orders except all select * from expected_orders) h)
			+ (select count(*) from (select * from expected_items except all select * from items) i)
			+ (select count(*) from (select * from items except all select * from expected_items) j)
			+ (select count(*) from marked where marks <> case when counted then 1 else 0 end))::int as n`);
	return rows[0]?.n ?? -1;
}

/** A pool whose statements are recorded, to see which table a read went to. */
function recording(pool: Pool): { pool: Pool; texts: string[] } {
	const texts: string[] = [];
	const spy = new Proxy(pool, {
		get(target, prop, receiver) {
			if (prop === "query")
				return (text: string, values?: unknown[]) => {
					texts.push(text);
					return target.query(text, values);
				};
			return Reflect.get(target, prop, receiver);
		},
	});
	return { pool: spy, texts };
}

/**
 * Reads `read` with the rollups fresh, then with a committed mark in sales_rollup_dirty (which
 * sends every read to transaction_data), and says which tables the first read used.
 */
async function bothWays<T>(
	pool: Pool,
	read: (p: Pool) => Promise<T>,
): Promise<{ rollup: T; lines: T; usedRollup: boolean }> {
	expect(await rollupsFresh(pool)).toBe(true);
	const spy = recording(pool);
	const rollup = await read(spy.pool);
	const usedRollup = spy.texts.some((t) =>
		/\bsales_(daily|monthly|totals)\b/.test(t),
	);
	await pool.query("insert into sales_rollup_dirty (xid) values (-1)");
	try {
		const plain = recording(pool);
		const lines = await read(plain.pool);
		expect(
			plain.texts.some((t) => /\bsales_(daily|monthly|totals)\b/.test(t)),
		).toBe(false);
		return { rollup, lines, usedRollup };
	} finally {
		await pool.query("delete from sales_rollup_dirty where xid = -1");
	}
}

/**
 * Every catalog metric on every grain it allows, and broken down by every dimension it allows
 * (top members, each member's series, the total): equal both ways. Returns the ids of the
 * metrics the rollups served, so a caller can check the rollups were used at all.
 */
async function expectEveryMetricEqual(
	pool: Pool,
	catalog: MetricCatalog,
): Promise<Set<string>> {
	const served = new Set<string>();
	for (const m of catalog.metrics) {
		for (const grain of m.grains as Grain[]) {
			const r = await bothWays(pool, (p) =>
				fetchSeries(p, catalog, m, { grain }),
			);
			expect(r.rollup, `${m.id} by ${grain}`).toEqual(r.lines);
			if (r.usedRollup) served.add(m.id);
		}
		for (const d of m.dimensions) {
			const r = await bothWays(pool, (p) =>
				fetchBreakdown(p, catalog, m, d, { limit: 3 }).catch(
					(err: Error) => err.message,
				),
			);
			expect(r.rollup, `${m.id} by ${d}`).toEqual(r.lines);
			const onRollup = ROLLUP_DIMENSIONS.has(d) && m.sql.rollup !== undefined;
			if (typeof r.lines !== "string" && onRollup)
				expect(r.usedRollup, `${m.id} by ${d} reads a rollup`).toBe(true);
		}
	}
	return served;
}

/** Metrics a rollup row can serve: sums and distinct customers, not orders or anything by item. */
const SERVED = [
	"revenue",
	"cogs",
	"gross_margin",
	"margin_pct",
	"order_lines",
	"units",
	"active_customers",
	"new_customers",
	"churned_customers",
	"revenue_per_customer",
];

describe("sales rollups on the demo ERP", () => {
	const { log } = memoryLogger();
	const catalog = createMetricCatalog();
	let dir: string;
	let file: string;
	let config: string;
	let db: TestDatabase;
	let pool: Pool;
	const source = () =>
		sourceFrom(`connection: {kind: sqlite, file: ${file}}\nmapping: demo-erp`);

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-rollups-"));
		file = path.join(dir, "erp.sqlite");
		config = path.join(dir, "erp-pulse.yaml");
		writeFileSync(
			config,
			`demo: {enabled: false}\nsources:\n  erp:\n    connection: {kind: sqlite, file: ${file}}\n    mapping: demo-erp\n`,
		);
		await generateDemoErp({ file, seed: 7, lines: 20_000 });
		db = await createTestDatabase("rollups");
		pool = createPool(db.url, log, { max: 3 });
		await migrate(pool, migrationsDir, log);
		// Ingest, then compute (segments), as the bot does after a load.
		await loadDemoWarehouse(pool, file, { log });
	}, 180_000);
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("are written by the first load, fresh, and hold exactly the order lines' sums", async () => {
		expect(await rollupsFresh(pool)).toBe(true);
		const { rows } = await pool.query<{
			lines: number;
			daily: number;
			monthly: number;
		}>(
			`select (select count(*) from transaction_data)::int as lines,
				(select sum(lines) from sales_daily)::int as daily, (select sum(lines) from sales_monthly)::int as monthly`,
		);
		expect(rows[0]?.lines).toBeGreaterThan(19_000);
		expect(rows[0]?.daily).toBe(rows[0]?.lines);
		expect(rows[0]?.monthly).toBe(rows[0]?.lines);
		expect(await rollupDrift(pool)).toBe(0);
	});

	it("give every catalog metric the same series as the order lines, on every grain and dimension", async () => {
		const served = await expectEveryMetricEqual(pool, catalog);
		expect([...served].sort()).toEqual([...SERVED].sort());
	}, 300_000);

	it("are left stale by a write outside the ingest: metrics read the lines until compute rebuilds them", async () => {
		const revenue = catalog.get("revenue");
		if (!revenue) throw new Error("no revenue metric");
		const last = await fetchSeries(pool, catalog, revenue, { grain: "month" });
		const lastPoint = last.points.at(-1);
		if (!lastPoint) throw new Error("no points");
		await pool.query(
			`insert into transaction_data (source, order_number, line_number, customer, posting_date, year_month, net_sales, region)
			 values ('erp', 'MANUAL-1', 1, null, $1::date, to_char($1::date, 'YYYY-MM'), 1234.5678, 'North')`,
			[lastPoint.period],
		);
		expect(await rollupsFresh(pool)).toBe(false);
		const stale = await fetchSeries(pool, catalog, revenue, { grain: "month" });
		expect(stale.points.at(-1)?.value).toBeCloseTo(
			(lastPoint.value ?? 0) + 1234.5678,
			4,
		);
		const sql = loadSqlCatalog(sqlDir);
		sql.requireAll(computeSql());
		const run = await runCompute(pool, sql, {
			trigger: "test",
			wait: true,
			log,
		});
		expect(run.status).toBe("succeeded");
		expect(await rollupsFresh(pool)).toBe(true);
		expect(await rollupDrift(pool)).toBe(0);
		const after = await bothWays(pool, (p) =>
			fetchSeries(p, catalog, revenue, { grain: "month" }),
		);
		expect(after.usedRollup).toBe(true);
		expect(after.rollup).toEqual(after.lines);
		expect(after.rollup.points.at(-1)?.value).toBe(stale.points.at(-1)?.value);
		await pool.query(
			"delete from transaction_data where order_number = 'MANUAL-1'",
		);
		await runCompute(pool, sql, { trigger: "test", wait: true, log });
		expect(await rollupDrift(pool)).toBe(0);
	}, 120_000);

	it("follow an incremental ingest: new lines, and an invoice moved to another day and customer, read the same both ways", async () => {
		const erp = new DatabaseSync(file);
		const hdr = erp
			.prepare(
				"select InvoiceNo, InvoiceDate, CustNo, SalesRepName, BranchCode, max(PostedAt) over () as posted from SLS_INVOICE_HDR where DocType <> 'CRN' order by InvoiceDate desc limit 1",
			)
			.get() as Record<string, string>;
		const old = erp
			.prepare(
				"select InvoiceNo, InvoiceDate, CustNo from SLS_INVOICE_HDR where DocType <> 'CRN' and InvoiceDate < ? order by InvoiceDate limit 1 offset 200",
			)
			.get(hdr.InvoiceDate as string) as Record<string, string>;
		const other = erp
			.prepare(
				"select CustNo from SLS_INVOICE_HDR where CustNo <> ? order by InvoiceDate limit 1",
			)
			.get(old.CustNo as string) as Record<string, string>;
		// A new invoice on the last day, and an old invoice re-dated to the last day (a late correction).
		erp
			.prepare(
				"insert into SLS_INVOICE_HDR select 'ROLLUP-NEW', InvoiceDate, CustNo, SalesRepName, BranchCode, DocType, Currency, ? from SLS_INVOICE_HDR where InvoiceNo = ?",
			)
			.run(hdr.posted as string, hdr.InvoiceNo as string);
		erp
			.prepare(
				"insert into SLS_INVOICE_LIN select 'ROLLUP-NEW', LineNo, ItemNo, QtyCases, UnitPrice, ExtPrice + 1000, ExtCost, DiscountPct from SLS_INVOICE_LIN where InvoiceNo = ?",
			)
			.run(hdr.InvoiceNo as string);
		// … and billed to another customer: the items rollup must drop it from the first.
		erp
			.prepare(
				"update SLS_INVOICE_HDR set InvoiceDate = ?, PostedAt = ?, CustNo = ? where InvoiceNo = ?",
			)
			.run(
				hdr.InvoiceDate as string,
				hdr.posted as string,
				other.CustNo as string,
				old.InvoiceNo as string,
			);
		erp.close();

		const before = await pool.query<{ n: number }>(
			"select count(*)::int as n from transaction_data",
		);
		const revenue = catalog.get("revenue");
		if (!revenue) throw new Error("no revenue metric");
		const lastDay = (hdr.InvoiceDate as string).slice(0, 10);
		const dayRevenue = async () =>
			(
				await fetchSeries(pool, catalog, revenue, {
					grain: "day",
					since: lastDay,
					until: lastDay,
				})
			).points[0]?.value ?? 0;
		const revenueBefore = await dayRevenue();
		const customersOf = async (invoice: string) =>
			(
				await pool.query<{ customer: string }>(
					"select distinct customer from transaction_data where order_number = $1",
					[invoice],
				)
			).rows.map((r) => r.customer);
		const customerBefore = await customersOf(old.InvoiceNo as string);
		expect(customerBefore).toHaveLength(1);
		const result = await runIngest(pool, source(), { log });
		expect(result.entities.order_lines?.loaded).toBeGreaterThan(0);
		expect(result.entities.order_lines?.rollupMs).toBeGreaterThanOrEqual(0);
		const moved = await pool.query<{ d: string }>(
			"select distinct posting_date::text as d from transaction_data where order_number = $1",
			[old.InvoiceNo],
		);
		expect(moved.rows.map((r) => r.d)).toEqual([hdr.InvoiceDate?.slice(0, 10)]);
		const customerAfter = await customersOf(old.InvoiceNo as string);
		expect(customerAfter).toHaveLength(1);
		expect(customerAfter[0]).not.toBe(customerBefore[0]);
		const after = await pool.query<{ n: number }>(
			"select count(*)::int as n from transaction_data",
		);
		expect(after.rows[0]?.n).toBeGreaterThan(before.rows[0]?.n ?? 0);
		// The last day's revenue, read from the rollups, gains the new invoice and the re-dated one.
		const added = await pool.query<{ net: number }>(
			"select sum(net_sales)::float8 as net from transaction_data where order_number in ($1, 'ROLLUP-NEW')",
			[old.InvoiceNo],
		);
		expect(added.rows[0]?.net).toBeGreaterThan(0);
		expect(await dayRevenue()).toBeCloseTo(
			revenueBefore + (added.rows[0]?.net ?? 0),
			4,
		);

		expect(await rollupsFresh(pool)).toBe(true);
		expect(await rollupDrift(pool)).toBe(0);
		const served = await expectEveryMetricEqual(pool, catalog);
		expect([...served].sort()).toEqual([...SERVED].sort());
	}, 300_000);

	it("lose nothing when the ingest is killed with SIGKILL while it brings them up to date", async () => {
		const erp = new DatabaseSync(file);
		const posted = (
			erp.prepare("select max(PostedAt) as p from SLS_INVOICE_HDR").get() as {
				p: string;
			}
		).p;
		erp
			.prepare(
				"insert into SLS_INVOICE_HDR select 'ROLLUP-KILL', InvoiceDate, CustNo, SalesRepName, BranchCode, DocType, Currency, ? from SLS_INVOICE_HDR where InvoiceNo = 'ROLLUP-NEW'",
			)
			.run(posted);
		erp
			.prepare(
				"insert into SLS_INVOICE_LIN select 'ROLLUP-KILL', LineNo, ItemNo, QtyCases, UnitPrice, ExtPrice, ExtCost, DiscountPct from SLS_INVOICE_LIN where InvoiceNo = 'ROLLUP-NEW'",
			)
			.run();
		erp.close();

		// Hold the rollups' lock, so the ingest stops inside its rollup step, its lines written.
		const holder = new pg.Client({ connectionString: db.url });
		await holder.connect();
		try {
			await holder.query("select pg_advisory_lock($1)", [
				ROLLUP_LOCK.toString(),
			]);
			const child = spawn(
				process.execPath,
				[CLI, "-c", config, "ingest", "erp"],
				{
					cwd: projectRoot,
					env: { PATH: process.env.PATH, DATABASE_URL: db.url },
					stdio: "ignore",
				},
			);
			const exited = new Promise<void>((resolve) =>
				child.on("close", () => resolve()),
			);
			const waiting = await eventually(async () => {
				const { rows } = await holder.query<{ pid: number }>(
					"select pid from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())",
				);
				return rows[0]?.pid;
			}, 120_000);
			child.kill("SIGKILL");
			await exited;
			await holder.query("select pg_advisory_unlock($1)", [
				ROLLUP_LOCK.toString(),
			]);
			// Its backend finds the client gone once the lock is granted, and rolls back.
			await eventually(async () => {
				const { rows } = await holder.query(
					"select 1 from pg_stat_activity where pid = $1",
					[waiting],
				);
				return rows.length === 0 ? true : undefined;
			}, 60_000);
		} finally {
			await holder.end();
		}
		const killed = await pool.query<{ n: number }>(
			"select count(*)::int as n from transaction_data where order_number = 'ROLLUP-KILL'",
		);
		expect(killed.rows[0]?.n).toBe(0);
		expect(await rollupsFresh(pool)).toBe(true);
		expect(await rollupDrift(pool)).toBe(0);

		// The restart loads the lines once, and the rollups with them.
		await runIngest(pool, source(), { log });
		const loaded = await pool.query<{ n: number; new: number }>(
			`select count(*) filter (where order_number = 'ROLLUP-KILL')::int as n,
				count(*) filter (where order_number = 'ROLLUP-NEW')::int as new from transaction_data`,
		);
		expect(loaded.rows[0]?.n).toBeGreaterThan(0);
		expect(loaded.rows[0]?.n).toBe(loaded.rows[0]?.new);
		expect(await rollupsFresh(pool)).toBe(true);
		expect(await rollupDrift(pool)).toBe(0);
	}, 300_000);
});

describe("sales rollups on the UCI Online Retail dataset", () => {
	const { log } = memoryLogger();
	const catalog = createMetricCatalog();
	let db: TestDatabase;
	let pool: Pool;

	beforeAll(async () => {
		db = await createTestDatabase("rollups_retail");
		pool = createPool(db.url, log, { max: 3 });
		await migrate(pool, migrationsDir, log);
		await runIngest(pool, onlineRetailSource(), { log });
	}, 300_000);
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
	});

	it("hold exactly the order lines' sums after the first load", async () => {
		expect(await rollupsFresh(pool)).toBe(true);
		expect(await rollupDrift(pool)).toBe(0);
	}, 120_000);

	it("give every catalog metric the same series as the order lines", async () => {
		const served = await expectEveryMetricEqual(pool, catalog);
		// No cost column: cogs, gross margin and margin % say "no cost data" both ways.
		expect(served).toContain("revenue");
		expect(served).toContain("active_customers");
		expect(served).toContain("churned_customers");
	}, 600_000);
});
