import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { loadSqlCatalog } from "../../src/db/sql-catalog.ts";
import { AppError } from "../../src/errors.ts";
import { computeStox } from "../../src/inventory/compute.ts";
import {
	parseStoxConfig,
	type StoxConfig,
} from "../../src/inventory/config.ts";
import { stoxReorder } from "../../src/inventory/report.ts";
import { migrationsDir, sqlDir } from "../../src/paths.ts";
import {
	loadStoxWarehouse,
	STOX_MATERIALS,
} from "../fixtures/stox-warehouse.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { runCli } from "../helpers/process.ts";

const PER_MATERIAL = [
	"stox_lot_size",
	"stox_safety_stock",
	"stox_reorder_point",
	"stox_annual_cost",
	"stox_working_capital",
	"stox_performance_metrics",
];

describe("computing the stox_* tables from a small warehouse", () => {
	const { log } = memoryLogger();
	const config = parseStoxConfig({});
	const sql = loadSqlCatalog(sqlDir);
	let db: TestDatabase;
	let pool: Pool;
	let dir: string;

	beforeAll(async () => {
		db = await createTestDatabase("stox_compute");
		pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
		await loadStoxWarehouse(pool);
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-stox-"));
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	async function one<T extends object>(
		text: string,
		values: unknown[] = [],
	): Promise<T> {
		const { rows } = await pool.query<T>(text, values);
		return rows[0] as T;
	}

	it("analyses the day after the latest posting by default and writes one row per material to every table", async () => {
		const r = await computeStox(pool, { config, log, batchSize: 3 });
		expect(r.analysisDate).toBe("2026-07-01");
		expect(r.windowStart).toBe("2025-07-01");
		expect(r.materials).toBe(STOX_MATERIALS.length);
		for (const t of PER_MATERIAL) {
			expect(r.tables[t], t).toBe(STOX_MATERIALS.length);
			const { rows } = await pool.query<{ source: string; m: string }>(
				`select source, material_number as m from ${t} order by 1, 2`,
			);
			expect(rows.map((x) => [x.source, x.m])).toEqual(STOX_MATERIALS);
		}
		expect(r.tables.stox_future_projection).toBe(
			STOX_MATERIALS.length * config.projection.horizon,
		);
		expect(r.tables.stox_enterprise_summary).toBe(1);
	});

	it("counts shipped units as demand and leaves credit notes out", async () => {
		const row = await one<{ d: number; sd: number }>(
			"select r.avg_daily_demand as d, s.demand_std_dev as sd from stox_reorder_point r join stox_safety_stock s using (source, material_number) where source = 'erp' and material_number = 'STEADY'",
		);
		expect(row.d).toBeCloseTo(5, 12);
		expect(row.sd).toBe(0);
	});

	it("classes materials by revenue, the one crossing 80 % staying A, and keeps two ERPs' same number apart", async () => {
		const { rows } = await pool.query<{ k: string; abc: string | null }>(
			"select source || '/' || material_number as k, abc_class as abc, service_level_pct::float8 as sl from stox_safety_stock order by 1",
		);
		expect(Object.fromEntries(rows.map((r) => [r.k, r.abc]))).toEqual({
			"erp/NODEMAND": null,
			"erp/NOLEAD": "C",
			"erp/NOMASTER": "C",
			"erp/SINGLE": "C",
			"erp/STEADY": "A",
			"erp/ZEROCOST": "B",
			"erp2/STEADY": "A",
		});
		const sl = await one<{ sl: number }>(
			"select service_level_pct::float8 as sl from stox_safety_stock where material_number = 'NODEMAND'",
		);
		expect(sl.sl).toBe(95);
	});

	it("gives each bad-input material the core's fallback and its reason, and lands its rows", async () => {
		const reasons = async (m: string) =>
			one<Record<string, string | null>>(
				`select l.reason as lot, s.reason as ss, r.reason as rop, w.reason as wc, p.reason as perf,
				 l.economic_order_quantity as eoq, r.reorder_point as rop_value, w.turnover_ratio as turns
				 from stox_lot_size l join stox_safety_stock s using (source, material_number)
				 join stox_reorder_point r using (source, material_number)
				 join stox_working_capital w using (source, material_number)
				 join stox_performance_metrics p using (source, material_number)
				 where source = 'erp' and material_number = $1`,
				[m],
			);
		const noDemand = await reasons("NODEMAND");
		expect(noDemand.lot).toContain("no demand in the window");
		expect(noDemand.wc).toContain("no demand: inventory does not turn");
		expect(noDemand.eoq).toBeNull();
		const zeroCost = await reasons("ZEROCOST");
		expect(zeroCost.lot).toContain("holding cost per unit is not positive");
		expect(zeroCost.turns).toBeNull();
		const noLead = await reasons("NOLEAD");
		expect(noLead.ss).toContain("lead time missing");
		expect(noLead.rop).toContain("lead time missing");
		expect(noLead.rop_value).toBeNull();
		const single = await reasons("SINGLE");
		expect(single.eoq).not.toBeNull();
		const noMaster = await reasons("NOMASTER");
		expect(noMaster.rop).toContain("no material master row");
		expect(noMaster.wc).toContain("no stock snapshots and no EOQ");
		expect(noMaster.perf).toContain("inventory accuracy not measured");
	});

	it("never stores NaN or infinity in a numeric column", async () => {
		const { rows: cols } = await pool.query<{ t: string; c: string }>(
			`select table_name as t, column_name as c from information_schema.columns
			 where table_name like 'stox\\_%' and data_type in ('numeric', 'double precision')
			 and table_name not in ('stox_material_master', 'stox_stock_levels')`,
		);
		expect(cols.length).toBeGreaterThan(30);
		for (const { t, c } of cols) {
			const bad = await one<{ n: number }>(
				`select count(*) as n from ${t} where ${c}::float8 in ('NaN', 'Infinity', '-Infinity')`,
			);
			expect(bad.n, `${t}.${c}`).toBe(0);
		}
	});

	it("ties the enterprise summary to the item rows to the cent", async () => {
		const tie = await one<Record<string, string | number>>(
			`select e.total_inventory_value::text as total, e.total_working_capital::text as capital,
			 e.total_sku_count as skus,
			 (select sum(current_inventory_value)::text from stox_working_capital) as items_total,
			 (select sum(inventory_value)::text from stox_working_capital) as items_capital,
			 (select count(*) from stox_working_capital) as items
			 from stox_enterprise_summary e`,
		);
		expect(tie.total).toBe(tie.items_total);
		expect(tie.capital).toBe(tie.items_capital);
		expect(tie.skus).toBe(tie.items);
	});

	it("lists a material whose open order is older than its lead time for reorder, and says why", async () => {
		const rows = await stoxReorder(pool, sql);
		const steady = rows.find(
			(r) => r.source === "erp" && r.material_number === "STEADY",
		);
		expect(steady).toMatchObject({
			on_hand: 20,
			on_order: 150,
			on_order_since: "2026-06-07",
			at_reorder_point: false,
			inbound_overdue: true,
		});
	});

	it("rolls the whole rebuild back when a write fails, leaving the previous run readable", async () => {
		const before = await one<{ n: number; d: string }>(
			"select count(*) as n, min(calculation_date)::text as d from stox_lot_size",
		);
		const broken = {
			...sql,
			get: (name: string) =>
				name === "stox/write-enterprise"
					? "select no_such_column"
					: sql.get(name),
		};
		await expect(
			computeStox(pool, {
				config,
				log,
				sql: broken,
				analysisDate: "2026-05-01",
			}),
		).rejects.toThrow(/no_such_column/);
		const after = await one<{ n: number; d: string }>(
			"select count(*) as n, min(calculation_date)::text as d from stox_lot_size",
		);
		expect(after).toEqual(before);
	});

	it("stops when cancelled and keeps the previous run", async () => {
		const before = await one<{ n: number }>(
			"select count(*) as n from stox_future_projection",
		);
		const controller = new AbortController();
		controller.abort();
		await expect(
			computeStox(pool, { config, log, signal: controller.signal }),
		).rejects.toThrow(/abort/i);
		expect(
			await one<{ n: number }>(
				"select count(*) as n from stox_future_projection",
			),
		).toEqual(before);
	});

	it("refuses a service level outside (0, 1) naming its key, before touching the tables", async () => {
		const bad: StoxConfig = {
			...config,
			serviceLevels: { ...config.serviceLevels, A: 1.2 },
		};
		const err = await computeStox(pool, { config: bad, log }).catch(
			(e: unknown) => e,
		);
		expect(err).toBeInstanceOf(AppError);
		expect((err as AppError).code).toBe("config_invalid");
		expect((err as Error).message).toContain("stox.serviceLevels.A");
	});

	it("stox compute exits non-zero on a bad service level in the config file, naming the key, without touching the database", async () => {
		const empty = await createTestDatabase("stox_cli_bad");
		try {
			const file = path.join(dir, "bad.yaml");
			writeFileSync(file, "stox:\n  serviceLevels:\n    A: 1.5\n");
			const r = await runCli(["--config", file, "stox", "compute"], {
				DATABASE_URL: empty.url,
			});
			expect(r.code).toBe(1);
			expect(r.stderr).toContain("stox.serviceLevels.A");
			const tables = await createPool(empty.url, log, { max: 1 });
			try {
				const { rowCount } = await tables.query(
					"select 1 from pg_tables where schemaname = 'public'",
				);
				expect(rowCount).toBe(0);
			} finally {
				await tables.end();
			}
		} finally {
			await empty.drop();
		}
	});

	it("stox compute, reorder and item print readable tables through the CLI, in chat's words", async () => {
		const env = { DATABASE_URL: db.url };
		const computed = await runCli(["stox", "compute"], env);
		expect(computed.code).toBe(0);
		expect(computed.stdout).toContain(
			"stox computed for 7 material(s) as of 2026-07-01",
		);
		// The reports are the chat command's (commands/stox.ts), printed as Markdown.
		const reorder = await runCli(["stox", "reorder"], env);
		expect(reorder.code).toBe(0);
		expect(reorder.stdout).toMatch(/^# Reorder now: 1 material\(s\)$/m);
		expect(reorder.stdout).toMatch(
			/^STEADY +Steady seller +20 +150 +91 .* order open since 2026-06-07, late$/m,
		);
		const item = await runCli(["stox", "item", "NOLEAD"], env);
		expect(item.code).toBe(0);
		expect(item.stdout).toMatch(
			/^NOLEAD No lead time \(source erp, as of 2026-07-01\)$/m,
		);
		expect(item.stdout).toMatch(
			/^ {2}reorder point +– \(lead-time demand –\)$/m,
		);
		expect(item.stdout).toContain("lead time missing or negative");
		// A material that is not there is bad input: exit 2, said on stderr.
		const missing = await runCli(["stox", "item", "STEAD"], env);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain("Did you mean STEADY?");
		// Computed, but no such material and nothing like it: say so, not "run compute". (6: the
		// materials with a reorder point, which is what stox item shows.)
		const unknown = await runCli(["stox", "item", "ITM-99999"], env);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toContain(
			"No material ITM-99999 among the 6 with inventory figures. Check the number (erp-pulse stox reorder and stox excess list some).",
		);
		const usage = await runCli(["stox", "item"], env);
		expect(usage.code).toBe(2);
		expect(usage.stderr).toContain("Give one material number");
	});
});
