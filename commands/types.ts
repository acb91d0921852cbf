/**
 * The chat/CLI command contract. A command is a small object: a name (one or two words, such as
 * "help" or "pulse status"), a one-line description, usage lines, a zod schema over the parsed
 * words and a `run` that returns a channel-neutral reply. The same object answers a Slack slash
 * command, a Discord interaction and `erp-pulse chat "<text>"`; it never knows which.
 */
import type { z } from "zod";
import type {
	CommandChannel,
	CommandUser,
	Reply,
} from "../src/chat/inbound.ts";
import type { Logger } from "../src/log.ts";
import type { CommandServices } from "./services.ts";

export type {
	CommandChannel,
	CommandUser,
	Reply,
} from "../src/chat/inbound.ts";

/**
 * What a command runs against: the services the composition root built once (./services.ts) and
 * the invocation the adapter (or the CLI) describes.
 */
export interface CommandContext extends CommandServices {
	user: CommandUser;
	channel: CommandChannel;
	now: Date;
	log: Logger;
	/** The registry itself, for `help`. */
	commands: readonly ChatCommand[];
}

/**
 * The words after the command name, tokenized (see tokenize.ts): positionals in order,
 * `--flag value` / `--flag=value` / bare `--flag` (true), and `key=value` pairs.
 */
export interface ParsedArgs {
	positionals: string[];
	flags: Record<string, string | true>;
	pairs: Record<string, string>;
}

/** One command. `args` validates ParsedArgs into what `run` takes. */
export interface ChatCommand<S extends z.ZodType = z.ZodType> {
	/** One or two lower-case words; the dispatcher matches the longest registered name. */
	name: string;
	description: string;
	/** One line per form, without the leading slash: "pulse status [--errors N]". */
	usage: readonly string[];
	/** What each form of a many-form command does, by its usage line; `help` lists them. */
	forms?: Readonly<Record<string, string>>;
	args: S;
	run(ctx: CommandContext, args: z.output<S>): Promise<Reply>;
}

/** Keeps the schema's output type tied to `run`'s parameter. */
export function defineCommand<S extends z.ZodType>(
	command: ChatCommand<S>,
): ChatCommand<S> {
	return command;
}
