import { runCompute } from "./src/analytics/compute/run.ts";
import { parseConfig } from "./src/config/load.ts";
import { createPool } from "./src/db/pool.ts";
import { migrate } from "./src/db/migrate.ts";
import { migrationsDir, sqlDir } from "./src/paths.ts";
import { loadSqlCatalog } from "./src/db/sql-catalog.ts";
import { generateDemoErp } from "./src/demo/index.ts";
import { runIngest } from "./src/ingest/run.ts";
import { ingestSource } from "./src/ingest/sources.ts";
import { createLogger } from "./src/log.ts";
import pg from "pg";
const log = createLogger({ level: "warn" });
const admin = new pg.Client("postgres://postgres@127.0.0.1:5432/postgres");
await admin.connect();
const exists = (await admin.query("select 1 from pg_database where datname='scratch_rfm'")).rowCount;
if (!exists) await admin.query("create database scratch_rfm");
await admin.end();
const pool = createPool("postgres://postgres@127.0.0.1:5432/scratch_rfm", log, { max: 1 });
if (!exists) {
	await migrate(pool, migrationsDir, log);
	await generateDemoErp({ file: "/tmp/demo-1m.sqlite", seed: 42, lines: 1_000_000 });
	const { config } = parseConfig(`demo: {enabled: false}\nsources:\n  erp:\n    connection: {kind: sqlite, file: /tmp/demo-1m.sqlite}\n    mapping: demo-erp\n`, "b.yaml", {});
	await runIngest(pool, ingestSource(config, "erp", {}), { log });
}
for (let i = 0; i < Number(process.argv[2] ?? 2); i++) {
	const t = performance.now();
	const run = await runCompute(pool, loadSqlCatalog(sqlDir), { trigger: "bench", wait: false, log });
	const sum = (xs) => xs.reduce((a, x) => a + x.ms, 0);
	console.log(Math.round(performance.now() - t), "run.ms", run.ms, "basis", JSON.stringify(run.basis.map((b) => [b.name, b.ms])), "steps", JSON.stringify(run.steps.map((s) => [s.name, s.ms])), "residual(non-step)", run.ms - sum(run.steps) - sum(run.basis));
}
await pool.end();
