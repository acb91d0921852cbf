import {
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { copyDemoToMysql } from "../../src/demo/export.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import {
	columnsOf,
	type Mapping,
	type ValueSpec,
} from "../../src/ingest/mapping.ts";
import { loadMapping } from "../../src/ingest/mapping-file.ts";
import { dryRunIngest, runIngest } from "../../src/ingest/run.ts";
import { gatherTables } from "../../src/ingest/suggest/gather.ts";
import {
	dateFormatLine,
	type Suggestion,
	suggestMapping,
} from "../../src/ingest/suggest/index.ts";
import { suggestionYaml } from "../../src/ingest/suggest/yaml.ts";
import { migrationsDir } from "../../src/paths.ts";
import {
	type SourceConnectionInput,
	sourceConnectionSchema,
} from "../../src/sources/config.ts";
import { createConnector } from "../../src/sources/index.ts";
import { ONLINE_RETAIL } from "../helpers/datasets.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { runCli } from "../helpers/process.ts";
import { sourceFrom, warehouseChecksums } from "../helpers/warehouse.ts";

/** The demo's hand-written mapping, column by column, as the suggestion finds it. */
const DEMO_AGREEMENT = {
	branches: { found: "4/4", extra: [] },
	salespeople: { found: "5/5", extra: [] },
	customers: { found: "9/9", extra: [] },
	// The demo's LeadTimeStdDays is a quoted lead time, which the hand-written mapping leaves out.
	materials: { found: "11/11", extra: ["lead_time_std_days"] },
	order_lines: { found: "14/14", extra: [] },
	stock_levels: { found: "5/5", extra: [] },
	quotes: { found: "9/9", extra: [] },
};

const MYSQL_URL = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";

/** The source columns an expression reads, compared as the mapping compares them (any case). */
function reads(spec: ValueSpec): string {
	if (typeof spec === "object" && "recordNumber" in spec)
		return "(record number)";
	return columnsOf(spec)
		.map((c) => c.toLowerCase())
		.sort()
		.join("+");
}

/**
 * Per entity, how many of a hand-written mapping's columns the suggestion reads from the same
 * source columns ("9/9"), and the canonical columns it maps that the hand-written one leaves out.
 */
function agreement(s: Suggestion, truth: Mapping) {
	const out: Record<string, { found: string; extra: string[] }> = {};
	for (const [entity, t] of Object.entries(truth.entities)) {
		const p = s.entities.find((e) => e.entity === entity);
		const cols = Object.entries(t?.columns ?? {});
		const right = cols.filter(([canon, spec]) => {
			const mine = p?.columns.find((c) => c.canon === canon);
			return mine && reads(mine.spec) === reads(spec);
		}).length;
		out[entity] = {
			found: `${right}/${cols.length}`,
			extra: (p?.columns ?? [])
				.map((c) => c.canon)
				.filter((c) => !(c in (t?.columns ?? {}))),
		};
	}
	return out;
}

async function suggestFor(
	name: string,
	connection: SourceConnectionInput,
): Promise<Suggestion> {
	const conn = createConnector(sourceConnectionSchema.parse(connection), {});
	try {
		const { tables } = await gatherTables(conn);
		return suggestMapping({ source: name, kind: connection.kind, tables });
	} finally {
		await conn.close();
	}
}

/**
 * `sources suggest` on sources it was not written against: the demo ERP (SQLite and MariaDB),
 * the real Online Retail export, and an SAP-style export with German field names and dates.
 * Each proposal is compared column by column with a hand-written mapping, then run.
 */
