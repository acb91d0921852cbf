/**
 * What a chat/CLI command is: it parses the words after its name into a typed input (a usage
 * error says what was expected) and runs against its dependencies to a reply the caller shows.
 * The CLI prints `reply.text`; a chat adapter can render `reply.data` as a card or a chart.
 */

import { FIRST_YEAR, isCalendarDay, LAST_YEAR } from "../src/calendar.ts";
import type { Pool } from "../src/db/pool.ts";
import { AppError } from "../src/errors.ts";
import type { QueryLibrary } from "../src/library/library.ts";
import type { MetricCatalog } from "../src/metrics/index.ts";

/** What commands run against. `withPool` opens the database only for commands that need it. */
export interface CommandDeps {
	catalog: MetricCatalog;
	library: QueryLibrary;
	withPool<T>(fn: (pool: Pool) => Promise<T>): Promise<T>;
}

/** A command's answer: plain text for the CLI and chat fallbacks, and its typed data. */
export interface Reply<D = unknown> {
	text: string;
	data?: D;
	/** The chat title when the text's first line is not one (a list that opens with a table). */
	title?: string;
	/**
	 * How many lines after the first are sentences (a verdict and its reasons): chat shows them as
	 * prose that wraps, and only the lines after them fixed-width. Default 0: all of it is a table.
	 */
	prose?: number;
}

/** One command, shared by the CLI and the chat adapters. */
export interface Command<I> {
	name: string;
	/** One line per form, e.g. "correlate <a> [b] [--grain month|week]". */
	usage: readonly string[];
	/** What each form of a many-form command does, by its usage line; `help` lists them. */
	forms?: Readonly<Record<string, string>>;
	/** Words after the command name, options included ("--grain", "week" or "--grain=week"). */
	parse(words: readonly string[]): I;
	run(deps: CommandDeps, input: I): Promise<Reply>;
}

/** A usage error: the CLI exits 2 and shows the message. */
export function usageError(message: string): AppError {
	return new AppError("usage", message);
}

/** Words split into positionals and `--name value` / `--name=value` options (repeatable). */
export interface Words {
	positionals: string[];
	options: Map<string, string[]>;
}

/** Splits words; only the named options are accepted, each needing a value. */
export function splitWords(
	words: readonly string[],
	allowed: readonly string[],
): Words {
	const positionals: string[] = [];
	const options = new Map<string, string[]>();
	for (let i = 0; i < words.length; i++) {
		const w = words[i] as string;
		if (!w.startsWith("--")) {
			positionals.push(w);
			continue;
		}
		const eq = w.indexOf("=");
		const name = eq < 0 ? w.slice(2) : w.slice(2, eq);
		if (!allowed.includes(name))
			throw usageError(
				`unknown option --${name}${allowed.length ? ` (options: ${allowed.map((a) => `--${a}`).join(", ")})` : ""}`,
			);
		const value = eq < 0 ? words[++i] : w.slice(eq + 1);
		if (value === undefined || value === "")
			throw usageError(`--${name} needs a value`);
		options.set(name, [...(options.get(name) ?? []), value]);
	}
	return { positionals, options };
}

/** The single value of an option, or undefined; a repeated option is a usage error. */
export function single(words: Words, name: string): string | undefined {
	const v = words.options.get(name);
	if (v && v.length > 1)
		throw usageError(
			`--${name} is given twice: keep one${name === "by" ? " (one filter at a time, e.g. --by region=West)" : ""}`,
		);
	return v?.[0];
}

/** "2024-03" → "2024-03-01"; "2024-03-15" stays; anything else is a usage error naming the option. */
export function monthOrDay(
	name: string,
	v: string | undefined,
): string | undefined {
	if (v === undefined) return undefined;
	const day = /^\d{4}-\d{2}$/.test(v) ? `${v}-01` : v;
	if (!isCalendarDay(day))
		throw usageError(
			`--${name} expects YYYY-MM or YYYY-MM-DD, got "${v}" (a real date from ${FIRST_YEAR} to ${LAST_YEAR})`,
		);
	return day;
}

/** "dim=value" of --by, split at the first "=". */
export function dimensionValue(v: string): {
	dimension: string;
	value: string;
} {
	const eq = v.indexOf("=");
	if (eq <= 0 || eq === v.length - 1)
		throw usageError(
			`--by expects dimension=value, e.g. --by region=North; got "${v}"`,
		);
	return { dimension: v.slice(0, eq), value: v.slice(eq + 1) };
}
