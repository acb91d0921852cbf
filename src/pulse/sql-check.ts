/**
 * Pre-check for monitor SQL: accept exactly one SELECT (or WITH … SELECT) statement and refuse
 * everything else with a sentence that says why. This is a first line of defence and a good
 * error message, not the security boundary. The integrator runs monitor SQL under a restricted
 * role with read-only grants, in a READ ONLY transaction, with statement_timeout, over the
 * extended protocol (one statement per message), with standard_conforming_strings on, and
 * wrapped in a row cap (`wrapWithRowCap`).
 */
import { type Token, tokenize, where } from "./sql-tokens.ts";

/** The statement to run (comments and trailing semicolons removed), or why it was refused. */
export type SqlCheck =
	| { ok: true; sql: string }
	| { ok: false; reason: string };

const ONLY =
	"a monitor query must be a single SELECT (or WITH … SELECT) statement";

/** What each refused leading keyword does, for the reason sentence. */
const STATEMENT_KINDS: Record<string, string> = {
	...words("insert update delete merge", "changes data"),
	...words(
		"create alter drop truncate comment rename reindex cluster vacuum analyze refresh import security",
		"changes the schema or runs maintenance",
	),
	copy: "reads or writes files and whole tables",
	...words("grant revoke", "changes permissions"),
	...words("set reset", "changes session settings"),
	...words("do call execute prepare deallocate", "runs other code"),
	...words(
		"begin start commit end rollback abort savepoint release",
		"is transaction control",
	),
	...words(
		"lock listen notify unlisten discard load checkpoint declare fetch move close",
		"is not a query",
	),
	explain: "is not a query (EXPLAIN ANALYZE runs the statement)",
};

const DATA_CHANGING = new Set(["insert", "update", "delete", "merge"]);

/** Functions a monitor query may not call, with what they can do; checked by exact name and by prefix. */
const DENIED_FUNCTIONS: [RegExp, string][] = [
	[/^pg_sleep/, "hold the connection for as long as it likes"],
	[
		/^(pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_promote|pg_switch_wal|pg_create_restore_point)$/,
		"control the server",
	],
	[
		/^(pg_read_file|pg_read_binary_file|pg_stat_file|pg_ls_|lo_)/,
		"reach the server's files",
	],
	[/^dblink/, "open another connection outside the read-only transaction"],
	[/^(set_config|nextval|setval|pg_notify)$/, "change state"],
	[/^pg_(try_)?advisory/, "take locks"],
	[
		/^(query_to_xml|cursor_to_xml|table_to_xml|schema_to_xml|database_to_xml|ts_stat|ts_rewrite)/,
		"run SQL given as a string",
	],
	[
		/^(pg_logical_|pg_replication_|pg_create_.*slot|pg_drop_replication_slot|pg_file_|pg_export_snapshot|pg_import_snapshot)/,
		"control the server",
	],
];

function words(list: string, what: string): Record<string, string> {
	return Object.fromEntries(list.split(" ").map((w) => [w, what]));
}

const refuse = (reason: string): SqlCheck => ({ ok: false, reason });
const isWord = (t: Token | undefined, ...values: string[]) =>
	t?.kind === "word" && values.includes(t.value);
const isPunct = (t: Token | undefined, value: string) =>
	t?.kind === "punct" && t.value === value;

/** Accepts exactly one read-only SELECT statement; see the module comment for what else guards it. */
export function checkMonitorSql(sql: string): SqlCheck {
	const lexed = tokenize(sql);
	if ("error" in lexed) return refuse(lexed.error);
	const statements = splitStatements(lexed.tokens);
	const [stmt, second] = statements;
	if (!stmt) return refuse("The query is empty.");
	if (second) {
		const first = second[0] as Token;
		return refuse(
			`The query holds ${statements.length} statements (the second starts at ${where(sql, first.start)}); ${ONLY}.`,
		);
	}
	const problem = checkParens(stmt) ?? checkStart(stmt) ?? checkBody(stmt);
	if (problem) return refuse(problem);
	return {
		ok: true,
		sql: sql.slice((stmt[0] as Token).start, (stmt.at(-1) as Token).end),
	};
}

function splitStatements(tokens: Token[]): Token[][] {
	const out: Token[][] = [[]];
	for (const t of tokens) {
		if (isPunct(t, ";")) out.push([]);
		else out[out.length - 1]?.push(t);
	}
	return out.filter((s) => s.length > 0);
}

function checkParens(stmt: Token[]): string | null {
	let depth = 0;
	for (const t of stmt) {
		if (isPunct(t, "(")) depth++;
		if (isPunct(t, ")") && --depth < 0)
			return "The query has a closing parenthesis without an opening one.";
	}
	return depth === 0
		? null
		: "The query has an opening parenthesis that is never closed.";
}

/** Index after the parenthesis that closes the one at `open`. */
function afterClose(stmt: Token[], open: number): number {
	let depth = 0;
	for (let i = open; i < stmt.length; i++) {
		if (isPunct(stmt[i], "(")) depth++;
		if (isPunct(stmt[i], ")") && --depth === 0) return i + 1;
	}
	return stmt.length;
}

