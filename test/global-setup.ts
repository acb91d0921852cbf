import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../src/db/embedded.ts";
import { createLogger } from "../src/log.ts";
import { freePort } from "./helpers/process.ts";

declare module "vitest" {
	interface ProvidedContext {
		/** A Postgres URL with rights to create databases; each test file makes its own. */
		adminDatabaseUrl: string;
	}
}

/**
 * Tests run against a real Postgres: DATABASE_URL when set (CI points it at the machine's
 * server), otherwise an embedded Postgres started here for the run and removed afterwards.
 */
export default async function setup(project: TestProject) {
	const url = process.env.DATABASE_URL;
	if (url) {
		project.provide("adminDatabaseUrl", url);
		return;
	}
	const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-test-pg-"));
	chmodSync(dir, 0o755);
	// A free port, not a fixed one: two suites (two clones, or a run beside the bot) can run at once.
	const pg = await startEmbeddedPostgres(
		dir,
		await freePort(),
		createLogger({ level: "warn" }),
	);
	project.provide("adminDatabaseUrl", pg.url);
	return async () => {
		await pg.stop();
		rmSync(dir, { recursive: true, force: true });
	};
}
