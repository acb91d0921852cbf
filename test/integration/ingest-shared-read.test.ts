import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

/** Customers in the file: more than the spool holds back at once (SPOOL_KEYS, 50,000). */
const CUSTOMERS = 65_000;

/**
 * Entities mapped from one relation are loaded from one read of it (customers and order lines
 * from the same file here, as Online Retail does). The same file read once per entity — the same
 * mapping with customers pointed at a copy of the file — must give the same warehouse, the same
 * counts and the same rejects: the last row of a customer wins across the spool's flushes.
 */
describe("one read of a relation feeds every entity mapped from it", () => {
	const { log } = memoryLogger();
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-shared-read-"));
		db = await createTestDatabase("shared_read");
		pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
		// Each customer orders twice: first under its old name, then (in the second half of the
		// file, after the spool has flushed) under its new one. Every 1,000th new name is too long.
		const lines = ["Order,Line,Cust,Name,Item,Date,Amount"];
		for (const round of ["old", "new"])
			for (let c = 0; c < CUSTOMERS; c++) {
				const name =
					round === "new" && c % 1000 === 0 ? "X".repeat(600) : `${round} ${c}`;
				lines.push(
					`${round}-${c},1,C${c},${name},M${c % 50},2025-0${1 + (c % 9)}-1${c % 10},${(c % 97) + 0.5}`,
				);
			}
		writeFileSync(path.join(dir, "lines.csv"), `${lines.join("\n")}\n`);
		copyFileSync(path.join(dir, "lines.csv"), path.join(dir, "copy.csv"));
		const mapping = (customersFrom: string) =>
			`entities:\n  customers:\n    from: {table: ${customersFrom}}\n    columns: {customer: Cust, customer_name: Name}\n  order_lines:\n    from: {table: lines}\n    columns: {order_number: Order, line_number: Line, customer: Cust, material_number: Item, posting_date: Date, net_sales: Amount}\n`;
		writeFileSync(path.join(dir, "shared.yaml"), mapping("lines"));
		writeFileSync(path.join(dir, "apart.yaml"), mapping("copy"));
	}, 120_000);

	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	const load = (name: string, mapping: string, progressEveryMs?: number) =>
		runIngest(
			pool,
			sourceFrom(
				`connection: {kind: csv, path: ${dir}}\nmapping: ${path.join(dir, mapping)}\nmaxRejectShare: 0.5`,
				name,
			),
			{ log, ...(progressEveryMs === undefined ? {} : { progressEveryMs }) },
		);

	it("loads the same rows, counts and rejects as a read per entity", async () => {
		const shared = await load("shared", "shared.yaml");
		const apart = await load("apart", "apart.yaml");
		// The same figures, timings aside.
		const counts = (r: typeof shared) =>
			Object.fromEntries(
				Object.entries(r.entities).map(
					([k, { streamMs: _s, upsertMs: _u, rollupMs: _r, ...rest }]) => [
						k,
						rest,
					],
				),
			);
		expect(counts(shared)).toEqual(counts(apart));
		expect(shared.entities.customers).toMatchObject({
			read: 2 * CUSTOMERS,
			loaded: CUSTOMERS,
			rejected: CUSTOMERS / 1000,
		});
		expect(shared.entities.order_lines?.loaded).toBe(2 * CUSTOMERS);
		const customers = async (source: string) =>
			(
				await pool.query<{ md5: string; n: number; newest: number }>(
					`select md5(string_agg(customer || '=' || coalesce(customer_name, ''), ',' order by customer)) as md5,
						count(*)::int as n, count(*) filter (where customer_name like 'new %')::int as newest
					from customer_master where source = $1`,
					[source],
				)
			).rows[0];
		const a = await customers("shared");
		expect(a).toEqual(await customers("apart"));
		// The last row of each customer won, except where it was rejected: then the earlier one.
		expect(a?.n).toBe(CUSTOMERS);
		expect(a?.newest).toBe(CUSTOMERS - CUSTOMERS / 1000);
		const reasons = async (source: string) =>
			(
				await pool.query<{ reason: string }>(
					"select reason from ingest_rejects where source = $1 order by reason",
					[source],
				)
			).rows.map((r) => r.reason.replace(/^line \d+: /, ""));
		expect(await reasons("shared")).toEqual(await reasons("apart"));
	}, 300_000);

	it("maps a row it has seen before once: the same counts, rejects and last rows as a read per entity", async () => {
		// A customer named on many lines, as Online Retail names one on each: identical rows, a
		// row that changes the name and one that changes it back after the spool has flushed
		// (more than SPOOL_KEYS other customers between), and a bad row repeated.
		const fillers = Array.from(
			{ length: 50_000 },
			(_, i) => `F${i},1,F${i},Filler ${i},M1,2025-01-02,1`,
		);
		const rows = [
			"1,1,C1,Alpha,M1,2025-01-02,1",
			"2,1,C1,Beta,M1,2025-01-02,1",
			...fillers,
			"3,1,C1,Alpha,M1,2025-01-02,1",
			"4,1,C2,Gamma,M1,2025-01-02,1",
			"5,1,C2,Gamma,M1,2025-01-02,1",
			"6,1,C2,Gamma,M1,2025-01-02,1",
			`7,1,C3,${"Y".repeat(600)},M1,2025-01-02,1`,
			"8,1,C3,Delta,M1,2025-01-02,1",
			`9,1,C3,${"Y".repeat(600)},M1,2025-01-02,1`,
			"10,1,C4,,M1,2025-01-02,1",
			"11,1,C4,,M1,2025-01-02,1",
		];
		// A row's line in the file: the header is line 1.
		const lineOf = (order: string) =>
			String(rows.findIndex((r) => r.startsWith(`${order},`)) + 2);
		const folder = mkdtempSync(path.join(dir, "seen-"));
		const file = `Order,Line,Cust,Name,Item,Date,Amount\n${rows.join("\n")}\n`;
		writeFileSync(path.join(folder, "lines.csv"), file);
		writeFileSync(path.join(folder, "copy.csv"), file);
		const mapping = (customersFrom: string) =>
			`entities:\n  customers:\n    from: {table: ${customersFrom}}\n    columns: {customer: Cust, customer_name: Name}\n  order_lines:\n    from: {table: lines}\n    columns: {order_number: Order, line_number: Line, customer: Cust, material_number: Item, posting_date: Date, net_sales: Amount}\n`;
		writeFileSync(path.join(folder, "shared.yaml"), mapping("lines"));
		writeFileSync(path.join(folder, "apart.yaml"), mapping("copy"));
		const run = (name: string, m: string) =>
			runIngest(
				pool,
				sourceFrom(
					`connection: {kind: csv, path: ${folder}}\nmapping: ${path.join(folder, m)}\nmaxRejectShare: 0.5`,
					name,
				),
				{ log },
			);
		const shared = await run("seen_shared", "shared.yaml");
		const apart = await run("seen_apart", "apart.yaml");
		expect(shared.entities.customers).toMatchObject({
			read: 11 + fillers.length,
			loaded: 4 + fillers.length,
			rejected: 2,
		});
		expect(shared.entities.customers).toMatchObject({
			read: apart.entities.customers?.read,
			loaded: apart.entities.customers?.loaded,
			rejected: apart.entities.customers?.rejected,
		});
		const stored = async (source: string) =>
			(
				await pool.query<{ customer: string; customer_name: string | null }>(
					"select customer, customer_name from customer_master where source = $1 and customer like 'C%' order by customer",
					[source],
				)
			).rows;
		// The last row of each customer that loaded won.
		expect(await stored("seen_shared")).toEqual([
			{ customer: "C1", customer_name: "Alpha" },
			{ customer: "C2", customer_name: "Gamma" },
			{ customer: "C3", customer_name: "Delta" },
			{ customer: "C4", customer_name: null },
		]);
		expect(await stored("seen_apart")).toEqual(await stored("seen_shared"));
		// Each bad row is rejected with its own line, not once for both.
		const lines = (
			await pool.query<{ reason: string }>(
				"select reason from ingest_rejects where source = 'seen_shared' and entity = 'customers' order by reason",
			)
		).rows.map((r) => r.reason.match(/^line (\d+):/)?.[1]);
		expect(lines).toEqual([lineOf("9"), lineOf("7")].sort());
	}, 120_000);

	it("logs how far a long read got: rows so far, the rate, the share of the file read and the time left, for the entities it feeds", async () => {
		const memory = memoryLogger();
		await runIngest(
			pool,
			sourceFrom(
				`connection: {kind: csv, path: ${dir}}\nmapping: ${path.join(dir, "shared.yaml")}\nmaxRejectShare: 0.5`,
				"progress",
			),
			// Every 1,024 rows instead of every 5 s, so the test does not depend on the clock.
			{ log: memory.log, progressEveryMs: 0 },
		);
		const lines = memory.lines().filter((l) => l.msg === "ingest progress");
		expect(lines.length).toBeGreaterThan(100);
		expect(lines[0]).toMatchObject({
			source: "progress",
			entities: ["customers", "order_lines"],
			rows: 1024,
		});
		const rows = lines.map((l) => Number(l.rows));
		expect(rows.every((r, i) => i === 0 || r > (rows[i - 1] ?? 0))).toBe(true);
		expect(rows.at(-1)).toBeLessThanOrEqual(2 * CUSTOMERS);
		expect(lines.every((l) => Number(l.rowsPerSecond) > 0)).toBe(true);
		// A CSV file is read whole: how far, by its bytes, and about how long is left.
		const percents = lines.map((l) => Number(l.percent));
		expect(
			percents.every(
				(p, i) =>
					p >= 0 && p <= 100 && (i === 0 || p >= (percents[i - 1] ?? 0)),
			),
		).toBe(true);
		expect(percents.at(-1)).toBeGreaterThan(percents[0] ?? 100);
		expect(
			lines.every(
				(l) => Number.isInteger(l.etaSeconds) && Number(l.etaSeconds) >= 0,
			),
		).toBe(true);
		const loaded = memory.lines().filter((l) => l.msg === "entity loaded");
		expect(loaded.map((l) => typeof l.streamMs)).toEqual(["number", "number"]);
	}, 300_000);
});
