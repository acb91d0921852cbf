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
	const unclosed = (what: string, at: number) => ({
		error: `The query has ${what} starting at ${where(sql, at)} that is never closed.`,
	});
	while (i < sql.length) {
		const ch = sql[i] as string;
		const next = sql[i + 1];
		if (/\s/.test(ch)) {
			i++;
		} else if (ch === "-" && next === "-") {
			const nl = sql.indexOf("\n", i);
			i = nl === -1 ? sql.length : nl + 1;
		} else if (ch === "/" && next === "*") {
			const end = blockCommentEnd(sql, i);
			if (end === -1) return unclosed("a /* comment", i);
			i = end;
		} else if (ch === "'") {
			const end = quotedEnd(sql, i, "'", escapesBackslash(tokens, i));
			if (end === -1) return unclosed("a quoted string", i);
			mergePrefix(tokens, i);
			tokens.push({ kind: "string", value: sql.slice(i, end), start: i, end });
			i = end;
		} else if (ch === '"') {
			const end = quotedEnd(sql, i, '"', false);
			if (end === -1) return unclosed("a quoted identifier", i);
			tokens.push({
				kind: "quoted_ident",
				value: sql.slice(i + 1, end - 1).replaceAll('""', '"'),
				start: i,
				end,
			});
			i = end;
		} else if (ch === "$") {
			const param = /^\$\d+/.exec(sql.slice(i));
			const tag = DOLLAR_TAG.exec(sql.slice(i));
			if (param) {
				tokens.push({
					kind: "param",
					value: param[0],
					start: i,
					end: i + param[0].length,
				});
				i += param[0].length;
			} else if (tag) {
				const close = sql.indexOf(tag[0], i + tag[0].length);
				if (close === -1)
					return unclosed(`a dollar-quoted string ${tag[0]}`, i);
				const end = close + tag[0].length;
				tokens.push({
					kind: "string",
					value: sql.slice(i, end),
					start: i,
					end,
				});
				i = end;
			} else {
				tokens.push({ kind: "punct", value: ch, start: i, end: i + 1 });
				i++;
			}
		} else if (WORD_START.test(ch)) {
			let end = i + 1;
			while (end < sql.length && WORD_PART.test(sql[end] as string)) end++;
			tokens.push({
				kind: "word",
				value: sql.slice(i, end).toLowerCase(),
				start: i,
				end,
			});
			i = end;
		} else if (/[\d.]/.test(ch) && NUMBER.test(sql.slice(i))) {
			const m = NUMBER.exec(sql.slice(i)) as RegExpExecArray;
			tokens.push({
				kind: "number",
				value: m[0],
				start: i,
				end: i + m[0].length,
			});
			i += m[0].length;
		} else {
			tokens.push({ kind: "punct", value: ch, start: i, end: i + 1 });
			i++;
		}
	}
	return { tokens };
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
