import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatValue } from "../../commands/format.ts";
import { seriesText } from "../../commands/metric.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { loadQueryLibrary, runQuery } from "../../src/library/library.ts";
import {
	correlate,
	createMetricCatalog,
	fetchBreakdown,
	fetchSeries,
	type MetricDefinition,
} from "../../src/metrics/index.ts";
import { migrationsDir, sqlDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { runCli } from "../helpers/process.ts";
import { sourceFrom } from "../helpers/warehouse.ts";

/** The metric catalog and the query library on a small demo ERP loaded through the real ingest. */
describe("the metric catalog on the demo ERP", () => {
	const { log } = memoryLogger();
	const catalog = createMetricCatalog();
	let db: TestDatabase;
	let pool: Pool;
	let dir: string;

	const metric = (id: string): MetricDefinition => {
		const m = catalog.get(id);
		if (!m) throw new Error(`no metric ${id}`);
		return m;
	};
	const one = async <T>(text: string, values: unknown[] = []): Promise<T> =>
		(await pool.query(text, values)).rows[0] as T;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-metrics-"));
		const file = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file, seed: 7, lines: 20_000 });
		db = await createTestDatabase("metrics");
		pool = createPool(db.url, log, { max: 2 });
		await migrate(pool, migrationsDir, log);
		await runIngest(
			pool,
			sourceFrom(
				`connection: {kind: sqlite, file: ${file}}\nmapping: demo-erp`,
			),
			{ log },
		);
	}, 180_000);
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("returns a series with values for every metric", async () => {
		for (const m of catalog.metrics) {
			const s = await fetchSeries(pool, catalog, m, { grain: "month" });
			expect(s.missing, m.id).toBeNull();
			expect(s.points.length, m.id).toBeGreaterThan(100);
			expect(
				s.points.filter((p) => p.value !== null).length,
				m.id,
			).toBeGreaterThan(100);
		}
	}, 120_000);

	it("ties revenue out to the sum of net sales over the same months", async () => {
		const s = await fetchSeries(pool, catalog, metric("revenue"), {
			since: "2021-01-01",
			until: "2022-06-30",
		});
		expect(s.points).toHaveLength(18);
		const total = s.points.reduce((a, p) => a + (p.value ?? 0), 0);
		const direct = await one<{ total: string }>(
			"select sum(net_sales)::text as total from transaction_data where posting_date >= '2021-01-01' and posting_date < '2022-07-01'",
		);
		expect(total).toBeCloseTo(Number(direct.total), 2);
	});

	it("counts orders and active customers per week as direct SQL does", async () => {
		const opts = {
			grain: "week" as const,
			since: "2024-03-04",
			until: "2024-05-26",
		};
		const orders = await fetchSeries(pool, catalog, metric("orders"), opts);
		const customers = await fetchSeries(
			pool,
			catalog,
			metric("active_customers"),
			opts,
		);
		const { rows } = await pool.query<{
			week: string;
			orders: number;
			customers: number;
		}>(
			`select to_char(date_trunc('week', posting_date), 'YYYY-MM-DD') as week,
				count(distinct order_number)::int as orders, count(distinct customer)::int as customers
			 from transaction_data where not is_cancellation and net_sales > 0 and posting_date between '2024-03-04' and '2024-05-26'
			 group by 1 order by 1`,
		);
		expect(orders.points.map((p) => p.period)).toEqual(rows.map((r) => r.week));
		expect(orders.points.map((p) => p.value)).toEqual(
			rows.map((r) => r.orders),
		);
		expect(customers.points.map((p) => p.value)).toEqual(
			rows.map((r) => r.customers),
		);
	});

	it("divides revenue by orders and by active customers per month as direct SQL does", async () => {
		const opts = {
			grain: "month" as const,
			since: "2024-01-01",
			until: "2024-06-30",
		};
		const aov = await fetchSeries(
			pool,
			catalog,
			metric("average_order_value"),
			opts,
		);
		const perCustomer = await fetchSeries(
			pool,
			catalog,
			metric("revenue_per_customer"),
			opts,
		);
		// Every line's revenue (cancellations net against it), over the orders and the customers
		// with a line that makes an order — not a cancellation, net sales above zero (README,
		// "Definitions"), written out here rather than read from the is_order column.
		const { rows } = await pool.query<{ aov: number; per_customer: number }>(
			`select sum(net_sales)::float8 / count(distinct order_number) filter (where not is_cancellation and net_sales > 0) as aov,
				sum(net_sales)::float8 / count(distinct customer) filter (where not is_cancellation and net_sales > 0) as per_customer
			 from transaction_data where posting_date between '2024-01-01' and '2024-06-30'
			 group by date_trunc('month', posting_date) order by date_trunc('month', posting_date)`,
		);
		expect(aov.points).toHaveLength(6);
		for (const [i, p] of aov.points.entries())
			expect(p.value).toBeCloseTo(rows[i]?.aov as number, 6);
		for (const [i, p] of perCustomer.points.entries())
			expect(p.value).toBeCloseTo(rows[i]?.per_customer as number, 6);
	});

	it("sums a ratio metric up by the ratio of its totals, not by the mean of its months", async () => {
		const opts = { since: "2024-01-01", until: "2024-06-30" };
		// Independently, in JavaScript over the raw lines and quotes of the same six months.
		const lines = (
			await pool.query<{
				net: string;
				gm: string | null;
				order_number: string;
				customer: string | null;
				cancel: boolean;
			}>(
				`select net_sales::text as net, gross_margin::text as gm, order_number, customer, is_cancellation as cancel
				   from transaction_data where posting_date between '2024-01-01' and '2024-06-30'`,
			)
		).rows;
		const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
		const net = sum(lines.map((l) => Number(l.net)));
		const withCost = lines.filter((l) => l.gm !== null);
		const expected: Record<string, number> = {
			margin_pct:
				(100 * sum(withCost.map((l) => Number(l.gm)))) /
				sum(withCost.map((l) => Number(l.net))),
			average_order_value:
				net /
				new Set(
					lines
						.filter((l) => !l.cancel && Number(l.net) > 0)
						.map((l) => l.order_number),
				).size,
			revenue_per_customer:
				net /
				new Set(
					lines
						.filter((l) => !l.cancel && Number(l.net) > 0)
						.map((l) => l.customer),
				).size,
		};
		const quotes = (
			await pool.query<{ status: string }>(
				`select status from sales_quotes
				  where coalesce(close_date, quote_date) between '2024-01-01' and '2024-06-30'`,
			)
		).rows;
		const decided = quotes.filter(
			(q) => q.status === "won" || q.status === "lost",
		);
		expected.win_rate =
			(100 * decided.filter((q) => q.status === "won").length) / decided.length;
		for (const [id, value] of Object.entries(expected)) {
			const m = metric(id);
			const s = await fetchSeries(pool, catalog, m, opts);
			expect(s.overall, id).toBeCloseTo(value, 6);
			const months = s.points
				.map((p) => p.value)
				.filter((v): v is number => v !== null);
			const meanOfMonths = sum(months) / months.length;
			// The two differ on this data, so the check tells them apart.
			expect(Math.abs(meanOfMonths - value), id).toBeGreaterThan(1e-6);
			expect(seriesText(m, s)).toContain(
				`over the 6 months: ${formatValue(value, m, s.unit)}`,
			);
		}
	});

	it("labels the summary of a flow as its total and of a level or distinct count as an average per period", async () => {
		const opts = { since: "2024-01-01", until: "2024-06-30" };
		const revenue = await fetchSeries(pool, catalog, metric("revenue"), opts);
		expect(seriesText(metric("revenue"), revenue)).toMatch(
			/\ntotal over the 6 months: \$[\d,.]+[KM]?(;|$)/,
		);
		const active = await fetchSeries(
			pool,
			catalog,
			metric("active_customers"),
			opts,
		);
		expect(seriesText(metric("active_customers"), active)).toMatch(
			/\naverage per month: [\d,.]+(;|$)/,
		);
	});

	it("says under its title when a correlation is filtered, and not when it is not", async () => {
		const { region } = await one<{ region: string }>(
			"select region from transaction_data where region is not null group by region order by count(*) desc limit 1",
		);
		const env = { DATABASE_URL: db.url };
		const filtered = await runCli(
			["correlate", "revenue", "orders", "--by", `region=${region}`],
			env,
		);
		expect(filtered.code).toBe(0);
		expect(filtered.stdout.split("\n")[1]).toBe(
			`Only region = ${region}: every series below counts just those rows.`,
		);
		const whole = await runCli(["correlate", "revenue", "orders"], env);
		expect(whole.stdout).not.toContain("Only ");
	});

	it("breaks revenue down by region into parts that add up to the whole", async () => {
		const b = await fetchBreakdown(pool, catalog, metric("revenue"), "region", {
			last: 6,
			limit: 20,
		});
		expect(b.members.length).toBeGreaterThan(1);
		b.total.points.forEach((p, i) => {
			const parts = b.members.reduce(
				(a, m) => a + (m.series.points[i]?.value ?? 0),
				0,
			);
			expect(parts).toBeCloseTo(p.value ?? 0, 2);
		});
	});

	it("binds a dimension value that looks like SQL: no rows match, and the warehouse is untouched", async () => {
		const s = await fetchSeries(pool, catalog, metric("revenue"), {
			last: 3,
			filter: {
				dimension: "region",
				value: "North'; drop table transaction_data; --",
			},
		});
		expect(s.points.map((p) => p.value)).toEqual([0, 0, 0]);
		const lines = await one<{ n: number }>(
			"select count(*)::int as n from transaction_data",
		);
		expect(lines.n).toBeGreaterThan(0);
	});

	it("says segments are not computed yet until compute has filled them, then filters by them", async () => {
		await expect(
			fetchSeries(pool, catalog, metric("revenue"), {
				filter: { dimension: "segment", value: "Champions" },
			}),
		).rejects.toThrow("segments not computed yet — run erp-pulse compute");
		await pool.query(
			"update customer_master set rfm_segment = 'Champions' where customer in (select customer from customer_master order by customer limit 50)",
		);
		const s = await fetchSeries(pool, catalog, metric("revenue"), {
			last: 12,
			filter: { dimension: "segment", value: "Champions" },
		});
		expect(s.points.some((p) => (p.value ?? 0) > 0)).toBe(true);
		await pool.query("update customer_master set rfm_segment = null");
	});

	it("names definitional overlap when correlating revenue with active customers", async () => {
		const out = await correlate(pool, catalog, "revenue", "active_customers");
		if (out.kind !== "pair") throw new Error("expected a pair");
		expect(out.result.x.metric).toBe("active_customers");
		expect(out.result.y.metric).toBe("revenue");
		expect(out.result.verdict.patterns).toContain("definitional_overlap");
		expect(
			[out.result.verdict.sentence, ...out.result.verdict.details].join(" "),
		).toMatch(/[Rr]evenue is built from active customers/);
	});

	it("refuses to give r on fewer than 6 aligned months and says why", async () => {
		const end = await one<{ d: string }>(
			"select to_char(max(posting_date) - interval '3 months', 'YYYY-MM-DD') as d from transaction_data",
		);
		const out = await correlate(pool, catalog, "revenue", "orders", {
			since: end.d,
		});
		if (out.kind !== "pair") throw new Error("expected a pair");
		expect(out.result.status).toBe("refused");
		if (out.result.status !== "refused") return;
		expect(out.result.code).toBe("too_few_points");
		expect(out.result.reason).toBe("only 4 months overlap; need at least 6");
	});

	it("ranks every other catalog metric against revenue with Benjamini–Hochberg q-values", async () => {
		const out = await correlate(pool, catalog, "revenue");
		if (out.kind !== "ranking") throw new Error("expected a ranking");
		expect(out.skipped).toEqual([]);
		expect(out.ranking.entries.map((e) => e.result.x.metric).sort()).toEqual(
			catalog.metrics
				.map((m) => m.id)
				.filter((id) => id !== "revenue")
				.sort(),
		);
		for (const e of out.ranking.entries) {
			expect(e.result.status).toBe("ok");
			expect(e.q).not.toBeNull();
			expect(e.q ?? -1).toBeGreaterThanOrEqual(0);
			expect(e.q ?? 2).toBeLessThanOrEqual(1);
		}
	}, 120_000);

	it("runs every library query without error and returns its columns", async () => {
		const lib = loadQueryLibrary(path.join(sqlDir, "library"));
		expect(lib.queries.length).toBeGreaterThanOrEqual(30);
		for (const q of lib.queries) {
			const run = await runQuery(pool, lib, q.name, {});
			expect(run.columns.length, q.name).toBeGreaterThan(0);
			if (!q.title.endsWith("(computed)"))
				expect(run.rows.length, q.name).toBeGreaterThan(0);
		}
	}, 120_000);

	it("runs library queries read-only", async () => {
		const lib = loadQueryLibrary(path.join(sqlDir, "library"));
		const client = await pool.connect();
		try {
			await client.query("begin read only");
			await expect(
				client.query("delete from transaction_data"),
			).rejects.toThrow(/read-only/);
			await client.query("rollback");
		} finally {
			client.release();
		}
		const run = await runQuery(
			pool,
			lib,
			"top-products",
			{ limit: "3" },
			{ rowCap: 2 },
		);
		expect(run.rows).toHaveLength(2);
		expect(run.truncated).toBe(true);
	});

	it("answers on the command line: verdicts, tables, did-you-mean with exit 2, missing data with exit 1", async () => {
		const env = { DATABASE_URL: db.url };
		const pair = await runCli(["correlate", "revenue", "customers"], env);
		expect(pair.code).toBe(0);
		expect(pair.stdout).toContain(
			"revenue (USD) vs active customers (customers)",
		);
		expect(pair.stdout).toMatch(/Verdict: /);
		const table = await runCli(
			["metric", "revenue", "by", "region", "last", "3", "months"],
			env,
		);
		expect(table.code).toBe(0);
		expect(table.stdout).toMatch(/^period +/m);
		const typo = await runCli(["metric", "revnue"], env);
		expect(typo.code).toBe(2);
		expect(typo.stderr).toContain(
			"unknown metric 'revnue' — did you mean revenue?",
		);
		const grain = await runCli(
			["correlate", "revenue", "orders", "--grain", "year"],
			env,
		);
		expect(grain.code).toBe(2);
		expect(grain.stderr).toContain(
			"unknown grain 'year' — use day, week or month",
		);
		const segments = await runCli(["metric", "revenue", "by", "segment"], env);
		expect(segments.code).toBe(1);
		expect(segments.stderr).toContain(
			"segments not computed yet — run erp-pulse compute",
		);
		const query = await runCli(
			["query", "run", "top-products", "--param", "limit=2"],
			env,
		);
		expect(query.code).toBe(0);
		expect(query.stdout).toContain("2 rows");
		const badParam = await runCli(
			["query", "run", "top-products", "--param", "limit=lots"],
			env,
		);
		expect(badParam.code).toBe(2);
		expect(badParam.stderr).toContain(
			'parameter "limit" expects a whole number from 1 to 1000, got "lots"',
		);
	}, 120_000);
});
