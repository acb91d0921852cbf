import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/paths.ts";
import { sourceFiles as sources } from "../helpers/source-files.ts";

/**
 * SQL text in a string: a literal (quoted or template) that opens with a statement, as this code
 * base writes SQL (lower case), comments left out. Transaction control (begin, commit, rollback,
 * savepoint) is not counted: it is how orchestration says where a unit of work begins and ends.
 */
const STATEMENT = new RegExp(
	[
		"select\\s+(?!…)",
		"insert\\s+into\\s",
		"update\\s+\\w+\\s+(as\\s+\\w+\\s+)?set\\s",
		"delete\\s+from\\s",
		"with\\s+(recursive\\s+)?\\w+\\s+as\\s*\\(",
		"(create|alter|drop)\\s+(temp\\s+|temporary\\s+|unique\\s+|or\\s+replace\\s+)?(table|view|index|role|database|schema|function|extension)\\s",
		"(analyze|vacuum|truncate|discard|copy)(\\s|$)",
		"lock\\s+table\\s",
		"set\\s+(local|session|role)\\s",
		"(grant|revoke)\\s+\\w+.*\\s(to|from)\\s",
	]
		.map((k) => `(["'\`])\\s*${k}`)
		.join("|"),
	// Case-blind: the source connectors write their engines' SQL in capitals.
	"gim",
);
function statements(file: string): { line: number; text: string }[] {
	// Comments out, their line breaks kept so the line numbers stay right.
	const text = readFileSync(path.join(projectRoot, file), "utf8")
		.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "))
		.replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
	const out: { line: number; text: string }[] = [];
	for (const m of text.matchAll(STATEMENT)) {
		const start = m.index ?? 0;
		const snippet = text.slice(start, start + 60).replace(/\s+/g, " ");
		out.push({ line: text.slice(0, start).split("\n").length, text: snippet });
	}
	return out;
}

/**
 * Where SQL text may be written (README, "SQL"): named files under sql/ (not scanned here), and
 * these modules, whose job is statements. Everything else — orchestration (run.ts files, jobs,
 * commands, the roots), formatting, the domain cores — calls them and holds no SQL.
 */
const SQL_PLACES: Record<string, string> = {
	"src/db/":
		"the database layer: pools, sessions, locks, migrations, the cluster, columns",
	"src/sources/":
		"each source engine's own dialect: catalog queries, read-only sessions",
	"src/ingest/store.ts":
		"the load: staging, upserts, changed days, rejects, watermarks",
	"src/ingest/runs.ts":
		"an ingest run's bookkeeping: its lock, its ingest_runs row",
	"src/ingest/copy.ts": "the COPY a load streams its rows into",
	"src/metrics/sql.ts": "the metric statements, built as { text, values }",
	"src/metrics/definitions/":
		"each catalog metric's SQL, built from its definition",
	"src/metrics/rollups.ts":
		"the sales rollups' statements: maintain, rebuild, staleness",
	"src/analytics/derived.ts":
		"the reads of the derived tables (segments, cohorts)",
	"src/analytics/compute/session.ts":
		"compute's session: settings, backend, cancel",
	"src/digest/store.ts":
		"the digest's own reads: the week's alerts, materials at risk",
	"src/queue/store.ts": "reads of pg-boss's tables that pg-boss has no API for",
	"src/chat/outbox-sql.ts": "the outbox's statements, as { text, values }",
	"src/pulse/engine/store.ts":
		"the monitors' rows, versions and scheduling reads",
	"src/pulse/engine/execute-sql.ts":
		"the monitor sandbox: its role, limits, clean-up",
	"src/pulse/engine/monitor-login.ts":
		"the monitor login: role rights, ALTER ROLE",
	"src/pulse/sql-check.ts": "the row cap put around a monitor's own query",
	"src/library/library.ts": "runs a sql/library query under a row cap",
	"src/ingest/suggest/join.ts":
		"the source query a suggested mapping reads with",
	"src/demo/sqlite.ts":
		"writes the demo ERP: a source database, not the warehouse",
	"src/demo/export.ts": "exports the demo ERP's tables (a source) to files",
	"src/demo/export-parquet.ts": "exports the demo ERP's tables to Parquet",
};
const allowed = (file: string) =>
	Object.keys(SQL_PLACES).some((p) =>
		p.endsWith("/") ? file.startsWith(p) : file === p,
	);

describe("where SQL lives", () => {
	const files = [...sources("src"), ...sources("commands"), ...sources("jobs")];

	it("finds SQL where it is allowed, so the scan sees it", () => {
		expect(statements("src/ingest/store.ts").length).toBeGreaterThan(5);
		expect(statements("src/digest/store.ts").length).toBe(3);
		expect(
			statements("src/ingest/run.ts").filter((s) => /begin/.test(s.text)),
		).toEqual([]);
	});

	it("keeps SQL text out of orchestration, commands, jobs and the domain cores", () => {
		const stray = files
			.filter((f) => !allowed(f))
			.flatMap((f) => statements(f).map((s) => `${f}:${s.line}: ${s.text}`));
		expect(stray).toEqual([]);
	});

	it("lists only places that exist and still hold SQL", () => {
		for (const place of Object.keys(SQL_PLACES)) {
			const held = files.filter((f) =>
				place.endsWith("/") ? f.startsWith(place) : f === place,
			);
			expect(held.flatMap(statements).length, place).toBeGreaterThan(0);
		}
	});
});
