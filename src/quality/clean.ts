import type { PoolClient } from "pg";
import type { Pool } from "../db/pool.ts";
import type { SqlCatalog } from "../db/sql-catalog.ts";
import { matchNames } from "./names.ts";

/**
 * The seed's data-quality scripts as commands. Each works out what it would change and prints
 * it; only with `execute` does it write, in one transaction. Like the seed's scripts, a dry run
 * is the default.
 */
export const CLEAN_TASKS = [
	"salespeople",
	"branches",
	"lead-sources",
	"link-quotes",
] as const;
export type CleanTask = (typeof CLEAN_TASKS)[number];

export interface CleanReport {
	task: CleanTask;
	executed: boolean;
	/** One line per change, in plain words. */
	changes: string[];
	/** Things it would not decide, with the reason. */
	skipped: string[];
}

export const CLEAN_SQL = [
	"quality/salesperson-variants",
	"quality/branch-variants",
	"quality/lead-sources",
	"quality/quote-links",
	"quality/salespeople",
	"quality/salesperson-alias-save",
	"quality/branches",
	"quality/branch-alias-save",
	"quality/lead-source-save",
	"quality/quote-link-save",
	"quality/quote-links-dangling",
];

export async function clean(
	pool: Pool,
	sql: SqlCatalog,
	task: CleanTask,
	opts: { source: string; execute: boolean },
): Promise<CleanReport> {
	const client = await pool.connect();
	try {
		await client.query("begin");
		const report = await TASKS[task](client, sql, opts.source);
		await client.query(opts.execute ? "commit" : "rollback");
		return { task, executed: opts.execute, ...report };
	} catch (err) {
		await client.query("rollback").catch(() => undefined);
		throw err;
	} finally {
		client.release();
	}
}

type Task = (
	c: PoolClient,
	sql: SqlCatalog,
	source: string,
) => Promise<Omit<CleanReport, "task" | "executed">>;

const salespeople: Task = async (c, sql, source) => {
	const people = await c.query<{ id: string; name: string }>(
		sql.get("quality/salespeople"),
		[source],
	);
	const variants = await c.query<{ alias: string }>(
		sql.get("quality/salesperson-variants"),
		[source],
	);
	const result = matchNames(
		variants.rows.map((r) => r.alias),
		people.rows,
	);
	const changes: string[] = [];
	for (const m of result.matched) {
		const { rowCount } = await c.query(
			sql.get("quality/salesperson-alias-save"),
			[source, m.alias, m.person.id, m.method],
		);
		if (rowCount)
			changes.push(
				`"${m.alias}" → ${m.person.name} (#${m.person.id}, ${m.method})`,
			);
	}
	return {
		changes,
		skipped: result.unmatched.map((u) => `"${u.alias}": ${u.reason}`),
	};
};

const branches: Task = async (c, sql, source) => {
	const known = await c.query<{ code: string; name: string | null }>(
		sql.get("quality/branches"),
		[source],
	);
	const variants = await c.query<{ alias: string }>(
		sql.get("quality/branch-variants"),
		[source],
	);
	const key = (s: string) => s.trim().toUpperCase().replace(/\s+/g, " ");
	const changes: string[] = [];
	const skipped: string[] = [];
	for (const { alias } of variants.rows) {
		const hits = known.rows.filter(
			(b) =>
				key(b.code) === key(alias) || (b.name && key(b.name) === key(alias)),
		);
		if (hits.length !== 1) {
			skipped.push(
				`"${alias}": ${hits.length === 0 ? "matches no known branch" : "matches several branches"}`,
			);
			continue;
		}
		const code = hits[0]?.code ?? "";
		const { rowCount } = await c.query(sql.get("quality/branch-alias-save"), [
			source,
			alias,
			code,
		]);
		if (rowCount) changes.push(`"${alias}" → ${code}`);
	}
	return { changes, skipped };
};

const leadSources: Task = async (c, sql) => {
	const { rows } = await c.query<{
		name: string;
		quotes: number;
		won: number;
		first_seen: string;
		last_seen: string;
	}>(sql.get("quality/lead-sources"));
	const changes: string[] = [];
	for (const r of rows) {
		const { rowCount } = await c.query(sql.get("quality/lead-source-save"), [
			r.name,
			r.quotes,
			r.won,
			r.first_seen,
			r.last_seen,
		]);
		if (rowCount) changes.push(`${r.name}: ${r.quotes} quotes, ${r.won} won`);
	}
	return { changes, skipped: [] };
};

const linkQuotes: Task = async (c, sql, source) => {
	const { rows } = await c.query<{
		quote_number: string;
		order_number: string;
	}>(sql.get("quality/quote-links"), [source]);
	for (const r of rows) {
		await c.query(sql.get("quality/quote-link-save"), [
			source,
			r.quote_number,
			r.order_number,
		]);
	}
	const dangling = await c.query<{
		quote_number: string;
		order_number: string;
	}>(sql.get("quality/quote-links-dangling"), [source]);
	return {
		changes: rows.map(
			(r) => `quote ${r.quote_number} → order ${r.order_number}`,
		),
		skipped: dangling.rows.map(
			(d) =>
				`quote ${d.quote_number} names order ${d.order_number}, which is not in the warehouse`,
		),
	};
};

const TASKS: Record<CleanTask, Task> = {
	salespeople,
	branches,
	"lead-sources": leadSources,
	"link-quotes": linkQuotes,
};
