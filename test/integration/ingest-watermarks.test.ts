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

const HEADER =
	"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

/** An Online Retail-style line, dated the way a US export writes it ("M/D/YYYY H:mm"). */
const line = (invoice: string, date: string, price = "2.50", desc = "MUG") =>
	`${invoice},85123A,${desc},6,${date},${price},17850.0,United Kingdom`;

/**
 * Hostile CSV files against the watermark and the per-row checks (issue: "the data pipeline at
 * the speed of Postgres", the three defects that lose data). Each test has its own folder and
 * database so one's watermark cannot help another.
 */
describe("ingest watermarks and per-value rejects on hostile CSV files", () => {
	const { log } = memoryLogger();
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;
	let n = 0;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-watermarks-"));
		db = await createTestDatabase("watermarks");
		pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	/** A fresh source (its own name, so its own watermarks) over one CSV file. */
	function csvSource(content: string | Buffer) {
		n++;
		const folder = path.join(dir, `s${n}`);
		mkdirSync(folder);
		const file = path.join(folder, "online-retail.csv");
		writeFileSync(file, content);
		const name = `csv${n}`;
		const source = () =>
			sourceFrom(
				`connection: {kind: csv, path: ${folder}, dateFormat: {InvoiceDate: "M/D/YYYY H:mm"}}\nmapping: online-retail\nmaxRejectShare: 0.5`,
				name,
			);
		return { file, name, source };
	}

	const watermark = async (source: string) =>
		(
			await pool.query<{ watermark: string | null }>(
				"select watermark from ingest_watermarks where source = $1 and entity = 'order_lines'",
				[source],
			)
		).rows[0]?.watermark;

	const rejects = async (source: string) =>
		(
			await pool.query<{ reason: string; raw: Record<string, unknown> }>(
				"select reason, source_row as raw from ingest_rejects where source = $1 and entity = 'order_lines' order by id",
				[source],
			)
		).rows;

	it("reads a date-time written without seconds as :00, not NaN", async () => {
		const s = csvSource(
			`${HEADER}\n${line("536365", "12/1/2010 8:26")}\n${line("536366", "12/1/2010 9:05")}\n`,
		);
		await runIngest(pool, s.source(), { log });
		expect(await watermark(s.name)).toBe("2010-12-01 09:05:00");
	});

	it("does not move the watermark over a rejected row, so later lines still load", async () => {
		const s = csvSource(
			`${HEADER}\n${line("536365", "12/1/2010 8:26")}\n${line("536366", "12/1/2099 8:26")}\n${line("536367", "12/2/2010 10:00")}\n`,
		);
		const first = await runIngest(pool, s.source(), { log });
		expect(first.entities.order_lines).toMatchObject({
			loaded: 2,
			rejected: 1,
		});
		// The rejected 2099 line (a future date) does not count: the newest loaded line does.
		expect(await watermark(s.name)).toBe("2010-12-02 10:00:00");
		expect((await rejects(s.name))[0]?.reason).toMatch(/posting_date/);
		// A line that arrives later, dated after the loaded ones, is read by the next run.
		writeFileSync(
			s.file,
			`${HEADER}\n${line("536365", "12/1/2010 8:26")}\n${line("536366", "12/1/2099 8:26")}\n${line("536367", "12/2/2010 10:00")}\n${line("536368", "12/3/2010 11:00")}\n`,
		);
		const second = await runIngest(pool, s.source(), { log });
		expect(second.entities.order_lines?.loaded).toBe(1);
		const { rows } = await pool.query(
			"select order_number from transaction_data where source = $1 order by 1",
			[s.name],
		);
		expect(rows.map((r) => r.order_number)).toEqual([
			"536365",
			"536367",
			"536368",
		]);
	});

	it("rejects 1e308 in a money column and a NUL byte row by row, naming the line, the column and the value", async () => {
		const s = csvSource(
			`${HEADER}\n${line("536365", "12/1/2010 8:26")}\n${line("536366", "12/1/2010 8:27", "1e308")}\n${line("536367", "12/1/2010 8:28", "2.50", "BAD\u0000MUG")}\n${line("536368", "12/1/2010 8:29")}\n`,
		);
		const r = await runIngest(pool, s.source(), { log });
		// The order line priced 1e308 cannot be stored; the other three load. The NUL byte is in
		// Description, which feeds materials (as does the price), not order lines.
		expect(r.entities.order_lines).toMatchObject({ loaded: 3, rejected: 1 });
		const [lines] = (await rejects(s.name)).map((x) => x.reason);
		expect(lines).toBe(
			'line 3: net_sales is too large: at most 14 digits before the decimal point, got "60000000000000000000000000000… (309 characters); unit_price is too large: at most 14 digits before the decimal point, got "1e308"',
		);
		const { rows } = await pool.query<{ reason: string }>(
			"select reason from ingest_rejects where source = $1 and entity = 'materials'",
			[s.name],
		);
		expect(rows.map((x) => x.reason)).toEqual([
			'line 3: unit_price is too large: at most 14 digits before the decimal point, got "1e308"',
			'line 4: material_description holds a NUL character at position 4, which the warehouse cannot store; got "BAD\\u0000MUG"',
		]);
	});

	it("points a date written another way at the dateFormat that reads it, naming the source column", async () => {
		n++;
		const folder = path.join(dir, `s${n}`);
		mkdirSync(folder);
		writeFileSync(
			path.join(folder, "online-retail.csv"),
			`${HEADER}\n${line("536365", "2010-12-01 08:26:00")}\n${line("536366", "25/12/2010 8:26")}\n`,
		);
		const name = `csv${n}`;
		await runIngest(
			pool,
			sourceFrom(
				`connection: {kind: csv, path: ${folder}}\nmapping: online-retail\nmaxRejectShare: 0.9`,
				name,
			),
			{ log },
		);
		expect((await rejects(name)).map((r) => r.reason)).toEqual([
			'line 3: watermark column InvoiceDate: "25/12/2010 8:26" is not a date, date-time or number; if the source writes dates this way, give its column a dateFormat in the CSV connection, e.g. dateFormat: {InvoiceDate: "D/M/YYYY H:mm"}',
		]);
	});

	it("reads a file that starts with a byte-order mark like any other", async () => {
		const s = csvSource(
			Buffer.concat([
				Buffer.from([0xef, 0xbb, 0xbf]),
				Buffer.from(
					`${HEADER}\n${line("536365", "12/1/2010 8:26")}\n${line("536366", "12/1/2010 9:05")}\n`,
				),
			]),
		);
		const r = await runIngest(pool, s.source(), { log });
		expect(r.entities.order_lines).toMatchObject({ loaded: 2, rejected: 0 });
	});
});
