/**
 * Adapts a text command (commands/command.ts: `parse(words)` → `run(deps, input)` → `{ text }`,
 * shared with the CLI) to the chat contract. The words are rebuilt from the tokenized text
 * (positionals, then `--flag value`, then `key=value`), so quoting works as in chat; the
 * command's own parser validates them and its usage errors become ephemeral replies.
 *
 * The reply is the command's plain text under its first line as the title (or `reply.title` when
 * the text opens with a table), with a chart of `reply.data` when the command has one
 * (commands/charts.ts). The rest is CLI output laid out in columns with spaces, so it goes in
 * `pre` (a fixed-width block) rather than `text`, where a proportional font breaks the columns.
 */
import { z } from "zod";
import { escapeMarkup } from "../src/chat/markup.ts";
import type { DataChart } from "./charts.ts";
import type { Command } from "./command.ts";
import type { ChatCommand, ParsedArgs } from "./types.ts";

/** ParsedArgs back to CLI-style words. */
export function toWords(args: ParsedArgs): string[] {
	const words = [...args.positionals];
	for (const [name, value] of Object.entries(args.flags))
		words.push(value === true ? `--${name}` : `--${name}=${value}`);
	for (const [key, value] of Object.entries(args.pairs))
		words.push(`${key}=${value}`);
	return words;
}

const anyArgs = z.custom<ParsedArgs>();

/** The chat form of a text command. */
export function fromTextCommand<I>(
	command: Command<I>,
	description: string,
	chart?: DataChart,
): ChatCommand<typeof anyArgs> {
	return {
		name: command.name,
		description,
		usage: command.usage,
		...(command.forms ? { forms: command.forms } : {}),
		args: anyArgs,
		async run(ctx, args) {
			const input = command.parse(toWords(args));
			const reply = await command.run(
				{
					catalog: ctx.catalog,
					library: ctx.library,
					withPool: (fn) => fn(ctx.pool),
				},
				input,
			);
			const lines = reply.text.split("\n");
			const [first = command.name, ...rest] = reply.title
				? [reply.title, ...lines]
				: lines;
			// The sentences the command marks as prose wrap like any text; the rest is a table, kept
			// fixed-width. Blank lines at either end go, but not the first table line's indent: it
			// may align a column.
			const sentences = reply.title ? 0 : (reply.prose ?? 0);
			const prose = rest
				.slice(0, sentences)
				.map((l) => l.trim())
				.join("\n")
				.trim();
			const pre = rest
				.slice(sentences)
				.join("\n")
				.replace(/^\s*\n/, "")
				.trimEnd();
			const picture = chart
				? await chart(ctx.catalog, reply.data, ctx.charts)
				: undefined;
			return {
				message: {
					title: first,
					...(prose ? { text: escapeMarkup(prose) } : {}),
					...(pre ? { pre } : {}),
					...(picture ? { chart: picture } : {}),
				},
			};
		},
	};
}
