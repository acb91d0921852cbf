/**
 * Slash-command text → words → ParsedArgs, as pure functions.
 *
 * Slack sends the text as typed after the command, with `&`, `<`, `>` HTML-escaped and, on most
 * keyboards, quotes turned into typographic ones (“…”, ‘…’); both are undone first. Then:
 * - words split on whitespace; "double" or 'single' quotes keep spaces (`\"` and `\\` inside
 *   double quotes); a quoted word is always a positional, never a flag or a pair;
 * - `--flag value`, `--flag=value`, a bare `--flag` (true: followed by nothing or another flag);
 * - `key=value` pairs (key: a letter, then letters, digits, `_`, `.`, `-`);
 * - `--` alone ends flag parsing: everything after it is positional.
 */

import { AppError } from "../src/errors.ts";
import type { ParsedArgs } from "./types.ts";

/** One word and whether it was quoted (a quoted word is never a flag or a pair). */
export interface Token {
	value: string;
	quoted: boolean;
}

/** Text that cannot be split (an unclosed quote, a repeated flag); `message` says how to fix it. */
export class TokenizeError extends AppError<"usage"> {
	override readonly name = "TokenizeError";
	constructor(message: string) {
		super("usage", message);
	}
}

const SMART_QUOTES: Record<string, string> = {
	"\u201C": '"',
	"\u201D": '"',
	"\u201E": '"',
	"\u2018": "'",
	"\u2019": "'",
};

/** Undoes Slack's escaping of `&`, `<`, `>` and typographic quotes. */
export function normalizeText(text: string): string {
	return text
		.replace(/[\u201C\u201D\u201E\u2018\u2019]/g, (c) => SMART_QUOTES[c] ?? c)
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/&amp;/g, "&");
}

/** Splits text into words, honouring quotes. Throws TokenizeError on an unclosed quote. */
export function tokenize(raw: string): Token[] {
	const text = normalizeText(raw);
	// A NUL or other control character can only come from a paste gone wrong or an attack, and
	// Postgres refuses NUL in text: name it here instead of failing later.
	// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
	const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
	if (control)
		throw new TokenizeError(
			`The command holds a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}) at character ${control.index + 1}: remove it and type the command again.`,
		);
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		while (i < text.length && /\s/.test(text[i] as string)) i++;
		if (i >= text.length) break;
		let value = "";
		let quoted = false;
		while (i < text.length && !/\s/.test(text[i] as string)) {
			const c = text[i] as string;
			if (c === '"' || c === "'") {
				const end = closingQuote(text, i);
				if (end < 0)
					throw new TokenizeError(
						`The ${c === '"' ? "double" : "single"} quote at character ${i + 1} is never closed: add a closing ${c}.`,
					);
				const inner = text.slice(i + 1, end);
				value += c === '"' ? inner.replace(/\\(["\\])/g, "$1") : inner;
				quoted = true;
				i = end + 1;
			} else {
				value += c;
				i++;
			}
		}
		tokens.push({ value, quoted });
	}
	return tokens;
}

function closingQuote(text: string, open: number): number {
	const q = text[open];
	for (let j = open + 1; j < text.length; j++) {
		if (q === '"' && text[j] === "\\") {
			j++;
			continue;
		}
		if (text[j] === q) return j;
	}
	return -1;
}

const FLAG = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/i;
const PAIR = /^([a-z][a-z0-9_.-]*)=(.*)$/i;

const isFlag = (t: Token | undefined) =>
	t !== undefined && !t.quoted && FLAG.test(t.value);

/** Sorts words into positionals, flags and pairs. A flag or pair given twice is an error. */
export function parseTokens(tokens: readonly Token[]): ParsedArgs {
	const out: ParsedArgs = { positionals: [], flags: {}, pairs: {} };
	let flagsDone = false;
	for (let i = 0; i < tokens.length; i++) {
		const t = tokens[i] as Token;
		if (t.quoted || flagsDone) {
			out.positionals.push(t.value);
			continue;
		}
		if (t.value === "--") {
			flagsDone = true;
			continue;
		}
		const flag = FLAG.exec(t.value);
		if (flag) {
			const name = (flag[1] as string).toLowerCase();
			if (name in out.flags)
				throw new TokenizeError(`--${name} is given twice: keep one.`);
			if (flag[2] !== undefined) out.flags[name] = flag[2];
			else if (i + 1 < tokens.length && !isFlag(tokens[i + 1]))
				out.flags[name] = (tokens[++i] as Token).value;
			else out.flags[name] = true;
			continue;
		}
		const pair = PAIR.exec(t.value);
		if (pair) {
			const key = pair[1] as string;
			if (key in out.pairs)
				throw new TokenizeError(`${key}= is given twice: keep one.`);
			out.pairs[key] = pair[2] as string;
			continue;
		}
		out.positionals.push(t.value);
	}
	return out;
}
