import {
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { migrationsDir } from "../../src/paths.ts";
import { sourceConnectionSchema } from "../../src/sources/config.ts";
import { createConnector } from "../../src/sources/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { runCli } from "../helpers/process.ts";
import { sourceFrom, warehouseChecksums } from "../helpers/warehouse.ts";

/** A Parquet file built with the types real exports use, each column with an explicit schema. */
function typedFile(): Uint8Array {
	const writer = new ByteWriter();
	const big = 123456789012345678901234567891n; // 1234567890123456789.01234567891 at scale 11: more digits than a double holds
	const w = new ParquetWriter({
		writer,
		schema: [
			{ name: "root", num_children: 9 },
			{
				name: "amount",
				type: "FIXED_LEN_BYTE_ARRAY",
				type_length: 16,
				converted_type: "DECIMAL",
				precision: 38,
				scale: 11,
				repetition_type: "OPTIONAL",
			},
			{
				name: "price",
				type: "INT32",
				converted_type: "DECIMAL",
				precision: 9,
				scale: 2,
				repetition_type: "OPTIONAL",
			},
			{
				name: "day",
				type: "INT32",
				converted_type: "DATE",
				repetition_type: "OPTIONAL",
			},
			{
				name: "posted_utc",
				type: "INT64",
				converted_type: "TIMESTAMP_MILLIS",
				repetition_type: "OPTIONAL",
			},
			{
				name: "posted_local",
				type: "INT64",
				logical_type: {
					type: "TIMESTAMP",
					isAdjustedToUTC: false,
					unit: "MICROS",
				},
				repetition_type: "OPTIONAL",
			},
			{ name: "id", type: "INT64", repetition_type: "OPTIONAL" },
			{
				name: "region",
				type: "BYTE_ARRAY",
				converted_type: "UTF8",
				repetition_type: "OPTIONAL",
			},
			{ name: "ratio", type: "DOUBLE", repetition_type: "OPTIONAL" },
			{ name: "active", type: "BOOLEAN", repetition_type: "OPTIONAL" },
		],
	});
	w.write({
		columnData: [
			{ name: "amount", data: [big, -5n, null] },
			{ name: "price", data: [1050n, -1n, null] },
			{ name: "day", data: [19753, 0, null] },
			{ name: "posted_utc", data: [1706700000123n, 0n, null] },
			{ name: "posted_local", data: [1706700000000500n, -1n, null] },
			{ name: "id", data: [9007199254740993n, 42n, null] },
			{ name: "region", data: ["North", "North", null] },
			{ name: "ratio", data: [0.25, -1.5, null] },
			{ name: "active", data: [true, false, null] },
		],
	});
	w.finish();
	return new Uint8Array(writer.getBuffer());
}

const connector = (p: string) =>
	createConnector(sourceConnectionSchema.parse({ kind: "parquet", path: p }));

describe("Parquet sources", () => {
	const { log } = memoryLogger();
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-parquet-"));
		db = await createTestDatabase("parquet");
		pool = createPool(db.url, log, { max: 2 });
		await migrate(pool, migrationsDir, log);
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("reads each type as the other connectors write it: exact decimals past a double's digits, dates, timestamps in their unit and zone, 64-bit ids, nulls", async () => {
		const file = path.join(dir, "typed.parquet");
		writeFileSync(file, typedFile());
		const rows = await connector(file).sample({ table: "typed" }, 10);
		expect(rows.map((r) => Object.fromEntries(Object.entries(r)))).toEqual([
			{
				amount: "1234567890123456789.01234567891",
				price: "10.5",
				day: "2024-01-31",
				posted_utc: "2024-01-31T11:20:00.123Z",
				posted_local: "2024-01-31 11:20:00.0005",
				id: "9007199254740993",
				region: "North",
				ratio: 0.25,
				active: true,
			},
			{
				amount: "-0.00000000005",
				price: "-0.01",
				day: "1970-01-01",
				posted_utc: "1970-01-01T00:00:00Z",
				posted_local: "1969-12-31 23:59:59.999999",
				id: 42,
				region: "North",
				ratio: -1.5,
				active: false,
			},
			{
				amount: null,
				price: null,
				day: null,
				posted_utc: null,
				posted_local: null,
				id: null,
				region: null,
				ratio: null,
				active: null,
			},
		]);
		const profile = await connector(file).profile("typed");
		expect(profile.columns.map((c) => c.type)).toEqual([
			"DECIMAL(38,11)",
			"DECIMAL(9,2)",
			"DATE",
			"TIMESTAMP_MILLIS",
			"TIMESTAMP(MICROS)",
			"INT64",
			"UTF8",
			"DOUBLE",
			"BOOLEAN",
		]);
	});

	it("refuses a file that is not Parquet, one cut short and one with a damaged page, naming the file, and loads nothing", async () => {
		const out = path.join(dir, "demo");
		const made = await runCli(
			[
				"demo-data",
				"--format",
				"parquet",
				"--out",
				out,
				"--scale",
				"2000",
				"--seed",
				"5",
			],
			{},
		);
		expect(made.code).toBe(0);
		expect(made.stdout).toContain(`wrote ${out} (parquet exports): `);
		const good = readFileSync(path.join(out, "SLS_INVOICE_EXPORT.parquet"));
		const cases: [string, Buffer, RegExp][] = [
			[
				"not Parquet",
				Buffer.from("InvoiceNo,LineNo\n1,1\n"),
				/SLS_INVOICE_EXPORT\.parquet is not a readable Parquet file \(.+\); re-export it/,
			],
			[
				"cut short",
				good.subarray(0, Math.floor(good.length / 2)),
				/SLS_INVOICE_EXPORT\.parquet is not a readable Parquet file/,
			],
			[
				"damaged page",
				damage(good),
				/SLS_INVOICE_EXPORT\.parquet is not a readable Parquet file/,
			],
		];
		for (const [label, bytes, message] of cases) {
			const bad = path.join(dir, `bad-${label.replace(/ /g, "-")}`);
			mkdirSync(bad);
			for (const f of readdirSync(out))
				writeFileSync(path.join(bad, f), readFileSync(path.join(out, f)));
			writeFileSync(path.join(bad, "SLS_INVOICE_EXPORT.parquet"), bytes);
			const before = await warehouseChecksums(pool);
			const source = sourceFrom(
				`connection: {kind: parquet, path: ${bad}}\nmapping: demo-erp-csv`,
				`bad_${label.replace(/ /g, "_").toLowerCase()}`,
			);
			await expect(runIngest(pool, source, { log }), label).rejects.toThrow(
				message,
			);
			const after = await warehouseChecksums(pool);
			expect(after.transaction_data, label).toEqual(before.transaction_data);
		}
	}, 120_000);
});

/** The file with bytes in the middle of its first column chunk's data overwritten. */
function damage(good: Buffer): Buffer {
	const out = Buffer.from(good);
	for (let i = 4 + 200; i < 4 + 400; i++) out[i] = 0xff;
	return out;
}
