/**
 * `query list` and `query run <name> [--param k=v …]` over the analytics library (sql/library).
 * Parameters are validated against the query's header before anything touches the database.
 */

import { AppError } from "../src/errors.ts";
import { QUERY_CATEGORIES } from "../src/library/header.ts";
import {
	libraryQuery,
	type QueryLibrary,
	type QueryRun,
	runQuery,
} from "../src/library/library.ts";
import { bindParams, expects } from "../src/library/params.ts";
import { type Command, single, splitWords, usageError } from "./command.ts";
import { cellText, renderTable } from "./format.ts";

/** The parsed words of `query`. */
export type QueryInput =
	| { kind: "list"; category?: string }
	| { kind: "run"; name: string; params: Record<string, string> };

function keyValue(v: string): [string, string] {
	const eq = v.indexOf("=");
	if (eq <= 0) throw usageError(`--param expects name=value, got "${v}"`);
	return [v.slice(0, eq), v.slice(eq + 1)];
}

function parse(words: readonly string[]): QueryInput {
	const w = splitWords(words, ["param", "source"]);
	const [verb, name, ...rest] = w.positionals;
	if (verb === "list" && rest.length === 0)
		return name === undefined
			? { kind: "list" }
			: { kind: "list", category: name };
	if (verb === "run" && name) {
		const params: Record<string, string> = {};
		for (const kv of [...rest, ...(w.options.get("param") ?? [])]) {
			const [k, v] = keyValue(kv);
			if (k in params) throw usageError(`parameter "${k}" is given twice`);
			params[k] = v;
		}
		const source = single(w, "source");
		if (source !== undefined) params.source = source;
		return { kind: "run", name, params };
	}
	throw usageError(
		'expected "query list [category]" or "query run <name> [--param name=value …]"',
	);
}

/** The library grouped by category, each query with its parameters and their defaults. */
export function queryListText(lib: QueryLibrary, category?: string): string {
	if (
		category !== undefined &&
		!(QUERY_CATEGORIES as readonly string[]).includes(category)
	)
		throw usageError(
			`unknown category "${category}"; categories are ${QUERY_CATEGORIES.join(", ")}`,
		);
	const out: string[] = [];
	for (const c of QUERY_CATEGORIES) {
		if (category !== undefined && c !== category) continue;
		const qs = lib.queries.filter((q) => q.category === c);
		if (qs.length === 0) continue;
		out.push(`${c}:`);
		for (const q of qs) {
			out.push(`  ${q.name.padEnd(34)} ${q.title}`);
			const params = q.params
				.map(
					(p) =>
						`${p.name}${p.default === undefined ? " (required)" : p.default === null ? "" : `=${p.default}`}`,
				)
				.join(" ");
			if (params) out.push(`  ${"".padEnd(34)}   params: ${params}`);
		}
	}
	out.push("", "Run one: erp-pulse query run <name> [--param name=value …]");
	return out.join("\n");
}

/** A run's rows as a table, with a note when the row cap cut it short. */
export function queryRunText(run: QueryRun): string {
	const head = [`${run.query.title} (${run.query.name})`];
	const given = Object.entries(run.params)
		.filter(([, v]) => v !== null)
		.map(([k, v]) => `${k}=${String(v)}`);
	if (given.length) head.push(`parameters: ${given.join(", ")}`);
	if (run.rows.length === 0) return [...head, "no rows"].join("\n");
	const rows = [
		run.columns,
		...run.rows.map((r) => run.columns.map((c) => cellText(r[c]))),
	];
	return [
		...head,
		...renderTable(rows),
		`${run.rows.length} row${run.rows.length === 1 ? "" : "s"}${run.truncated ? " (cut at the row cap; narrow the parameters for the rest)" : ""}`,
	].join("\n");
}

export const queryCommand: Command<QueryInput> = {
	name: "query",
	usage: ["query list [category]", "query run <name> [--param name=value …]"],
	forms: {
		"query list [category]": "the analytics queries, by category",
		"query run <name> [--param name=value …]":
			"run one query with its parameters checked",
	},
	parse,
	async run(deps, input) {
		if (input.kind === "list")
			return {
				text: queryListText(deps.library, input.category),
				title: `Analytics queries${input.category ? `: ${input.category}` : ""}`,
			};
		const q = libraryQuery(deps.library, input.name);
		const params = { ...input.params };
		// --source applies to queries that take a source; the others ignore it.
		if (
			params.source !== undefined &&
			!q.params.some((p) => p.name === "source")
		)
			delete params.source;
		try {
			bindParams(q, params);
		} catch (err) {
			const list = q.params.map((p) => `${p.name} (${expects(p)})`).join(", ");
			throw new AppError(
				"usage",
				`${(err as Error).message}. ${q.name} takes: ${list || "no parameters"}`,
			);
		}
		const run = await deps.withPool((pool) =>
			runQuery(pool, deps.library, q.name, params),
		);
		return { text: queryRunText(run), data: run };
	},
};
