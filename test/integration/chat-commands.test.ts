import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatch } from "../../commands/dispatch.ts";
import { commands } from "../../commands/index.ts";
import type { CommandContext, Reply } from "../../commands/types.ts";
import { computeSql, runCompute } from "../../src/analytics/compute/run.ts";
import { parseConfig } from "../../src/config/load.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { loadSqlCatalog } from "../../src/db/sql-catalog.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { computeStox, STOX_SQL } from "../../src/inventory/compute.ts";
import { migrationsDir, sqlDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { sourceFrom } from "../helpers/warehouse.ts";

describe("the chat commands on a computed demo ERP", () => {
	const { log } = memoryLogger();
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;
	const config = parseConfig("demo: {enabled: false}\n", "t.yaml", {}).config;

	const base = (): Omit<CommandContext, "commands"> => ({
		pool,
		config,
		user: { id: "U1" },
		channel: { kind: "local", id: "cli" },
		now: new Date(),
		log,
	});
	const run = (text: string, over: Partial<CommandContext> = {}) =>
		dispatch(commands, text, { ...base(), ...over });
	const all = (r: Reply) =>
		[
			r.message.title,
			r.message.text ?? "",
			...(r.message.facts ?? []).map((f) => `${f.label}: ${f.value}`),
			...(r.message.table?.rows ?? []).map((row) => row.join(" | ")),
			...(r.message.context ?? []),
		].join("\n");

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-cmds-"));
		const erp = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file: erp, seed: 5, lines: 5_000 });
		db = await createTestDatabase("cmds");
		pool = createPool(db.url, log, { max: 4 });
		await migrate(pool, migrationsDir, log);
	}, 120_000);
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("says segments are not computed yet before the first compute", async () => {
		const r = await run("segment");
		expect(r.ephemeral).toBe(true);
		expect(r.message.text).toBe(
			"segments not computed yet — run erp-pulse compute",
		);
	});

	it("loads and computes the demo ERP", async () => {
		await runIngest(
			pool,
			sourceFrom(
				`connection: {kind: sqlite, file: ${path.join(dir, "erp.sqlite")}}\nmapping: demo-erp`,
			),
			{ log },
		);
		const sql = loadSqlCatalog(sqlDir);
		sql.requireAll([...computeSql(), ...STOX_SQL]);
		const r = await runCompute(pool, sql, { trigger: "cli", wait: true, log });
		expect(r.status).not.toBe("skipped");
		await computeStox(pool, { config: config.stox, log, sql });
	}, 240_000);

	it("lists the RFM segments with customers, revenue share and frequency", async () => {
		const r = await run("segment");
		expect(r.problem).toBeUndefined();
		expect(r.message.table?.columns).toEqual([
			"Segment",
			"Customers",
			"Revenue share",
			"Avg frequency",
		]);
		const { rows } = await pool.query<{ n: number }>(
			`select count(*)::int as n from segment_performance where segment_type = 'RFM_Segment'`,
		);
		expect(r.message.table?.rows.length).toBe(rows[0]?.n);
	});

	it("shows the top 10 customers of a segment named loosely", async () => {
		const r = await run("segment champions");
		expect(r.problem).toBeUndefined();
		expect(r.message.title).toBe("Champions: top customers by monetary");
		const { rows } = await pool.query<{ customer: string }>(
			`select customer from customer_master where rfm_segment = 'Champions'
			  order by monetary desc nulls last, customer limit 10`,
		);
		expect(r.message.table?.rows.map((x) => x[0])).toEqual(
			rows.map((x) => x.customer),
		);
		const lose = await run("segment cant lose");
		expect(lose.message.title).toBe(
			"Can't Lose Them: top customers by monetary",
		);
	});

	it("answers an unknown segment with the segment names", async () => {
		const r = await run("segment platinum");
		expect(r.problem).toBe(true);
		expect(r.ephemeral).toBe(true);
		expect(r.message.text).toContain("`champions`");
	});

	it("shows the size and retention of the last cohorts", async () => {
		const r = await run("cohort 3");
		expect(r.problem).toBeUndefined();
		expect(r.message.table?.columns).toEqual([
			"Cohort",
			"Customers",
			"M0",
			"M1",
			"M2",
			"M3",
			"M4",
			"M5",
			"M6",
		]);
		expect(r.message.table?.rows.length).toBe(3);
		const byDefault = await run("cohort");
		expect(byDefault.message.table?.rows.length).toBeLessThanOrEqual(6);
		expect(byDefault.message.table?.rows.at(-1)?.[0]).toBe(
			r.message.table?.rows.at(-1)?.[0],
		);
	});

	it("refuses a cohort count that is not a number", async () => {
		const r = await run("cohort six");
		expect(r.problem).toBe(true);
		expect(r.message.text).toContain("expected the number of cohorts");
	});

	it("shows the stox summary, reorder list, excess list and one material", async () => {
		const summary = await run("stox summary");
		expect(summary.problem).toBeUndefined();
		expect(summary.message.text).toContain("Inventory as of");
		const reorder = await run("stox reorder --limit 5");
		expect(reorder.problem).toBeUndefined();
		expect(reorder.message.text).toMatch(/to reorder|Nothing to reorder/);
		const excess = await run("stox excess");
		expect(excess.problem).toBeUndefined();
		const { rows } = await pool.query<{ m: string }>(
			"select material_number as m from stox_reorder_point order by 1 limit 1",
		);
		const material = rows[0]?.m as string;
		const item = await run(`stox item ${material}`);
		expect(item.problem).toBeUndefined();
		expect(all(item)).toContain(material);
	});

	it("answers a stox item without a material and an unknown report with the fix", async () => {
		const item = await run("stox item");
		expect(item.problem).toBe(true);
		expect(item.message.text).toContain("e.g. `stox item");
		const bad = await run("stox forecast");
		expect(bad.problem).toBe(true);
		expect(bad.message.text).toContain("`stox reorder [--limit N]`");
		const none = await run("stox item NO-SUCH-THING");
		expect(none.problem).toBe(true);
	});

	it("previews the weekly digest", async () => {
		const r = await run("digest --as-of 2026-10-31");
		expect(r.problem).toBeUndefined();
		expect(r.message.context).toContain("Preview: not posted.");
		expect(r.message.title).not.toContain("skipped");
	});

	it("refuses a digest date that is not a date", async () => {
		const r = await run("digest --as-of yesterday");
		expect(r.problem).toBe(true);
		expect(r.message.text).toContain("expected a date like 2026-10-31");
	});
});
