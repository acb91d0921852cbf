/**
 * Text in, reply out: finds the command (longest registered name first), validates its words
 * with the command's zod schema and runs it. Every way this can fail becomes an ephemeral reply
 * that says what was wrong and how to fix it; nothing is thrown at the adapter.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { type CommandHandler, problemReply } from "../src/chat/inbound.ts";
import { escapeMarkup } from "../src/chat/markup.ts";
import { editDistance } from "../src/edit-distance.ts";
import { AppError, errorMessage } from "../src/errors.ts";
import {
	commandForQuestion,
	isQuestion,
	startsAsQuestion,
} from "./question.ts";
import type { CommandServices } from "./services.ts";
import {
	parseTokens,
	type Token,
	TokenizeError,
	tokenize,
} from "./tokenize.ts";
import type { ChatCommand, CommandContext, Reply } from "./types.ts";

/** A command found in the text, and the words after its name. */
export type Resolution =
	| { ok: true; command: ChatCommand; rest: Token[] }
	| { ok: false; reply: Reply };

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export { problemReply };

function usageText(command: ChatCommand): string {
	return `Usage: ${command.usage.map(code).join(" or ")}`;
}

/** Finds the command the words name: two-word names ("pulse status") before one-word ones. */
export function resolveCommand(
	commands: readonly ChatCommand[],
	tokens: readonly Token[],
): Resolution {
	const words: string[] = [];
	for (const t of tokens.slice(0, 2)) {
		if (t.quoted) break;
		words.push(t.value.toLowerCase());
	}
	for (let n = words.length; n > 0; n--) {
		const name = words.slice(0, n).join(" ");
		const command = commands.find((c) => c.name === name);
		if (command) return { ok: true, command, rest: tokens.slice(n) };
	}
	const first = words[0] ?? tokens[0]?.value ?? "";
	const group = commands.filter((c) => c.name.startsWith(`${first} `));
	if (group.length > 0) {
		const sub = words[1];
		return {
			ok: false,
			reply: problemReply(
				`${first} ${sub ?? ""}`.trim(),
				`${sub ? `${code(`${first} ${sub}`)} is not a command. ` : ""}${code(first)} needs one of: ${group.map((c) => code(c.name)).join(", ")}.`,
			),
		};
	}
	const guess = closest(
		first,
		commands.map((c) => c.name.split(" ")[0] as string),
	);
	const typed = tokens.map((t) => t.value).join(" ");
	if (isQuestion(typed)) return { ok: false, reply: questionReply(typed) };
	return {
		ok: false,
		reply: problemReply(
			"Unknown command",
			`${code(first)} is not a command.${guess ? ` Did you mean ${code(guess)}?` : ""} Type ${code("help")} for the list.`,
		),
	};
}

/** A question typed for a command: the command that answers it, when one clearly does. */
function questionReply(text: string): Reply {
	const answer = commandForQuestion(text);
	return problemReply(
		"Commands, not questions",
		answer
			? `Commands start with their name. This one answers that question: ${code(answer)}. Type ${code("help")} for the list.`
			: `Commands start with their name, e.g. ${code("metric revenue last 12 months")} or ${code("correlate revenue active_customers")}. Type ${code("help")} for the list.`,
	);
}

