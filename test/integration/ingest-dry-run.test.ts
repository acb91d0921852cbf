import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { migrationsDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { runCli } from "../helpers/process.ts";

const HEADER =
	"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

/** `erp-pulse ingest <source> --dry-run`: what a run would load and reject, writing nothing. */
describe("ingest --dry-run", () => {
	const { log } = memoryLogger();
	let dir: string;
	let config: string;
	let db: TestDatabase;
	let pool: Pool;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-dry-run-"));
		const csv = path.join(dir, "csv");
		mkdirSync(csv);
		const lines = [HEADER];
		for (let i = 0; i < 40; i++)
			lines.push(
				`5363${i},85123A,MUG,6,2010-12-01 08:${String(i).padStart(2, "0")}:00,2.55,17850.0,United Kingdom`,
			);
		// Three lines with a negative quantity (not cancellations) and two dated day-first.
		for (let i = 0; i < 3; i++)
			lines.push(
				`5364${i},85123A,MUG,-2,2010-12-02 09:00:00,2.55,17850.0,United Kingdom`,
			);
		lines.push(
			"536450,85123A,MUG,6,25/12/2010 8:26,2.55,17850.0,United Kingdom",
			"536451,85123A,MUG,6,26/12/2010 8:26,2.55,17850.0,United Kingdom",
		);
		writeFileSync(path.join(csv, "online-retail.csv"), `${lines.join("\n")}\n`);
		config = path.join(dir, "erp-pulse.yaml");
		writeFileSync(
			config,
			`demo: {enabled: false}\nsources:\n  shop:\n    connection: {kind: csv, path: ${csv}}\n    mapping: online-retail\n`,
		);
		db = await createTestDatabase("dry_run");
		pool = createPool(db.url, log, { max: 2 });
		await migrate(pool, migrationsDir, log);
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	const counts = async () =>
		(
			await pool.query(
				`select (select count(*) from transaction_data)::int as lines, (select count(*) from customer_master)::int as customers,
					(select count(*) from ingest_runs)::int as runs, (select count(*) from ingest_watermarks)::int as watermarks,
					(select count(*) from ingest_rejects)::int as rejects`,
			)
		).rows[0];

	it("prints sample rows and the reject reasons grouped with counts, and writes nothing", async () => {
		const r = await runCli(
			["--config", config, "ingest", "shop", "--dry-run"],
			{ DATABASE_URL: db.url },
		);
		expect(r.stderr).toBe("");
		expect(r.code).toBe(0);
		const out = r.stdout.split("\n");
		expect(out[0]).toBe(
			"dry run of shop: up to 1000 source rows of each read, mapped and checked; nothing was written",
		);
		expect(out).toContain("order_lines: 45 read, 40 valid, 5 rejected");
		expect(r.stdout).toContain(
			'  order_number="53630" line_number=1 customer="17850" material_number="85123A" posting_date="2010-12-01" net_sales="15.3000"',
		);
		expect(r.stdout).toContain(
			"  3 × inv_quantity_cases is negative (…) on a line that is not a cancellation; map credit notes to is_cancellation",
		);
		expect(r.stdout).toMatch(
			/ {2}2 × watermark column InvoiceDate: … is not a date, date-time or number; if the source writes dates this way, give its column a dateFormat in the CSV connection, e\.g\. dateFormat: \{InvoiceDate: …\}\n {6}e\.g\. line 45: watermark column InvoiceDate: "25\/12\/2010 8:26"/,
		);
		expect(await counts()).toEqual({
			lines: 0,
			customers: 0,
			runs: 0,
			watermarks: 0,
			rejects: 0,
		});
	});

	it("reads only the first N rows with --limit, and refuses a --limit without --dry-run", async () => {
		const r = await runCli(
			["--config", config, "ingest", "shop", "--dry-run", "--limit", "10"],
			{ DATABASE_URL: db.url },
		);
		expect(r.code).toBe(0);
		expect(r.stdout).toContain("order_lines: 10 read, 10 valid, 0 rejected");
		const bad = await runCli(
			["--config", config, "ingest", "shop", "--limit", "10"],
			{ DATABASE_URL: db.url },
		);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain("--limit goes with --dry-run");
		const zero = await runCli(
			["--config", config, "ingest", "shop", "--dry-run", "--limit", "0"],
			{ DATABASE_URL: db.url },
		);
		expect(zero.code).toBe(2);
		expect(zero.stderr).toContain("--limit expects at least 1, got 0");
		expect((await counts())?.runs).toBe(0);
	});
});
