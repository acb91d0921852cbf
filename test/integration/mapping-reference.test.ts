import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { ENTITIES } from "../../src/ingest/entities.ts";
import {
	mappingReference,
	requiredColumns,
} from "../../src/ingest/reference.ts";
import { migrationsDir, projectRoot } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";

const FILE = path.join(projectRoot, "docs", "mapping-reference.md");
/** Regenerate with: UPDATE_REFERENCE=1 npx vitest run test/integration/mapping-reference */
const UPDATE = process.env.UPDATE_REFERENCE === "1";

/** docs/mapping-reference.md is what `erp-pulse sources reference` prints, and says something of every column. */
describe("the mapping reference", () => {
	const { log } = memoryLogger();
	let db: TestDatabase;
	let pool: Pool;
	let text: string;

	beforeAll(async () => {
		db = await createTestDatabase("mapping_reference");
		pool = createPool(db.url, log, { max: 2 });
		await migrate(pool, migrationsDir, log);
		text = await mappingReference(pool);
		if (UPDATE) writeFileSync(FILE, text);
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
	});

	it("is the committed file, word for word", () => {
		expect(readFileSync(FILE, "utf8")).toBe(text);
	});

	it("gives every mapped column of every entity a type and a meaning", () => {
		for (const [name, def] of Object.entries(ENTITIES))
			for (const c of def.columns.filter((c) => c !== "year_month")) {
				const row = text.split("\n").find(
					(l, i, all) =>
						l.startsWith(`| \`${c}\` |`) &&
						all
							.slice(0, i)
							.reverse()
							.find((h) => h.startsWith("### "))
							?.startsWith(`### \`${name}\``),
				);
				expect(row, `${name}.${c}`).toMatch(
					/^\| `\w+` \| [a-z(),0-9 ]+ \| (yes)? \| \S.+ \|$/,
				);
			}
	});

	it("marks as required exactly the columns ingest refuses as missing", () => {
		expect([...requiredColumns("order_lines")].sort()).toEqual([
			"line_number",
			"net_sales",
			"order_number",
			"posting_date",
		]);
		expect([...requiredColumns("stock_levels")].sort()).toEqual([
			"material_number",
			"snapshot_date",
		]);
		expect([...requiredColumns("salespeople")].sort()).toEqual([
			"name",
			"salesperson_id",
		]);
		expect(text).toContain(
			"| `posting_date` | date | yes | Invoice or posting date of the line;",
		);
	});
});
