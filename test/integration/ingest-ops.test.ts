import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { loadSqlCatalog } from "../../src/db/sql-catalog.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { freshness } from "../../src/ingest/freshness.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { migrationsDir, sqlDir } from "../../src/paths.ts";
import { clean } from "../../src/quality/clean.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { runCli } from "../helpers/process.ts";
import { sourceFrom } from "../helpers/warehouse.ts";

const KEY = "a-test-key-of-at-least-16-chars";

describe("ingest operations: anonymisation, freshness, data-quality fixes and the sources CLI", () => {
	const { log } = memoryLogger();
	let dir: string;
	let erp: string;
	let db: TestDatabase;
	let pool: Pool;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-ops-"));
		erp = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file: erp, seed: 5, lines: 5_000 });
		db = await createTestDatabase("ingest_ops");
		pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
		await runIngest(
			pool,
			sourceFrom(`connection: {kind: sqlite, file: ${erp}}\nmapping: demo-erp`),
			{ log },
		);
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("leaves the planner statistics of the tables it loaded up to date (compute runs next)", async () => {
		// ANALYZE sets reltuples (-1: never analysed); on a table this small it reads every row.
		const { rows } = await pool.query<{ reltuples: number; n: number }>(
			`select c.reltuples::int as reltuples, (select count(*)::int from transaction_data) as n
			   from pg_class c where c.oid = 'transaction_data'::regclass`,
		);
		expect(rows[0]?.n).toBeGreaterThan(0);
		expect(rows[0]?.reltuples).toBe(rows[0]?.n);
	});

	it("replaces anonymised columns with keyed tokens that still join orders to customers", async () => {
		const other = await createTestDatabase("ingest_anon");
		const p = createPool(other.url, log, { max: 2 });
		try {
			await migrate(p, migrationsDir, log);
			const source = sourceFrom(
				`connection: {kind: sqlite, file: ${erp}}\nmapping: demo-erp\nanonymise: {columns: [customer, customer_name], keyEnv: ANON_KEY}`,
				"erp",
				{ ANON_KEY: KEY },
			);
			await runIngest(p, source, { log });
			const { rows } = await p.query<{
				plain: number;
				lines: number;
				joined: number;
				names: number;
			}>(
				`select count(*) filter (where t.customer !~ '^anon_[0-9a-f]{20}$')::int as plain, count(*)::int as lines,
				 count(c.customer)::int as joined,
				 (select count(*) from customer_master where customer_name !~ '^anon_')::int as names
				 from transaction_data t left join customer_master c on c.source = t.source and c.customer = t.customer`,
			);
			expect(rows[0]).toMatchObject({ plain: 0, names: 0 });
			expect(rows[0]?.joined).toBe(rows[0]?.lines);
		} finally {
			await p.end();
			await other.drop();
		}
	});

	it("refuses an anonymisation key that is missing or too short, naming the variable", () => {
		expect(() =>
			sourceFrom(
				`connection: {kind: sqlite, file: ${erp}}\nmapping: demo-erp\nanonymise: {columns: [customer], keyEnv: ANON_KEY}`,
				"erp",
				{ ANON_KEY: "short" },
			),
		).toThrow(
			"sources.erp.anonymise.keyEnv: environment variable ANON_KEY must hold a secret of at least 16 characters.",
		);
	});

	it("reports an entity stale when its newest data is older than the source allows, and fresh otherwise", async () => {
		const cfg = (allow: string) =>
			parseConfig(
				`demo: {enabled: false}\nsources:\n  erp:\n    connection: {kind: sqlite, file: ${erp}}\n    mapping: demo-erp\n    freshness: {order_lines: ${allow}, quotes: 1 day}\n`,
				"t.yaml",
				{},
			).config;
		const now = await freshness(pool, cfg("2 days"));
		expect(now.find((f) => f.entity === "order_lines")).toMatchObject({
			source: "erp",
			stale: false,
		});
		await pool.query(
			"update ingest_watermarks set last_received_at = now() - interval '3 days' where entity = 'order_lines'",
		);
		const later = await freshness(pool, cfg("2 days"));
		expect(later.find((f) => f.entity === "order_lines")).toMatchObject({
			stale: true,
			maxAge: "2 days",
		});
		expect(later.find((f) => f.entity === "quotes")).toMatchObject({
			stale: false,
		});
	});

	it("shows data-quality fixes as a dry run that changes nothing, and applies them only with execute", async () => {
		const sql = loadSqlCatalog(sqlDir);
		const count = async () =>
			(
				await pool.query<{ n: number }>(
					"select count(*)::int as n from salesperson_aliases",
				)
			).rows[0]?.n;
		const dry = await clean(pool, sql, "salespeople", {
			source: "erp",
			execute: false,
		});
		expect(dry.changes.length).toBeGreaterThan(0);
		expect(await count()).toBe(0);
		const applied = await clean(pool, sql, "salespeople", {
			source: "erp",
			execute: true,
		});
		expect(applied.changes).toEqual(dry.changes);
		expect(await count()).toBe(applied.changes.length);
		// "J. Smith" and "John Smith" style variants land on one salesperson.
		const { rows } = await pool.query<{ ids: number }>(
			"select max(n)::int as ids from (select salesperson_id, count(*) as n from salesperson_aliases group by 1) x",
		);
		expect(rows[0]?.ids).toBeGreaterThan(1);
		const again = await clean(pool, sql, "salespeople", {
			source: "erp",
			execute: true,
		});
		expect(again.changes).toEqual([]);
	});

	it("lists a source's tables with row counts and profiles one, through the CLI", async () => {
		const config = path.join(dir, "erp-pulse.yaml");
		writeFileSync(
			config,
			`demo: {enabled: false}\nsources:\n  erp:\n    connection: {kind: sqlite, file: ${erp}}\n    mapping: demo-erp\n`,
		);
		const tables = await runCli(["-c", config, "sources", "inspect", "erp"], {
			DATABASE_URL: db.url,
		});
		expect(tables.code, tables.stderr).toBe(0);
		expect(tables.stdout).toMatch(/SLS_INVOICE_LIN\s+\d{4,}/);
		const profile = await runCli(
			["-c", config, "sources", "inspect", "erp", "IC_ITEM"],
			{ DATABASE_URL: db.url },
		);
		expect(profile.code, profile.stderr).toBe(0);
		expect(profile.stdout).toMatch(/^IC_ITEM: \d+ rows/m);
		expect(profile.stdout).toMatch(/UnitCost\s+REAL\s+0\s+\d+/);
		expect(profile.stdout).toContain("sample:");
	});
});