function firstWordAfterParens(stmt: Token[], i: number): Token | undefined {
	while (isPunct(stmt[i], "(")) i++;
	return stmt[i];
}

function describeStart(t: Token | undefined, context: string): string {
	if (t?.kind !== "word")
		return `${context} must start with SELECT or WITH; ${ONLY}.`;
	const kw = t.value.toUpperCase();
	const what = STATEMENT_KINDS[t.value];
	return what
		? `${context} is ${/^[AEIOU]/.test(kw) ? "an" : "a"} ${kw} statement, which ${what}; ${ONLY}.`
		: `${context} starts with ${kw}; ${ONLY}.`;
}

function checkStart(stmt: Token[]): string | null {
	const first = firstWordAfterParens(stmt, 0);
	if (isWord(first, "select")) return null;
	if (!isWord(first, "with")) return describeStart(first, "The query");
	const main = skipCtes(stmt, stmt.indexOf(first as Token) + 1);
	if (typeof main === "string") return main;
	const head = firstWordAfterParens(stmt, main);
	if (isWord(head, "select")) return null;
	return describeStart(head, "The statement after the WITH clause");
}

/** Walks `name [(cols)] AS [NOT] [MATERIALIZED] (body) [SEARCH …|CYCLE …], …`; returns where the main statement starts. */
function skipCtes(stmt: Token[], i: number): number | string {
	if (isWord(stmt[i], "recursive")) i++;
	for (;;) {
		const name = stmt[i];
		if (name?.kind !== "word" && name?.kind !== "quoted_ident")
			return "The WITH clause does not start with a name; it could not be checked.";
		i++;
		if (isPunct(stmt[i], "(")) i = afterClose(stmt, i);
		if (!isWord(stmt[i], "as"))
			return `The WITH clause "${name.value}" has no AS (…) body; it could not be checked.`;
		i++;
		if (isWord(stmt[i], "not")) i++;
		if (isWord(stmt[i], "materialized")) i++;
		if (!isPunct(stmt[i], "("))
			return `The WITH clause "${name.value}" has no parenthesised body; it could not be checked.`;
		const body = firstWordAfterParens(stmt, i + 1);
		if (body?.kind === "word" && DATA_CHANGING.has(body.value))
			return `The WITH clause "${name.value}" runs ${body.value.toUpperCase()}, which changes data (a data-modifying CTE); ${ONLY}.`;
		i = afterClose(stmt, i);
		while (isWord(stmt[i], "search", "cycle")) {
			const last = isWord(stmt[i], "search") ? "set" : "using";
			while (i < stmt.length && !isWord(stmt[i], last)) i++;
			i += 2;
		}
		if (!isPunct(stmt[i], ",")) return i;
		i++;
	}
}

/** Rules that hold anywhere in the statement, including subqueries. */
function checkBody(stmt: Token[]): string | null {
	for (let i = 0; i < stmt.length; i++) {
		const t = stmt[i] as Token;
		const next = stmt[i + 1];
		if (
			isPunct(t, "(") &&
			next?.kind === "word" &&
			DATA_CHANGING.has(next.value)
		)
			return `The query runs ${next.value.toUpperCase()} inside parentheses, which changes data; ${ONLY}.`;
		if (isWord(t, "into"))
			return `The query uses SELECT … INTO, which creates a table; ${ONLY}.`;
		if (isWord(t, "for") && isLockingClause(stmt, i + 1))
			return `The query uses FOR UPDATE or FOR SHARE, which locks rows; ${ONLY}.`;
		if (
			(t.kind === "word" || t.kind === "quoted_ident") &&
			isPunct(next, "(")
		) {
			// Quoted names are compared folded too: refusing "SET_CONFIG" costs nothing.
			const name = t.value.toLowerCase();
			const denied = DENIED_FUNCTIONS.find(([re]) => re.test(name));
			if (denied)
				return `The query calls ${name}(), which can ${denied[1]}; monitor queries may not call it.`;
		}
		if (isWord(t, "uescape"))
			return `The query uses UESCAPE, which hides what a name or string says; ${ONLY} without it.`;
	}
	return null;
}

/** FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE, FOR KEY SHARE. */
function isLockingClause(stmt: Token[], i: number): boolean {
	if (isWord(stmt[i], "update", "share")) return true;
	return (
		(isWord(stmt[i], "no") && isWord(stmt[i + 1], "key")) ||
		(isWord(stmt[i], "key") && isWord(stmt[i + 1], "share"))
	);
}

/**
 * Wraps a checked statement so the caller can tell a capped result: it asks for one row more
 * than `cap`, so getting cap + 1 rows means "more than cap". Pass the `sql` checkMonitorSql
 * returned; the newlines keep a trailing line comment from swallowing the closing parenthesis.
 */
export function wrapWithRowCap(sql: string, cap: number): string {
	if (!Number.isInteger(cap) || cap < 1)
		throw new RangeError(
			`row cap must be a whole number of at least 1, got ${cap}`,
		);
	return `select * from (\n${sql}\n) as q limit ${cap + 1}`;
}
