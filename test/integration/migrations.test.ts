import {
	appendFileSync,
	cpSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { AppError } from "../../src/errors.ts";
import { migrationsDir } from "../../src/paths.ts";
import { seedSchema } from "../fixtures/seed-schema.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";

/** Tables beyond the 26 of the schema seed that DESIGN.md's canonical model asks for. */
const ENGINE_TABLES = [
	"stox_stock_levels",
	"sales_quotes",
	"ingest_sources",
	"ingest_runs",
	"ingest_watermarks",
	"ingest_rejects",
	"deliveries",
	"chat_messages",
];

describe("migrations", () => {
	let db: TestDatabase;
	let pool: Pool;
	const { log } = memoryLogger();

	beforeAll(async () => {
		db = await createTestDatabase("migrations");
		pool = createPool(db.url, log, { max: 4 });
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
	});

	async function columns(): Promise<Map<string, Set<string>>> {
		const { rows } = await pool.query<{
			table_name: string;
			column_name: string;
		}>(
			"select table_name, column_name from information_schema.columns where table_schema = 'public'",
		);
		const out = new Map<string, Set<string>>();
		for (const r of rows)
			out.set(
				r.table_name,
				(out.get(r.table_name) ?? new Set()).add(r.column_name),
			);
		return out;
	}

	it("applies every migration in order on an empty database", async () => {
		const files = readMigrations(migrationsDir).map((m) => m.name);
		expect(files.length).toBeGreaterThan(0);
		const result = await migrate(pool, migrationsDir, log);
		expect(result.applied).toEqual(files);
		const { rows } = await pool.query<{ name: string }>(
			"select name from schema_migrations order by name",
		);
		expect(rows.map((r) => r.name)).toEqual(files);
	});

	it("creates all 26 tables of the schema seed with every column it lists", async () => {
		const tables = await columns();
		expect(Object.keys(seedSchema)).toHaveLength(26);
		const missing: string[] = [];
		for (const [table, cols] of Object.entries(seedSchema)) {
			for (const c of cols)
				if (!tables.get(table)?.has(c)) missing.push(`${table}.${c}`);
		}
		expect(missing).toEqual([]);
	});

	it("creates the ingested, ingest bookkeeping, outbox and chat tables", async () => {
		const tables = await columns();
		expect(ENGINE_TABLES.filter((t) => !tables.has(t))).toEqual([]);
		expect([...(tables.get("stox_stock_levels") ?? [])]).toEqual(
			expect.arrayContaining([
				"material_number",
				"snapshot_date",
				"on_hand_units",
				"on_order_units",
			]),
		);
	});

	it("keys ingested rows on their natural key, so a re-load cannot double them", async () => {
		await pool.query(
			`insert into transaction_data (source, order_number, line_number, posting_date, net_sales)
			 values ('erp', 'INV-1', 1, '2024-01-02', 10.50)`,
		);
		await expect(
			pool.query(
				`insert into transaction_data (source, order_number, line_number, posting_date, net_sales)
				 values ('erp', 'INV-1', 1, '2024-01-02', 10.50)`,
			),
		).rejects.toThrow(/duplicate key/);
	});

	it("applies nothing when run again", async () => {
		const before = await pool.query(
			"select name, applied_at from schema_migrations order by name",
		);
		const result = await migrate(pool, migrationsDir, log);
		expect(result.applied).toEqual([]);
		expect(result.alreadyApplied).toBe(before.rowCount);
		const after = await pool.query(
			"select name, applied_at from schema_migrations order by name",
		);
		expect(after.rows).toEqual(before.rows);
	});

	it("applies each migration once when two processes migrate at the same moment", async () => {
		const other = await createTestDatabase("migrations_race");
		const a = createPool(other.url, log, { max: 2 });
		const b = createPool(other.url, log, { max: 2 });
		try {
			const [ra, rb] = await Promise.all([
				migrate(a, migrationsDir, log),
				migrate(b, migrationsDir, log),
			]);
			const total = readMigrations(migrationsDir).length;
			expect(ra.applied.length + rb.applied.length).toBe(total);
			expect([ra.applied.length, rb.applied.length].sort()).toEqual([0, total]);
		} finally {
			await a.end();
			await b.end();
			await other.drop();
		}
	});

	it("refuses to start when an applied migration was edited, and changes nothing", async () => {
		const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-mig-"));
		try {
			cpSync(migrationsDir, dir, { recursive: true });
			const first = readdirSync(dir).sort()[0] ?? "";
			appendFileSync(path.join(dir, first), "\n-- an innocent-looking edit\n");
			writeFileSync(
				path.join(dir, "999_new_table.sql"),
				"create table should_not_exist (id int);\n",
			);
			const err = await migrate(pool, dir, log).catch((e: unknown) => e);
			expect(err).toBeInstanceOf(AppError);
			expect((err as AppError).code).toBe("migration_edited");
			expect((err as Error).message).toContain(
				`Migration ${first} was edited after it was applied`,
			);
			const { rowCount } = await pool.query(
				"select 1 from pg_tables where tablename = 'should_not_exist'",
			);
			expect(rowCount).toBe(0);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it("rolls back a failing migration whole, leaving no trace of it", async () => {
		const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-mig-"));
		try {
			cpSync(migrationsDir, dir, { recursive: true });
			writeFileSync(
				path.join(dir, "998_half.sql"),
				"create table half_done (id int);\nselect * from no_such_table;\n",
			);
			await expect(migrate(pool, dir, log)).rejects.toThrow(
				/Migration 998_half.sql failed: relation "no_such_table" does not exist/,
			);
			const { rowCount } = await pool.query(
				"select 1 from pg_tables where tablename = 'half_done'",
			);
			expect(rowCount).toBe(0);
			const recorded = await pool.query(
				"select 1 from schema_migrations where name = '998_half.sql'",
			);
			expect(recorded.rowCount).toBe(0);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
