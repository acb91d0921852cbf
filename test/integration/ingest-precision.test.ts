import {
	copyFileSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { runIngest } from "../../src/ingest/run.ts";
import {
	createMetricCatalog,
	fetchSeries,
	metricNamed,
} from "../../src/metrics/index.ts";
import { migrationsDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { sourceFrom } from "../helpers/warehouse.ts";

/**
 * Line amounts are stored as the source gives them, to 4 decimal places (issue: "the data
 * pipeline at the speed of Postgres", money precision). The first five rows are the first five of
 * the Tableau "Sample - Superstore" export (Sales and Profit carry up to 4 places: 957.5775,
 * 41.9136); twelve more are sample lines of 0.004 with a profit of 0.0015, which numeric(18,2)
 * stored as 0.00.
 *
 * Expected totals, added by hand from the file's own values:
 *   Sales  = 261.96 + 731.94 + 14.62 + 957.5775 + 22.368 + 12 x 0.004 = 1988.5135
 *   Profit = 41.9136 + 219.582 + 6.8714 - 383.031 + 2.5164 + 12 x 0.0015 = -112.1296
 * Rounding every line to cents first gave 1988.47 and -112.15: 4 and 2 cents away from the
 * source's own totals (1988.51 and -112.13 in cents).
 */
const SUPERSTORE = [
	["CA-2016-152156", "1", "2016-11-08", "CG-12520", "261.96", "41.9136"],
	["CA-2016-152156", "2", "2016-11-08", "CG-12520", "731.94", "219.582"],
	["CA-2016-138688", "1", "2016-06-12", "DV-13045", "14.62", "6.8714"],
	["US-2015-108966", "1", "2015-10-11", "SO-20335", "957.5775", "-383.031"],
	["US-2015-108966", "2", "2015-10-11", "SO-20335", "22.368", "2.5164"],
];
const SAMPLES = Array.from({ length: 12 }, (_, i) => [
	"CA-2016-999999",
	String(i + 1),
	"2016-11-09",
	"CG-12520",
	"0.004",
	"0.0015",
]);

describe("order-line amounts keep the source's decimals", () => {
	const { log } = memoryLogger();
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-precision-"));
		db = await createTestDatabase("precision");
		pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
		const rows = [...SUPERSTORE, ...SAMPLES].map((r) => r.join(","));
		writeFileSync(
			path.join(dir, "orders.csv"),
			`Order ID,Line,Order Date,Customer ID,Sales,Profit\n${rows.join("\n")}\n`,
		);
		writeFileSync(
			path.join(dir, "superstore.yaml"),
			"entities:\n  order_lines:\n    from: {table: orders}\n    columns: {order_number: Order ID, line_number: Line, posting_date: Order Date, customer: Customer ID, net_sales: Sales, gross_margin: Profit}\n",
		);
		const run = await runIngest(
			pool,
			sourceFrom(
				`connection: {kind: csv, path: ${dir}}\nmapping: ${path.join(dir, "superstore.yaml")}`,
				"store",
			),
			{ log },
		);
		expect(run.entities.order_lines).toMatchObject({
			read: 17,
			loaded: 17,
			rejected: 0,
		});
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("stores each line's Sales and Profit as written, and a 0.004 line as an order", async () => {
		const { rows } = await pool.query<{
			net: string;
			margin: string;
			is_order: boolean;
		}>(
			`select net_sales::float8::text as net, gross_margin::float8::text as margin, is_order
			 from transaction_data order by posting_date, order_number, line_number`,
		);
		const byDate = [...SUPERSTORE, ...SAMPLES].sort((a, b) =>
			`${a[2]}${a[0]}${a[1]?.padStart(3, "0")}`.localeCompare(
				`${b[2]}${b[0]}${b[1]?.padStart(3, "0")}`,
			),
		);
		expect(rows.map((r) => [r.net, r.margin])).toEqual(
			byDate.map((r) => [String(Number(r[4])), String(Number(r[5]))]),
		);
		expect(rows.every((r) => r.is_order)).toBe(true);
	});

	it("adds up to the source's own totals, in SQL and in the metric catalog", async () => {
		const { rows } = await pool.query(
			"select sum(net_sales)::text as sales, sum(gross_margin)::text as profit from transaction_data",
		);
		expect(rows[0]).toEqual({ sales: "1988.5135", profit: "-112.1296" });
		const catalog = createMetricCatalog();
		const total = async (name: string) => {
			const metric = metricNamed(catalog, name);
			const s = await fetchSeries(pool, catalog, metric, {
				grain: "month",
				since: "2015-10-01",
				until: "2016-11-01",
			});
			return s.points.reduce((sum, p) => sum + (p.value ?? 0), 0);
		};
		expect(await total("revenue")).toBeCloseTo(1988.5135, 6);
		expect(await total("gross_margin")).toBeCloseTo(-112.1296, 6);
	});
});

describe("migrations/016_line_amounts.sql on a warehouse loaded before it", () => {
	const { log } = memoryLogger();
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-migrations-"));
		for (const f of readdirSync(migrationsDir).filter((f) => f < "016_"))
			copyFileSync(path.join(migrationsDir, f), path.join(dir, f));
		db = await createTestDatabase("precision_upgrade");
		pool = createPool(db.url, log, { max: 2 });
		await migrate(pool, dir, log);
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("keeps every amount and the order flag, and then stores 4 places", async () => {
		await pool.query(
			`insert into transaction_data (source, order_number, line_number, posting_date, year_month, net_sales, total_cogs, gross_margin, is_cancellation)
			 values ('erp', 'A', 1, '2025-01-02', '2025-01', 15.30, 10.10, 5.20, false),
			        ('erp', 'A', 2, '2025-01-02', '2025-01', 0.00, null, null, false),
			        ('erp', 'C', 1, '2025-01-03', '2025-01', -15.30, -10.10, -5.20, true)`,
		);
		const lines = () =>
			pool.query(
				"select order_number, line_number, net_sales::float8 as net, total_cogs::float8 as cogs, gross_margin::float8 as margin, is_order from transaction_data order by 1, 2",
			);
		const before = (await lines()).rows;
		await migrate(pool, migrationsDir, log);
		expect((await lines()).rows).toEqual(before);
		expect(before.map((r) => r.is_order)).toEqual([true, false, false]);
		await pool.query(
			`insert into transaction_data (source, order_number, line_number, posting_date, year_month, net_sales, is_cancellation)
			 values ('erp', 'B', 1, '2025-01-04', '2025-01', 0.001, false)`,
		);
		const { rows } = await pool.query(
			"select net_sales::text as net, is_order from transaction_data where order_number = 'B'",
		);
		expect(rows).toEqual([{ net: "0.0010", is_order: true }]);
	});
});