describe("sources suggest", () => {
	const { log } = memoryLogger();
	let dir: string;
	let sqliteFile: string;
	let mysqlDb: string;
	let db: TestDatabase;
	let pool: Pool;
	const extra: { db: TestDatabase; pool: Pool }[] = [];

	const write = (name: string, s: Suggestion) => {
		const file = path.join(dir, `${name}.yaml`);
		writeFileSync(file, suggestionYaml(s));
		return file;
	};

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-suggest-"));
		sqliteFile = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file: sqliteFile, seed: 11, lines: 8_000 });
		mysqlDb = `erp_pulse_t_suggest_${process.pid}_${Date.now() % 100000}`;
		const admin = await mysql.createConnection({ uri: MYSQL_URL });
		await admin.query(`create database ${mysqlDb}`);
		await admin.end();
		await copyDemoToMysql(sqliteFile, `${MYSQL_URL}/${mysqlDb}`);
		db = await createTestDatabase("suggest");
		pool = createPool(db.url, log, { max: 2 });
		await migrate(pool, migrationsDir, log);
	}, 120_000);
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		for (const w of extra) {
			await w.pool.end();
			await w.db.drop();
		}
		const admin = await mysql.createConnection({ uri: MYSQL_URL });
		await admin.query(`drop database if exists ${mysqlDb}`);
		await admin.end();
		rmSync(dir, { recursive: true, force: true });
	});

	it("finds every column of the demo ERP's hand-written mapping in its SQLite file, joining the lines to their invoice header and customer", async () => {
		const s = await suggestFor("erp", { kind: "sqlite", file: sqliteFile });
		expect(agreement(s, loadMapping("demo-erp"))).toEqual(DEMO_AGREEMENT);
		const lines = s.entities.find((e) => e.entity === "order_lines");
		expect(lines?.tables).toEqual([
			"SLS_INVOICE_LIN",
			"SLS_INVOICE_HDR",
			"AR_CUSTOMER",
		]);
		expect(lines?.watermark).toEqual({ column: "PostedAt", overlap: "2 days" });
		expect(s.missing).toEqual([]);
	});

	it("proposes a mapping that, with the one line it flags removed, loads the same warehouse as the hand-written one", async () => {
		const s = await suggestFor("erp", { kind: "sqlite", file: sqliteFile });
		const file = write("demo", s);
		const yaml = readFileSync(file, "utf8");
		const flagged = yaml
			.split("\n")
			.filter((l) =>
				l.includes("Check: this column is the lead time's standard deviation"),
			);
		expect(flagged).toHaveLength(1);
		writeFileSync(
			file,
			yaml
				.split("\n")
				.filter((l) => !flagged.includes(l))
				.join("\n"),
		);
		const mine = await createTestDatabase("suggest_mine");
		const theirs = await createTestDatabase("suggest_theirs");
		for (const d of [mine, theirs]) {
			const p = createPool(d.url, log, { max: 2 });
			await migrate(p, migrationsDir, log);
			extra.push({ db: d, pool: p });
		}
		const [a, b] = extra.slice(-2).map((w) => w.pool) as [Pool, Pool];
		const conn = `connection: {kind: sqlite, file: ${sqliteFile}}\n`;
		const ran = await runIngest(a, sourceFrom(`${conn}mapping: ${file}`), {
			log,
		});
		await runIngest(b, sourceFrom(`${conn}mapping: demo-erp`), { log });
		expect(ran.rejected).toBe(0);
		expect(ran.loaded).toBeGreaterThan(8_000);
		expect(await warehouseChecksums(a)).toEqual(await warehouseChecksums(b));
	}, 120_000);

	it("proposes for the same ERP in MariaDB a mapping the dry run accepts without a reject", async () => {
		const url = `${MYSQL_URL}/${mysqlDb}`;
		const s = await suggestFor("erp", { kind: "mysql", url });
		expect(agreement(s, loadMapping("demo-erp"))).toEqual(DEMO_AGREEMENT);
		const file = write("mariadb", s);
		const r = await dryRunIngest(
			pool,
			sourceFrom(`connection: {kind: mysql, url: "${url}"}\nmapping: ${file}`),
			{ limit: 100_000, log },
		);
		for (const [entity, e] of Object.entries(r.entities)) {
			expect(e?.rejected, entity).toBe(0);
			expect(e?.valid, entity).toBeGreaterThan(0);
		}
		expect(Object.keys(r.entities)).toHaveLength(7);
	}, 60_000);

	it("reads Online Retail's one-table export as the hand-written mapping does: customer ids cast to whole numbers, C invoices as cancellations, amount = quantity × price", async () => {
		const folder = path.dirname(ONLINE_RETAIL);
		const s = await suggestFor("shop", { kind: "csv", path: folder });
		expect(agreement(s, loadMapping("online-retail"))).toEqual({
			// The hand-written mapping also makes the country the customers' sales office.
			customers: { found: "2/3", extra: [] },
			materials: { found: "3/3", extra: [] },
			order_lines: { found: "11/11", extra: [] },
		});
		expect(s.entities.map((e) => e.entity)).toEqual([
			"customers",
			"materials",
			"order_lines",
		]);
		const customers = s.entities.find((e) => e.entity === "customers");
		expect(customers?.only).toEqual({ present: "CustomerID" });
		const file = write("online-retail", s);
		const r = await dryRunIngest(
			pool,
			sourceFrom(`connection: {kind: csv, path: ${folder}}\nmapping: ${file}`),
			{ limit: 30_000, log },
		);
		expect(r.entities.order_lines).toMatchObject({ read: 30_000 });
		// What is rejected is what the hand-written mapping rejects too: stock adjustments with a
		// negative quantity on an invoice that is not a C cancellation.
		expect(r.entities.order_lines?.reasons.map((x) => x.reason)).toEqual([
			"inv_quantity_cases is negative (…) on a line that is not a cancellation; map credit notes to is_cancellation",
		]);
	}, 120_000);

	it("reads an SAP-style export (VBELN, POSNR, KUNAG, MATNR, FKIMG, NETWR; dates as 31.01.2024) as the shipped sap-billing mapping does, and says which dateFormat the CSV connection needs", async () => {
		const sap = path.join(dir, "sap");
		mkdirSync(sap);
		writeSapExport(sap);
		const s = await suggestFor("sap", { kind: "csv", path: sap });
		expect(dateFormatLine(s)).toBe(
			'dateFormat: {ERDAT: "D.M.YYYY", ERSDA: "D.M.YYYY", FKDAT: "D.M.YYYY"}',
		);
		expect(agreement(s, loadMapping("sap-billing"))).toEqual({
			customers: { found: "5/5", extra: [] },
			materials: { found: "5/5", extra: [] },
			order_lines: { found: "11/11", extra: [] },
		});
		const lines = s.entities.find((e) => e.entity === "order_lines");
		expect(
			lines?.columns.find((c) => c.canon === "is_cancellation")?.spec,
		).toEqual({
			equals: "FKART",
			value: "G2",
		});
		const file = write("sap", s);
		const r = await dryRunIngest(
			pool,
			sourceFrom(
				`connection: {kind: csv, path: ${sap}, dateFormat: {ERDAT: "D.M.YYYY", ERSDA: "D.M.YYYY", FKDAT: "D.M.YYYY"}}\nmapping: ${file}`,
			),
			{ limit: 1_000, log },
		);
		expect(r.entities.order_lines).toMatchObject({
			read: 40,
			valid: 40,
			rejected: 0,
		});
		expect(r.entities.customers).toMatchObject({ valid: 3, rejected: 0 });
		expect(r.entities.materials).toMatchObject({ valid: 4, rejected: 0 });
		const shipped = await dryRunIngest(
			pool,
			sourceFrom(
				`connection: {kind: csv, path: ${sap}, dateFormat: {ERDAT: "D.M.YYYY", ERSDA: "D.M.YYYY", FKDAT: "D.M.YYYY"}}\nmapping: sap-billing`,
			),
			{ limit: 1_000, log },
		);
		expect(shipped.entities.order_lines).toMatchObject({
			read: 40,
			valid: 40,
			rejected: 0,
		});
		expect(r.entities.order_lines?.sample[0]).toMatchObject({
			order_number: "0090000001",
			line_number: 10,
			customer: "0000100001",
			posting_date: "2024-01-31",
		});
	});

	it("sources test connects before there is a mapping and says how to have one proposed", async () => {
		const config = path.join(dir, "no-mapping.yaml");
		const mapping = path.join(dir, "mappings", "erp.yaml");
		writeFileSync(
			config,
			`demo: {enabled: false}\nsources:\n  erp:\n    connection: {kind: sqlite, file: ${sqliteFile}}\n    mapping: ${mapping}\n`,
		);
		const r = await runCli(["--config", config, "sources", "test", "erp"], {
			DATABASE_URL: db.url,
		});
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(/^ok {4}connected: /);
		expect(r.stdout).toContain(`FAIL  mapping: Mapping "${mapping}" not found`);
		expect(r.stdout).toContain(
			`to have one proposed from the source's tables: erp-pulse sources suggest erp --out ${mapping}`,
		);
		const made = await runCli(
			["--config", config, "sources", "suggest", "erp", "--out", mapping],
			{ DATABASE_URL: db.url },
		);
		expect(made.code).toBe(0);
		expect(made.stdout).toContain(
			`next: erp-pulse ingest erp --dry-run (the source's mapping: is already ${mapping})`,
		);
		expect(
			(
				await runCli(["--config", config, "sources", "test", "erp"], {
					DATABASE_URL: db.url,
				})
			).code,
		).toBe(0);
	}, 60_000);

	it("writes the proposal with --out and prints per entity what it found and what is left to do; refuses to replace a file it did not write", async () => {
		const config = path.join(dir, "cli.yaml");
		writeFileSync(
			config,
			`demo: {enabled: false}\nsources:\n  erp:\n    connection: {kind: sqlite, file: ${sqliteFile}}\n    mapping: demo-erp\n`,
		);
		const out = path.join(dir, "proposed.yaml");
		const r = await runCli(
			["--config", config, "sources", "suggest", "erp", "--out", out],
			{
				DATABASE_URL: db.url,
			},
		);
		expect(r.stderr).toBe("");
		expect(r.code).toBe(0);
		expect(r.stdout).toContain(`wrote ${out}: a proposed mapping for erp`);
		expect(r.stdout).toMatch(
			/order_lines +SLS_INVOICE_LIN \+ SLS_INVOICE_HDR \+ AR_CUSTOMER +14 of 15 columns +-/,
		);
		expect(r.stdout).toMatch(/quotes +CRM_QUOTE +9 of 10 columns +branch/);
		expect(r.stdout).toContain(
			`next: set mapping: ${out} on the source in the config file, then erp-pulse ingest erp --dry-run`,
		);
		expect(loadMapping(out).entities.order_lines?.watermark?.column).toBe(
			"PostedAt",
		);
		// Again: it may replace its own file.
		expect(
			(
				await runCli(
					["--config", config, "sources", "suggest", "erp", "--out", out],
					{ DATABASE_URL: db.url },
				)
			).code,
		).toBe(0);
		const other = path.join(dir, "notes.yaml");
		writeFileSync(other, "my: notes\n");
		const refused = await runCli(
			["--config", config, "sources", "suggest", "erp", "--out", other],
			{ DATABASE_URL: db.url },
		);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain(
			`--out ${other} already exists and is not a suggested mapping file`,
		);
		expect(readFileSync(other, "utf8")).toBe("my: notes\n");
	}, 60_000);
});

