import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "../../src/db/pool.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { projectRoot } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { CLI, runCli } from "../helpers/process.ts";
import { warehouseChecksums } from "../helpers/warehouse.ts";

/** Starts `erp-pulse ingest erp` and SIGKILLs it after `afterMs`; resolves when it is gone. */
function killedIngest(
	config: string,
	url: string,
	afterMs: number,
): Promise<void> {
	return new Promise((resolve) => {
		const child = spawn(
			process.execPath,
			[CLI, "-c", config, "ingest", "erp"],
			{
				cwd: projectRoot,
				env: { PATH: process.env.PATH, DATABASE_URL: url },
				stdio: "ignore",
			},
		);
		const timer = setTimeout(() => child.kill("SIGKILL"), afterMs);
		child.on("close", () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

describe("an ingest killed with SIGKILL", () => {
	const { log } = memoryLogger();
	let dir: string;
	let config: string;
	const dbs: TestDatabase[] = [];

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-crash-"));
		const file = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file, seed: 11, lines: 30_000 });
		config = path.join(dir, "erp-pulse.yaml");
		writeFileSync(
			config,
			`demo: {enabled: false}\nsources:\n  erp:\n    connection: {kind: sqlite, file: ${file}}\n    mapping: demo-erp\n`,
		);
	});
	afterAll(async () => {
		for (const db of dbs) await db.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	async function checksumsOf(url: string) {
		const pool = createPool(url, log, { max: 1 });
		try {
			const sums = await warehouseChecksums(pool);
			const runs = await pool.query<{ status: string; error: string | null }>(
				"select status, error from ingest_runs order by id",
			);
			return { sums, runs: runs.rows };
		} finally {
			await pool.end();
		}
	}

	it("ends, after a restart, with the same warehouse as an uninterrupted run, at every kill point", async () => {
		const reference = await createTestDatabase("crash_ref");
		dbs.push(reference);
		const started = performance.now();
		const ok = await runCli(["-c", config, "ingest", "erp"], {
			DATABASE_URL: reference.url,
		});
		const took = performance.now() - started;
		expect(ok.code, ok.stderr).toBe(0);
		const expected = (await checksumsOf(reference.url)).sums;
		expect(expected.transaction_data?.rows).toBeGreaterThan(25_000);

		let interrupted = 0;
		for (const fraction of [0.3, 0.55, 0.8]) {
			const db = await createTestDatabase(
				`crash_${Math.round(fraction * 100)}`,
			);
			dbs.push(db);
			await killedIngest(config, db.url, Math.round(took * fraction));
			const afterKill = await checksumsOf(db.url).catch(() => undefined);
			if (afterKill?.runs.some((r) => r.status === "running")) interrupted++;
			// Nothing half-done is visible: the killed run's rows are either all there or none.
			if (afterKill)
				expect([0, expected.transaction_data?.rows]).toContain(
					afterKill.sums.transaction_data?.rows,
				);
			// Postgres ends the killed client's session (and frees its ingest lock) once it notices
			// the dead connection, which on a loaded machine can take a moment: a person told "already
			// running; this one will retry" runs it again, and so does this test.
			let again = await runCli(["-c", config, "ingest", "erp"], {
				DATABASE_URL: db.url,
			});
			for (
				let tries = 1;
				tries < 30 && /already running/.test(again.stderr);
				tries++
			) {
				await new Promise((r) => setTimeout(r, 1000));
				again = await runCli(["-c", config, "ingest", "erp"], {
					DATABASE_URL: db.url,
				});
			}
			expect(again.code, again.stderr).toBe(0);
			const final = await checksumsOf(db.url);
			expect(final.sums).toEqual(expected);
			expect(final.runs.filter((r) => r.status === "running")).toEqual([]);
		}
		// At least one kill landed while a run was under way (its record said "running").
		expect(interrupted).toBeGreaterThan(0);
	}, 300_000);
});
