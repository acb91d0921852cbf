/**
 * A small PostgreSQL tokenizer for the monitor SQL pre-check. It knows just enough to never
 * mistake text for code: single-quoted strings ('' escapes; E'' strings with backslash
 * escapes), double-quoted identifiers, dollar-quoted strings ($$…$$, $tag$…$tag$), positional
 * parameters ($1), line comments (--) and nested block comments. Comments are dropped.
 * It assumes standard_conforming_strings = on (the server default since 9.1).
 */

/** What a token is; words are keywords or identifiers (the tokenizer does not tell them apart). */
export type TokenKind =
	| "word"
	| "quoted_ident"
	| "string"
	| "number"
	| "param"
	| "punct";

/** One token, with its offsets in the source. `value` is lower-cased for words. */
export interface Token {
	kind: TokenKind;
	value: string;
	start: number;
	end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;
const NUMBER = /^(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[A-Za-z0-9_]*/;

/** "line 2, column 7" for an offset, for messages. */
export function where(sql: string, offset: number): string {
	const before = sql.slice(0, offset).split("\n");
	return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/** Splits SQL into tokens, or says which quote or comment is never closed. */
export function tokenize(sql: string): { tokens: Token[] } | { error: string } {
	const tokens: Token[] = [];
	let i = 0;
	while (i < sql.length) {
		const next = scan(sql, i, tokens);
		if (typeof next !== "number")
			return {
				error: `The query has ${next.unclosed} starting at ${where(sql, i)} that is never closed.`,
			};
		i = next;
	}
	return { tokens };
}

type Scanned = number | { unclosed: string };

/** Reads what starts at `i` (pushing a token unless it is space or a comment); returns where the next starts. */
function scan(sql: string, i: number, tokens: Token[]): Scanned {
	const ch = sql[i] as string;
	const two = sql.slice(i, i + 2);
	const push = (kind: TokenKind, end: number, value = sql.slice(i, end)) => {
		tokens.push({ kind, value, start: i, end });
		return end;
	};
	if (/\s/.test(ch)) return i + 1;
	if (two === "--") {
		const nl = sql.indexOf("\n", i);
		return nl === -1 ? sql.length : nl + 1;
	}
	if (two === "/*") {
		const end = blockCommentEnd(sql, i);
		return end === -1 ? { unclosed: "a /* comment" } : end;
	}
	if (ch === "'") {
		const end = quotedEnd(sql, i, "'", escapesBackslash(tokens, i));
		if (end === -1) return { unclosed: "a quoted string" };
		mergePrefix(tokens, i);
		return push("string", end);
	}
	if (ch === '"') {
		const end = quotedEnd(sql, i, '"', false);
		if (end === -1) return { unclosed: "a quoted identifier" };
		const raw = sql.slice(i + 1, end - 1).replaceAll('""', '"');
		// U&"…": the identifier the server will see, with its \XXXX and \+XXXXXX escapes decoded,
		// so a name spelled with escapes is compared as the name it is.
		const amp = tokens.at(-1);
		const u = tokens.at(-2);
		if (
			amp?.kind === "punct" &&
			amp.value === "&" &&
			amp.end === i &&
			u?.kind === "word" &&
			u.value === "u" &&
			u.end === amp.start
		) {
			tokens.pop();
			tokens.pop();
			return push("quoted_ident", end, decodeUnicodeEscapes(raw));
		}
		return push("quoted_ident", end, raw);
	}
	if (ch === "$") return scanDollar(sql, i, push);
	if (WORD_START.test(ch)) {
		let end = i + 1;
		while (end < sql.length && WORD_PART.test(sql[end] as string)) end++;
		return push("word", end, sql.slice(i, end).toLowerCase());
	}
	const number = /[\d.]/.test(ch) ? NUMBER.exec(sql.slice(i)) : null;
	if (number) return push("number", i + number[0].length);
	return push("punct", i + 1);
}

/** `$1` parameters, `$tag$…$tag$` strings, or a lone `$`. */
function scanDollar(
	sql: string,
	i: number,
	push: (kind: TokenKind, end: number) => number,
): Scanned {
	const rest = sql.slice(i);
	const param = /^\$\d+/.exec(rest);
	if (param) return push("param", i + param[0].length);
	const tag = DOLLAR_TAG.exec(rest);
	if (!tag) return push("punct", i + 1);
	const close = sql.indexOf(tag[0], i + tag[0].length);
	if (close === -1) return { unclosed: `a dollar-quoted string ${tag[0]}` };
	return push("string", close + tag[0].length);
}

/** End offset of a nested block comment starting at `i`, or -1. */
function blockCommentEnd(sql: string, i: number): number {
	let depth = 0;
	let j = i;
	while (j < sql.length) {
		if (sql.startsWith("/*", j)) {
			depth++;
			j += 2;
		} else if (sql.startsWith("*/", j)) {
			depth--;
			j += 2;
			if (depth === 0) return j;
		} else j++;
	}
	return -1;
}

/** End offset (after the closing quote) of a quoted run starting at `i`, or -1. A doubled quote is an escaped one. */
function quotedEnd(
	sql: string,
	i: number,
	q: string,
	backslash: boolean,
): number {
	let j = i + 1;
	while (j < sql.length) {
		const c = sql[j];
		if (backslash && c === "\\") j += 2;
		else if (c === q && sql[j + 1] === q) j += 2;
		else if (c === q) return j + 1;
		else j++;
	}
	return -1;
}

/** True for E'…' strings: the previous token is the word "e" written right against the quote. */
function escapesBackslash(tokens: Token[], i: number): boolean {
	const prev = tokens.at(-1);
	return prev?.kind === "word" && prev.value === "e" && prev.end === i;
}

/** Folds a string prefix (E, B, X, N, U&) written against the quote into the string token. */
function mergePrefix(tokens: Token[], i: number): void {
	const prev = tokens.at(-1);
	if (prev?.kind === "word" && prev.end === i && /^(e|b|x|n)$/.test(prev.value))
		tokens.pop();
}

/** The \XXXX and \+XXXXXX escapes of a U&"…" identifier, decoded (\\ is a backslash). */
export function decodeUnicodeEscapes(text: string): string {
	return text.replace(
		/\\(\\|\+[0-9a-fA-F]{6}|[0-9a-fA-F]{4})/g,
		(_, code: string) =>
			code === "\\"
				? "\\"
				: String.fromCodePoint(
						Number.parseInt(code.startsWith("+") ? code.slice(1) : code, 16),
					),
	);
}