/** "/correlate revenue customers", as typed in Slack or Discord, is "correlate …". */
export function withoutSlash(text: string): string {
	return text.trimStart().replace(/^\//, "");
}

/**
 * The longest command line accepted. Every command's arguments fit well inside it (Slack's own
 * limit for a slash command's text is 4,000 characters); the cap bounds the work any one line
 * can cause before it is parsed.
 */
export const MAX_COMMAND_CHARS = 1000;

/** A command line resolved and validated, ready to run; or the reply that says what is wrong. */
export type Prepared =
	| { ok: true; command: ChatCommand; args: unknown }
	| { ok: false; reply: Reply };

/**
 * Tokenizes, resolves and validates without running anything (pure), so an adapter can answer
 * bad input at once and defer only the work.
 */
export function prepare(
	commands: readonly ChatCommand[],
	text: string,
): Prepared {
	if (text.length > MAX_COMMAND_CHARS)
		return {
			ok: false,
			reply: problemReply(
				"Command too long",
				`A command is at most ${MAX_COMMAND_CHARS} characters; this one has ${text.length}. Type ${code("help")} for the commands and their arguments.`,
			),
		};
	let tokens: Token[];
	try {
		tokens = tokenize(withoutSlash(text));
	} catch (err) {
		if (err instanceof TokenizeError)
			return {
				ok: false,
				// "what's …?" is a question with an apostrophe, not an unclosed quote.
				reply: startsAsQuestion(text)
					? questionReply(text)
					: problemReply("Could not read that", escapeMarkup(err.message)),
			};
		throw err;
	}
	if (tokens.length === 0) tokens = [{ value: "help", quoted: false }];
	const found = resolveCommand(commands, tokens);
	if (!found.ok) return found;
	const { command, rest } = found;
	try {
		const parsed = command.args.safeParse(parseTokens(rest));
		if (!parsed.success)
			return {
				ok: false,
				reply: problemReply(
					`${command.name}: check the arguments`,
					`${escapeMarkup(describeIssues(parsed.error))}\n${usageText(command)}`,
				),
			};
		return { ok: true, command, args: parsed.data };
	} catch (err) {
		if (err instanceof TokenizeError)
			return {
				ok: false,
				reply: problemReply(
					`${command.name}: check the arguments`,
					`${escapeMarkup(err.message)}\n${usageText(command)}`,
				),
			};
		throw err;
	}
}

/**
 * The inbound port's implementation (src/chat/inbound.ts) over a registry: what the composition
 * root hands to every chat adapter.
 */
export function commandHandler(
	commands: readonly ChatCommand[],
	services: CommandServices,
): CommandHandler {
	return {
		commands,
		check: (text) => {
			const prepared = prepare(commands, text);
			return prepared.ok ? { ok: true } : prepared;
		},
		run: (text, invocation) =>
			dispatch(commands, text, { ...services, ...invocation }),
	};
}

/** Tokenizes, resolves, validates and runs; always resolves to a reply. */
export async function dispatch(
	commands: readonly ChatCommand[],
	text: string,
	base: Omit<CommandContext, "commands">,
): Promise<Reply> {
	const prepared = prepare(commands, text);
	if (!prepared.ok) return prepared.reply;
	const { command, args } = prepared;
	const ctx: CommandContext = { ...base, commands };
	try {
		return await command.run(ctx, args);
	} catch (err) {
		return failureReply(command, err, ctx);
	}
}

function failureReply(
	command: ChatCommand,
	err: unknown,
	ctx: CommandContext,
): Reply {
	if (err instanceof AppError && err.code === "usage")
		return problemReply(
			`${command.name}: check the arguments`,
			`${escapeMarkup(err.message)}\n${usageText(command)}`,
		);
	// Nothing to show is an answer, not a fault: say what is missing instead of "went wrong".
	if (err instanceof AppError && err.code === "data_unavailable")
		return problemReply(`${command.name}: no data`, escapeMarkup(err.message));
	const ref = randomUUID().slice(0, 8);
	ctx.log.error(
		{
			err: errorMessage(err),
			command: command.name,
			ref,
			user: ctx.user.id,
			channel: ctx.channel.id,
		},
		"command failed",
	);
	const retry =
		err instanceof AppError && err.retryable
			? " It may work if you try again in a minute."
			: "";
	return problemReply(
		`${command.name} failed`,
		`Something went wrong on our side (reference ${code(ref)}; the details are in the bot's log).${retry}`,
	);
}

/** "--errors: expected a number, got "x"" from zod issues, one sentence per issue. */
export function describeIssues(error: z.ZodError): string {
	return error.issues
		.map((i) => {
			if (i.code === "unrecognized_keys") {
				const dash = i.path[0] === "flags" ? "--" : "";
				const eq = i.path[0] === "pairs" ? "=" : "";
				return `unknown option ${i.keys.map((k) => `${dash}${k}${eq}`).join(", ")}.`;
			}
			const where = i.path
				.filter((p) => p !== "flags" && p !== "pairs" && p !== "positionals")
				.map(String);
			const field =
				i.path[0] === "flags"
					? `--${where.join(".")}`
					: i.path[0] === "pairs"
						? `${where.join(".")}=`
						: i.path[0] === "positionals"
							? `word ${Number(where[0] ?? 0) + 1}`
							: where.join(".");
			return `${field ? `${field}: ` : ""}${i.message}.`;
		})
		.join(" ");
}

/** The candidate within edit distance 2 (or sharing the first three letters), if any. */
export function closest(
	word: string,
	candidates: readonly string[],
): string | undefined {
	let best: { c: string; d: number } | undefined;
	for (const c of new Set(candidates)) {
		const d = editDistance(word.toLowerCase(), c);
		if (!best || d < best.d) best = { c, d };
	}
	if (!best) return undefined;
	if (best.d <= 2 || (word.length >= 3 && best.c.startsWith(word.slice(0, 3))))
		return best.c;
	return undefined;
}
