import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { migrationsDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { sourceFrom } from "../helpers/warehouse.ts";

const MAPPING =
	"entities:\n  order_lines:\n    from: {table: orders}\n    columns: {order_number: Order, line_number: Line, posting_date: Date, net_sales: Amount}\n";
const FALLBACK =
	"the source repeats an order line's key; loading through staging instead, where the last row of a key wins";

/**
 * A first load of order lines is COPYd straight into transaction_data (no staging table, no
 * upsert). A source that repeats a key makes that COPY fail on the primary key: the run goes back
 * to a savepoint and loads through staging, where the last row of a key wins, as before.
 */
describe("the first load of a source's order lines", () => {
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;
	let n = 0;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-first-load-"));
		db = await createTestDatabase("first_load");
		pool = createPool(db.url, memoryLogger().log, { max: 2 });
		await migrate(pool, migrationsDir, memoryLogger().log);
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	/** A source of its own over one CSV of orders; returns how to (re)write the file and ingest it. */
	function csvSource(lines: string[]) {
		n++;
		const folder = path.join(dir, `s${n}`);
		mkdirSync(folder);
		const write = (rows: string[]) =>
			writeFileSync(
				path.join(folder, "orders.csv"),
				`Order,Line,Date,Amount\n${rows.join("\n")}\n`,
			);
		write(lines);
		writeFileSync(path.join(folder, "map.yaml"), MAPPING);
		const name = `src${n}`;
		const ingest = () => {
			const memory = memoryLogger();
			return runIngest(
				pool,
				sourceFrom(
					`connection: {kind: csv, path: ${path.join(folder, "orders.csv")}}\nmapping: ${path.join(folder, "map.yaml")}`,
					name,
				),
				{ log: memory.log },
			).then((run) => ({ run, memory }));
		};
		const stored = async () =>
			(
				await pool.query(
					"select order_number, line_number, net_sales::text as net, ingest_run_id from transaction_data where source = $1 order by 1, 2",
					[name],
				)
			).rows;
		return { write, ingest, stored };
	}

	it("loads every line of a source without repeated keys, then upserts on the next run", async () => {
		const s = csvSource(["A,1,2025-01-02,10", "A,2,2025-01-02,5"]);
		const { run, memory } = await s.ingest();
		expect(run.entities.order_lines).toMatchObject({
			read: 2,
			loaded: 2,
			rejected: 0,
		});
		expect(memory.lines().some((l) => l.msg === FALLBACK)).toBe(false);
		expect(await s.stored()).toEqual([
			{
				order_number: "A",
				line_number: 1,
				net: "10.0000",
				ingest_run_id: run.runId,
			},
			{
				order_number: "A",
				line_number: 2,
				net: "5.0000",
				ingest_run_id: run.runId,
			},
		]);
		// The source now has lines: the next run goes through staging and the upsert.
		s.write(["A,1,2025-01-02,11", "A,2,2025-01-02,5", "B,1,2025-01-03,7"]);
		const second = await s.ingest();
		expect(second.run.entities.order_lines).toMatchObject({
			read: 3,
			loaded: 2,
		});
		expect((await s.stored()).map((r) => [r.order_number, r.net])).toEqual([
			["A", "11.0000"],
			["A", "5.0000"],
			["B", "7.0000"],
		]);
	});

	it("falls back to staging when the source repeats a key, and keeps the last row of it", async () => {
		const s = csvSource([
			"A,1,2025-01-02,10",
			"A,2,2025-01-02,5",
			"A,1,2025-01-03,12",
		]);
		const { run, memory } = await s.ingest();
		expect(memory.lines().filter((l) => l.msg === FALLBACK)).toHaveLength(1);
		expect(run.entities.order_lines).toMatchObject({
			read: 3,
			loaded: 2,
			rejected: 0,
		});
		expect(
			(await s.stored()).map((r) => [r.order_number, r.line_number, r.net]),
		).toEqual([
			["A", 1, "12.0000"],
			["A", 2, "5.0000"],
		]);
		const runs = await pool.query(
			"select status, rows_loaded from ingest_runs where id = $1",
			[run.runId],
		);
		expect(runs.rows).toEqual([{ status: "succeeded", rows_loaded: 2 }]);
	});
});