/**
 * An SAP-style export as a team would pull it with SE16N/SQVI: customers (KNA1), materials (MARA
 * with the MAKT description), and billing items (VBRK header fields joined to VBRP lines), with
 * SAP's field names, leading-zero numbers and German dates.
 */
function writeSapExport(dir: string): void {
	writeFileSync(
		path.join(dir, "KNA1.csv"),
		[
			"KUNNR,NAME1,LAND1,BRSCH,ERDAT",
			"0000100001,Müller Bau GmbH,DE,BAU,15.03.2019",
			"0000100002,Schmidt Handel AG,AT,HAN,01.07.2020",
			"0000100003,Keller Logistik,CH,LOG,30.11.2021",
		].join("\n"),
	);
	writeFileSync(
		path.join(dir, "MARA.csv"),
		[
			"MATNR,MAKTX,MATKL,MEINS,ERSDA",
			"000000000000400001,Schraube M8 verzinkt,SCHR,ST,02.01.2018",
			"000000000000400002,Mutter M8,SCHR,ST,02.01.2018",
			"000000000000400003,Dübel 10mm,DUEB,PAK,14.05.2020",
			"000000000000400004,Bohrer HSS 8mm,WERK,ST,09.09.2022",
		].join("\n"),
	);
	const rows = [
		"VBELN,POSNR,FKART,FKDAT,KUNAG,MATNR,FKIMG,NETWR,WAVWR,VKBUR,WERKS",
	];
	for (let i = 0; i < 20; i++)
		for (const pos of [10, 20]) {
			const credit = i % 7 === 6;
			rows.push(
				[
					`00900000${String(i + 1).padStart(2, "0")}`,
					String(pos).padStart(6, "0"),
					credit ? "G2" : "F2",
					`${String((i % 28) + 1).padStart(2, "0")}.0${(i % 3) + 1}.2024`.replace(
						/^01\.01/,
						"31.01",
					),
					`000010000${(i % 3) + 1}`,
					`00000000000040000${((pos / 10 + i) % 4) + 1}`,
					String(pos / 10 + (i % 5)),
					((pos / 10 + (i % 5)) * 12.5).toFixed(2),
					((pos / 10 + (i % 5)) * 8.1).toFixed(2),
					i % 2 ? "1000" : "2000",
					i % 2 ? "1100" : "1200",
				].join(","),
			);
		}
	writeFileSync(path.join(dir, "billing_items.csv"), rows.join("\n"));
}
