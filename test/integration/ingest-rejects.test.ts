import {
	copyFileSync,
	mkdirSync,
	mkdtempSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { AppError } from "../../src/errors.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { migrationsDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { runCli } from "../helpers/process.ts";
import { sourceFrom, warehouseChecksums } from "../helpers/warehouse.ts";

describe("bad input at ingest", () => {
	const { log } = memoryLogger();
	let dir: string;
	let clean: string;
	let db: TestDatabase;
	let pool: Pool;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-rejects-"));
		clean = path.join(dir, "clean.sqlite");
		await generateDemoErp({ file: clean, seed: 3, lines: 5_000 });
		db = await createTestDatabase("rejects");
		pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	/** A copy of the demo ERP with one bad order line of each kind added. */
	function spoiled(): string {
		const file = path.join(dir, `bad-${Date.now()}.sqlite`);
		copyFileSync(clean, file);
		const erp = new DatabaseSync(file);
		erp.exec(`
			INSERT INTO SLS_INVOICE_HDR VALUES ('INV-BAD-1', '2026-10-30', 'C000001', 'Rep', 'BR01', 'INV', 'USD', '2026-10-30 10:00:00');
			INSERT INTO SLS_INVOICE_HDR VALUES ('INV-BAD-2', '2031-01-01', 'C000001', 'Rep', 'BR01', 'INV', 'USD', '2026-10-30 10:00:00');
			INSERT INTO SLS_INVOICE_HDR VALUES ('', '2026-10-30', 'C000001', 'Rep', 'BR01', 'INV', 'USD', '2026-10-30 10:00:00');
			INSERT INTO SLS_INVOICE_LIN VALUES ('INV-BAD-1', 1, 'ITM-1', 1, 2, 'abc', 1, 0);
			INSERT INTO SLS_INVOICE_LIN VALUES ('INV-BAD-1', 2, 'ITM-1', -5, 2, -10, -5, 0);
			INSERT INTO SLS_INVOICE_LIN VALUES ('INV-BAD-2', 1, 'ITM-1', 1, 2, 2, 1, 0);
			INSERT INTO SLS_INVOICE_LIN VALUES ('', 1, 'ITM-1', 1, 2, 2, 1, 0);`);
		erp.close();
		return file;
	}

	it("puts each bad row in ingest_rejects with a readable reason and loads the rest", async () => {
		const run = await runIngest(
			pool,
			sourceFrom(
				`connection: {kind: sqlite, file: ${spoiled()}}\nmapping: demo-erp`,
			),
			{ log },
		);
		expect(run.entities.order_lines?.rejected).toBe(4);
		const { rows } = await pool.query<{ reason: string; line: string }>(
			"select reason, source_row->>'LineNo' as line from ingest_rejects where run_id = $1 and entity = 'order_lines' order by reason",
			[run.runId],
		);
		expect(rows.map((r) => r.reason)).toEqual([
			"row 5003: order_number is missing (part of the natural key)",
			'row 5004: net_sales expected a number, got "abc"',
			"row 5005: inv_quantity_cases is negative (-5) on a line that is not a cancellation; map credit notes to is_cancellation",
			`row 5006: posting_date 2031-01-01 is in the future (after ${tomorrow()})`,
		]);
		const loaded = await pool.query(
			"select count(*)::int as n from transaction_data where order_number like 'INV-BAD-%'",
		);
		expect(loaded.rows[0]).toEqual({ n: 0 });
	});

	it("fails the whole run, keeping nothing, when rejects pass the allowed share", async () => {
		const other = await createTestDatabase("rejects_share");
		const p = createPool(other.url, log, { max: 2 });
		try {
			await migrate(p, migrationsDir, log);
			const source = sourceFrom(
				`connection: {kind: sqlite, file: ${spoiled()}}\nmapping: demo-erp\nmaxRejectShare: 0`,
			);
			const err = await runIngest(p, source, { log }).catch((e: unknown) => e);
			expect(err).toBeInstanceOf(AppError);
			expect((err as Error).message).toMatch(
				/order_lines: 4 of \d+ rows \(0\.\d%\) failed validation, above the 0\.0% allowed \(maxRejectShare\); nothing of this run was kept/,
			);
			const sums = await warehouseChecksums(p);
			expect(Object.values(sums).every((s) => s.rows === 0)).toBe(true);
			const marks = await p.query(
				"select count(*)::int as n from ingest_watermarks",
			);
			expect(marks.rows[0]).toEqual({ n: 0 });
			const runs = await p.query<{ status: string; error: string }>(
				"select status, error from ingest_runs",
			);
			expect(runs.rows).toEqual([
				{
					status: "failed",
					error: expect.stringContaining("failed validation"),
				},
			]);
		} finally {
			await p.end();
			await other.drop();
		}
	});

	it("rejects a malformed CSV line with its line number and loads the rest of the file", async () => {
		const csv = path.join(dir, "csv");
		mkdirSync(csv, { recursive: true });
		writeFileSync(
			path.join(csv, "branches.csv"),
			'code,name,region,office\nB1,North One,North,Leeds\nB2,"Broken,North,Leeds\nB3,South Three,South,Bristol\n',
		);
		writeFileSync(
			path.join(dir, "branches.yaml"),
			"entities:\n  branches:\n    from: {table: branches}\n    columns: {branch_code: code, branch_name: name, region: region, sales_office_name: office}\n",
		);
		const source = sourceFrom(
			`connection: {kind: csv, path: ${csv}}\nmapping: ${path.join(dir, "branches.yaml")}\nmaxRejectShare: 0.5`,
		);
		const run = await runIngest(pool, source, { log });
		expect(run.entities.branches?.rejected).toBeGreaterThanOrEqual(1);
		const rejects = await pool.query<{ reason: string; row: { line: number } }>(
			"select reason, source_row as row from ingest_rejects where run_id = $1",
			[run.runId],
		);
		expect(rejects.rows[0]?.reason).toMatch(/^line 3: unreadable record: /);
		expect(rejects.rows[0]?.row.line).toBe(3);
		const codes = await pool.query(
			"select branch_code from branches where source = 'erp' order by 1",
		);
		expect(codes.rows.map((r) => r.branch_code)).toContain("B1");
	});

	it("gives a retryable error and a failed run record when the source is down", async () => {
		const source = sourceFrom(
			'connection: {kind: postgres, url: "postgres://erp:pw@127.0.0.1:1/erp"}\nmapping: demo-erp',
			"down",
		);
		const err = (await runIngest(pool, source, { log }).catch(
			(e: unknown) => e,
		)) as { retryable?: boolean; message: string };
		expect(err.retryable).toBe(true);
		expect(err.message).not.toContain(":pw@");
		const run = await pool.query<{ status: string }>(
			"select status from ingest_runs where source = 'down'",
		);
		expect(run.rows).toEqual([{ status: "failed" }]);
	});

	it("fails `sources test` naming a mapped column the source does not have", async () => {
		writeFileSync(
			path.join(dir, "typo.yaml"),
			"extends: demo-erp\nentities:\n  branches:\n    from: {table: SYS_BRANCH}\n    columns: {branch_code: BranchCde, branch_name: BranchName}\n",
		);
		const config = path.join(dir, "typo-config.yaml");
		writeFileSync(
			config,
			`demo: {enabled: false}\nsources:\n  erp:\n    connection: {kind: sqlite, file: ${clean}}\n    mapping: ${path.join(dir, "typo.yaml")}\n`,
		);
		const r = await runCli(["-c", config, "sources", "test", "erp"]);
		expect(r.code).toBe(1);
		expect(r.stdout).toContain(
			'FAIL  branches: Mapping for branches: column "BranchCde" not found in SYS_BRANCH',
		);
		expect(r.stdout).toMatch(
			/ok {4}order_lines: SELECT has every mapped column/,
		);
	});
});

function tomorrow(): string {
	return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}
