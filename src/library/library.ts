/**
 * The analytics query library: the named, parameterised queries of sql/library/, listed and
 * run with validated parameters in a read-only transaction under a statement timeout and a
 * row cap, so a library query can neither change data nor run away.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Pool } from "../db/pool.ts";
import { setLocal } from "../db/session.ts";
import { AppError } from "../errors.ts";
import { closest } from "../metrics/resolve.ts";
import { parseQuery, type QueryDefinition } from "./header.ts";
import { bindParams, type ParamValue } from "./params.ts";

/** The queries of the library, by name. */
export interface QueryLibrary {
	readonly queries: readonly QueryDefinition[];
	get(name: string): QueryDefinition | undefined;
}

/** Reads and parses every `<dir>/*.sql`; a malformed header fails here, at start-up. */
export function loadQueryLibrary(dir: string): QueryLibrary {
	const queries = readdirSync(dir)
		.filter((f) => f.endsWith(".sql"))
		.sort()
		.map((f) =>
			parseQuery(f.slice(0, -4), readFileSync(path.join(dir, f), "utf8")),
		);
	const byName = new Map(queries.map((q) => [q.name, q]));
	return { queries, get: (name) => byName.get(name) };
}

/** Limits of one run. */
export interface RunLimits {
	/** Rows returned at most; default 500. */
	rowCap?: number;
	/** Statement timeout; default 30 s. */
	timeoutMs?: number;
}

/** The rows of one run, with column names in select order. */
export interface QueryRun {
	query: QueryDefinition;
	params: Record<string, ParamValue>;
	columns: string[];
	rows: Record<string, unknown>[];
	/** More rows than the cap were available. */
	truncated: boolean;
}

/** The library query named, or a usage error with "did you mean …". */
export function libraryQuery(lib: QueryLibrary, name: string): QueryDefinition {
	const q = lib.get(name);
	if (q) return q;
	const near = closest(
		name,
		lib.queries.map((x) => x.name),
	);
	throw new AppError(
		"usage",
		`unknown query '${name}' — ${near.length ? `did you mean ${near.join(", ")}? ` : ""}see erp-pulse query list`,
	);
}

/** Validates the parameters and runs the query read-only; bad parameters are a usage error. */
export async function runQuery(
	pool: Pool,
	lib: QueryLibrary,
	name: string,
	raw: Readonly<Record<string, string>>,
	limits: RunLimits = {},
): Promise<QueryRun> {
	const query = libraryQuery(lib, name);
	let values: ParamValue[];
	try {
		values = bindParams(query, raw);
	} catch (err) {
		throw new AppError("usage", (err as Error).message, { cause: err });
	}
	const cap = limits.rowCap ?? 500;
	const client = await pool.connect();
	try {
		await client.query("begin read only");
		await setLocal(client, {
			statement_timeout: Math.trunc(limits.timeoutMs ?? 30_000),
		});
		const res = await client.query({
			text: `select * from (\n${query.text}\n) as library_query limit ${cap + 1}`,
			values,
		});
		await client.query("commit");
		return {
			query,
			params: Object.fromEntries(
				query.order.map((n, i) => [n, values[i] ?? null]),
			),
			columns: res.fields.map((f) => f.name),
			rows: res.rows.slice(0, cap),
			truncated: res.rows.length > cap,
		};
	} catch (err) {
		await client.query("rollback").catch(() => undefined);
		throw err;
	} finally {
		client.release();
	}
}
