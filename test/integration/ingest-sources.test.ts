import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import {
	copyDemoToMysql,
	copyDemoToPostgres,
	demoSalesLineSelect,
	exportDemoCsv,
} from "../../src/demo/export.ts";
import { exportDemoParquet } from "../../src/demo/export-parquet.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { migrationsDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { sourceFrom, warehouseChecksums } from "../helpers/warehouse.ts";

const MYSQL_URL = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";

/**
 * The demo ERP, loaded from each kind of source it can arrive as, must give the very same
 * warehouse: the point of connectors that normalise values and of one canonical validation.
 */
describe("ingesting the demo ERP from SQLite, PostgreSQL, MariaDB, CSV.gz and Parquet", () => {
	const { log } = memoryLogger();
	let dir: string;
	let sqliteFile: string;
	let pgSource: TestDatabase;
	let mysqlDb: string;
	const warehouses: { db: TestDatabase; pool: Pool }[] = [];

	async function warehouse(label: string): Promise<Pool> {
		const db = await createTestDatabase(label);
		const pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
		warehouses.push({ db, pool });
		return pool;
	}

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-ingest-"));
		sqliteFile = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file: sqliteFile, seed: 7, lines: 20_000 });
		const select = demoSalesLineSelect();
		await exportDemoCsv(sqliteFile, path.join(dir, "csv"), select);
		await exportDemoParquet(sqliteFile, path.join(dir, "parquet"), select);
		pgSource = await createTestDatabase("src_pg");
		await copyDemoToPostgres(sqliteFile, pgSource.url);
		mysqlDb = `erp_pulse_t_src_${process.pid}_${Date.now() % 100000}`;
		const admin = await mysql.createConnection({ uri: MYSQL_URL });
		await admin.query(`create database ${mysqlDb}`);
		await admin.end();
		await copyDemoToMysql(sqliteFile, `${MYSQL_URL}/${mysqlDb}`);
	});

	afterAll(async () => {
		for (const w of warehouses) {
			await w.pool.end();
			await w.db.drop();
		}
		await pgSource?.drop();
		const admin = await mysql.createConnection({ uri: MYSQL_URL });
		await admin.query(`drop database if exists ${mysqlDb}`);
		await admin.end();
		rmSync(dir, { recursive: true, force: true });
	});

	const sources = () => ({
		sqlite: `connection: {kind: sqlite, file: ${sqliteFile}}\nmapping: demo-erp`,
		postgres: `connection: {kind: postgres, url: "${pgSource.url}"}\nmapping: demo-erp`,
		mysql: `connection: {kind: mysql, url: "${MYSQL_URL}/${mysqlDb}"}\nmapping: demo-erp`,
		csv: `connection: {kind: csv, path: ${path.join(dir, "csv")}}\nmapping: demo-erp-csv`,
		parquet: `connection: {kind: parquet, path: ${path.join(dir, "parquet")}}\nmapping: demo-erp-csv`,
	});

	it("gives identical warehouse contents (row counts and a checksum per table) from every source", async () => {
		const sums: Record<
			string,
			Awaited<ReturnType<typeof warehouseChecksums>>
		> = {};
		// Parquet files and the PostgreSQL planner say how many rows a read brings: their progress
		// lines (every 1,024 rows here) give the share done and the time left.
		const progressLogs = { parquet: memoryLogger(), postgres: memoryLogger() };
		for (const [kind, yaml] of Object.entries(sources())) {
			const pool = await warehouse(`wh_${kind}`);
			const logged =
				kind === "parquet" || kind === "postgres"
					? progressLogs[kind]
					: undefined;
			const result = await runIngest(
				pool,
				sourceFrom(yaml),
				logged ? { log: logged.log, progressEveryMs: 0 } : { log },
			);
			expect(result.rejected, `${kind} rejected rows`).toBe(0);
			sums[kind] = await warehouseChecksums(pool);
		}
		const orderLineProgress = (kind: keyof typeof progressLogs) =>
			progressLogs[kind]
				.lines()
				.filter(
					(l) =>
						l.msg === "ingest progress" &&
						(l.entities as string[]).includes("order_lines"),
				);
		const lines = sums.sqlite?.transaction_data?.rows ?? 0;
		for (const kind of ["parquet", "postgres"] as const) {
			const progress = orderLineProgress(kind);
			expect(progress.length, kind).toBeGreaterThan(5);
			const percents = progress
				.filter((l) => l.percent !== undefined)
				.map((l) => Number(l.percent));
			expect(percents[0], kind).toBeLessThan(10);
			expect(percents.at(-1), kind).toBeGreaterThan(85);
			expect(
				percents.every((p, i) => p <= 100 && p >= (percents[i - 1] ?? 0)),
				kind,
			).toBe(true);
			expect(
				progress
					.filter((l) => l.percent !== undefined)
					.every((l) => Number.isInteger(l.etaSeconds)),
				kind,
			).toBe(true);
			const expected = Number(progress[0]?.expectedRows);
			if (kind === "parquet") {
				// The file's own row count: exact.
				expect(expected).toBe(lines);
				expect(progress[0]?.estimated).toBeUndefined();
			} else {
				// The planner's estimate of the read (EXPLAIN, no rows read): near the real count.
				expect(progress[0]?.estimated).toBe(true);
				expect(expected / lines).toBeGreaterThan(0.8);
				expect(expected / lines).toBeLessThan(1.25);
			}
		}
		const erp = new DatabaseSync(sqliteFile, { readOnly: true });
		const count = (t: string) =>
			(erp.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n;
		expect(sums.sqlite?.transaction_data?.rows).toBe(count("SLS_INVOICE_LIN"));
		expect(sums.sqlite?.customer_master?.rows).toBe(count("AR_CUSTOMER"));
		expect(sums.sqlite?.stox_stock_levels?.rows).toBe(
			count("IC_STOCK_SNAPSHOT"),
		);
		expect(sums.sqlite?.sales_quotes?.rows).toBe(count("CRM_QUOTE"));
		erp.close();
		expect(sums.postgres).toEqual(sums.sqlite);
		expect(sums.mysql).toEqual(sums.sqlite);
		expect(sums.csv).toEqual(sums.sqlite);
		expect(sums.parquet).toEqual(sums.sqlite);
	}, 300_000);

	it("changes nothing when the same data is loaded again", async () => {
		const pool = await warehouse("wh_twice");
		const source = sourceFrom(sources().sqlite);
		const first = await runIngest(pool, source, { log });
		const before = await warehouseChecksums(pool);
		const second = await runIngest(pool, source, { log });
		expect(first.loaded).toBeGreaterThan(20_000);
		expect(second.loaded).toBe(0);
		expect(await warehouseChecksums(pool)).toEqual(before);
	});

	it("adds exactly the rows appended at the source since the last load", async () => {
		const file = path.join(dir, "growing.sqlite");
		copyFileSync(sqliteFile, file);
		const pool = await warehouse("wh_append");
		const source = sourceFrom(
			`connection: {kind: sqlite, file: ${file}}\nmapping: demo-erp`,
		);
		await runIngest(pool, source, { log });
		const before = await warehouseChecksums(pool);
		const erp = new DatabaseSync(file);
		erp.exec(`INSERT INTO SLS_INVOICE_HDR VALUES ('INV-9000001', '2026-11-02', 'C000001', 'Late Rep', 'BR01', 'INV', 'USD', '2026-11-02 09:00:00');
			INSERT INTO SLS_INVOICE_LIN VALUES ('INV-9000001', 1, 'ITM-10001', 2, 10, 20, 12, 0), ('INV-9000001', 2, 'ITM-10002', 1, 5.5, 5.5, 3, 0),
			('INV-9000001', 3, 'ITM-10003', 4, 2.25, 9, 6, 0);`);
		erp.close();
		const run = await runIngest(pool, source, { log });
		expect(run.entities.order_lines).toMatchObject({ loaded: 3, rejected: 0 });
		const after = await warehouseChecksums(pool);
		expect(after.transaction_data?.rows).toBe(
			(before.transaction_data?.rows ?? 0) + 3,
		);
		expect({ ...after, transaction_data: null }).toEqual({
			...before,
			transaction_data: null,
		});
		const { rows } = await pool.query(
			"select line_number, net_sales, gross_margin from transaction_data where order_number = 'INV-9000001' order by 1",
		);
		expect(rows).toEqual([
			{ line_number: 1, net_sales: "20.0000", gross_margin: "8.0000" },
			{ line_number: 2, net_sales: "5.5000", gross_margin: "2.5000" },
			{ line_number: 3, net_sales: "9.0000", gross_margin: "3.0000" },
		]);
	});
});
