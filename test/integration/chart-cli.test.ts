import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool } from "../../src/db/pool.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { runIngest } from "../../src/ingest/run.ts";
import { migrationsDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { decodePng, pngHeaderSize } from "../helpers/png.ts";
import { runCli } from "../helpers/process.ts";
import { sourceFrom } from "../helpers/warehouse.ts";

describe("erp-pulse chart", () => {
	const { log } = memoryLogger();
	let dir: string;
	let db: TestDatabase;
	let config: string;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-chart-"));
		const erp = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file: erp, seed: 4, lines: 5_000 });
		db = await createTestDatabase("chart_cli");
		const pool = createPool(db.url, log, { max: 2 });
		await migrate(pool, migrationsDir, log);
		await runIngest(
			pool,
			sourceFrom(`connection: {kind: sqlite, file: ${erp}}\nmapping: demo-erp`),
			{ log },
		);
		await pool.end();
		config = path.join(dir, "erp-pulse.yaml");
		writeFileSync(config, "demo: {enabled: false}\n");
	});
	afterAll(async () => {
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("draws a metric broken down by a dimension to a PNG and prints its alt text", async () => {
		const out = path.join(dir, "revenue.png");
		const r = await runCli(
			[
				"-c",
				config,
				"chart",
				"revenue",
				"by",
				"region",
				"last",
				"12",
				"months",
				"--out",
				out,
			],
			{ DATABASE_URL: db.url },
		);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toContain(`wrote ${out} (960×560 px)`);
		expect(r.stdout).toMatch(/^Line chart: Revenue by region\. /m);
		const png = readFileSync(out);
		expect(pngHeaderSize(png)).toEqual({ width: 960, height: 560 });
		const { rgba } = decodePng(png);
		let ink = 0;
		for (let i = 0; i < rgba.length; i += 4) if ((rgba[i] ?? 255) < 200) ink++;
		expect(ink).toBeGreaterThan(10_000);
	});

	it("answers an unknown metric with did-you-mean and a missing --out with how to fix it, exit 2", async () => {
		const typo = await runCli(
			["-c", config, "chart", "revnue", "--out", path.join(dir, "x.png")],
			{ DATABASE_URL: db.url },
		);
		expect(typo.code).toBe(2);
		expect(typo.stderr).toContain(
			"unknown metric 'revnue' — did you mean revenue?",
		);
		const noOut = await runCli(["-c", config, "chart", "revenue"], {
			DATABASE_URL: db.url,
		});
		expect(noOut.code).toBe(2);
		expect(noOut.stderr).toContain("chart needs --out <file>.png");
	});
});
