import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { type Check, runDoctor } from "../../src/doctor.ts";
import { migrationsDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";

/** Migrations a fresh database gets: every NNN_name.sql in migrations/. */
const MIGRATIONS = readdirSync(migrationsDir).filter((f) =>
	/^\d{3,}_[\w-]+\.sql$/.test(f),
).length;

/** One check by name; fails the test when doctor did not run it. */
function check(checks: readonly Check[], name: string): Check {
	const found = checks.find((c) => c.name === name);
	if (!found)
		throw new Error(
			`doctor ran no "${name}" check: ${checks.map((c) => c.name).join(", ")}`,
		);
	return found;
}

/**
 * `doctor` check by check, on a real database: each one passes when things are right and says
 * what is wrong, and how to fix it, when they are not. (The chat credentials, the embedded
 * database and an over-privileged monitor role have their own tests in cli.test.ts,
 * embedded.test.ts and monitor-sandbox.test.ts.)
 */
describe("doctor, each check", () => {
	const { log } = memoryLogger();
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;
	let erp: string;
	let config: string;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-doctor-"));
		erp = path.join(dir, "erp.sqlite");
		config = path.join(dir, "erp-pulse.yaml");
		writeFileSync(
			config,
			`sources:\n  erp:\n    connection: {kind: sqlite, file: ${erp}}\n    mapping: demo-erp\n    freshness: {order_lines: 1 day}\n`,
		);
		db = await createTestDatabase("doctor");
		pool = createPool(db.url, log, { max: 2 });
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("fails a config that does not parse, naming the key, and checks nothing further", async () => {
		const bad = path.join(dir, "bad.yaml");
		writeFileSync(bad, "http: {port: 99999}\n");
		const checks = await runDoctor(bad, { DATABASE_URL: db.url });
		expect(checks.map((c) => c.name)).toEqual(["node", "config"]);
		expect(check(checks, "node").status).toBe("ok");
		expect(check(checks, "config")).toMatchObject({
			status: "fail",
			detail: expect.stringContaining("http.port: expected a port"),
		});
	});

	it("warns of pending migrations and fails a source it cannot open", async () => {
		const checks = await runDoctor(config, { DATABASE_URL: db.url });
		expect(check(checks, "config")).toMatchObject({ status: "ok" });
		expect(check(checks, "database")).toMatchObject({
			status: "warn",
			detail: expect.stringMatching(
				new RegExp(
					`answers; ${MIGRATIONS} migration\\(s\\) pending: run "erp-pulse migrate" or start the bot$`,
				),
			),
		});
		expect(check(checks, "source erp")).toMatchObject({
			status: "fail",
			detail: expect.stringContaining(
				"Check sources.erp.connection and its credentials.",
			),
		});
		expect(check(checks, "chat")).toMatchObject({
			status: "warn",
			detail: expect.stringContaining("no chat credentials"),
		});
	});

	it("fails an Oracle source nothing listens for the way it fails the others: where, as whom, what to check, never the password", async () => {
		const ora = path.join(dir, "oracle.yaml");
		writeFileSync(
			ora,
			// An env reference, as the README asks ($\{…} is a literal "${…}" in this template).
			`sources:\n  ebs:\n    connection: {kind: oracle, host: 127.0.0.1, port: 1, service: ORCLPDB1, user: erp_reader, password: '$\{ORA_PASSWORD}'}\n    mapping: demo-erp\n`,
		);
		const checks = await runDoctor(ora, {
			DATABASE_URL: db.url,
			ORA_PASSWORD: "s3cret-Pa55",
		});
		const source = check(checks, "source ebs");
		expect(source).toMatchObject({
			status: "fail",
			detail: expect.stringMatching(
				/^oracle source 127\.0\.0\.1:1\/ORCLPDB1 as erp_reader cannot be reached: NJS-503[\s\S]*Check sources\.ebs\.connection and its credentials\.$/,
			),
		});
		expect(source.detail).not.toContain("s3cret-Pa55");
	});

	it("passes a migrated database, a source that answers, fresh data and an empty outbox", async () => {
		await migrate(pool, migrationsDir, log);
		await generateDemoErp({ file: erp, seed: 3, lines: 1_000 });
		await pool.query(
			"insert into ingest_watermarks (source, entity, watermark, last_received_at) values ('erp', 'order_lines', '2026-10-31', now())",
		);
		const checks = await runDoctor(config, { DATABASE_URL: db.url });
		expect(check(checks, "database")).toMatchObject({
			status: "ok",
			detail: expect.stringContaining("schema up to date"),
		});
		expect(check(checks, "source erp")).toMatchObject({
			status: "ok",
			detail: expect.stringMatching(/^sqlite: /),
		});
		expect(check(checks, "data")).toMatchObject({
			status: "ok",
			detail: "no stale entities",
		});
		expect(check(checks, "deliveries")).toMatchObject({
			status: "ok",
			detail: "0 pending, 0 retrying, 0 sent in the last day.",
		});
		expect(check(checks, "monitor role").status).toBe("ok");
		expect(check(checks, "rollups")).toMatchObject({
			status: "ok",
			detail: "up to date with the order lines",
		});
		expect(checks.every((c) => c.status !== "fail")).toBe(true);
	});

	it("warns of stale data past its source's allowance, and fails on dead deliveries with the last error", async () => {
		await pool.query(
			"update ingest_watermarks set last_received_at = now() - interval '3 days' where source = 'erp' and entity = 'order_lines'",
		);
		await pool.query(
			`insert into deliveries (idempotency_key, channel_kind, channel_id, kind, payload, status, attempts, last_error)
			 values ('doctor:dead', 'slack', 'C0ALERTS', 'alert', '{}', 'dead', 8, 'channel_not_found')`,
		);
		// A line written by hand, not by the ingest, leaves the rollups stale.
		await pool.query(
			"insert into transaction_data (source, order_number, line_number, posting_date, year_month, net_sales) values ('erp', 'BY-HAND', 1, '2026-10-30', '2026-10', 10)",
		);
		const checks = await runDoctor(config, { DATABASE_URL: db.url });
		expect(check(checks, "rollups")).toMatchObject({
			status: "warn",
			detail: expect.stringMatching(
				/^stale since \S+ \(1 write to transaction_data outside the ingest\): metrics read the order lines, slower, until "erp-pulse compute" rebuilds them$/,
			),
		});
		expect(check(checks, "data")).toMatchObject({
			status: "warn",
			detail: expect.stringMatching(
				/^erp\/order_lines is stale: last data \S+, allowed 1 day$/,
			),
		});
		expect(check(checks, "deliveries")).toMatchObject({
			status: "fail",
			detail: expect.stringMatching(
				/^1 dead \(gave up\), 0 retrying, 0 pending\. Last error \(slack:C0ALERTS\): channel_not_found/,
			),
		});
	});
});
