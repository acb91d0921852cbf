/**
 * The inbound port: what a chat adapter (Slack, Discord, the playground, the Explain button) hands
 * a typed command line to, and what it gets back. The adapters depend on this interface only; the
 * composition root (src/main.ts, the CLI) builds the one implementation from the command registry
 * (commands/dispatch.ts, `commandHandler`) and passes it to each adapter. So the adapters never
 * import the commands, and a command never knows which adapter ran it.
 */
import type { Logger } from "../log.ts";
import type { ChatMessage } from "./message.ts";

/** Where a command was typed: the platform ("slack", "discord", "local", …) and its channel id. */
export interface CommandChannel {
	kind: string;
	id: string;
}

/** Who typed it. `groups` are the user's Slack user-group ids when the adapter knows them. */
export interface CommandUser {
	id: string;
	name?: string;
	groups?: readonly string[];
	/**
	 * The person at the bot's own terminal (the CLI): they run the bot, so they may do what a
	 * monitor admin may. No chat adapter sets it.
	 */
	operator?: boolean;
}

/** A command's answer. `ephemeral`: only the person who asked sees it (errors, help). */
export interface Reply {
	message: ChatMessage;
	ephemeral?: boolean;
	/** Set by the dispatcher on a usage or input problem (the CLI exits 2). */
	problem?: boolean;
	/** The command ran, and what it ran failed (a monitor's query erred): the CLI exits 1. */
	failed?: boolean;
}

/** What the adapter knows about one invocation; the handler adds the bot's own services. */
export interface Invocation {
	user: CommandUser;
	channel: CommandChannel;
	now: Date;
	/** The adapter's logger, with its fields (user, channel, command) bound. */
	log: Logger;
}

/** A command as a platform lists it (Discord's slash-command choices, Slack's manifest). */
export interface CommandSpec {
	/** One or two lower-case words ("help", "pulse status"). */
	name: string;
	description: string;
	/** One line per form, without the leading slash. */
	usage: readonly string[];
}

/** Text in, reply out. Never throws at the adapter: every failure is a reply that says what to do. */
export interface CommandHandler {
	/** The registered commands, in registry order. */
	readonly commands: readonly CommandSpec[];
	/**
	 * Checks a line without running anything (pure and fast), so an adapter can answer bad input
	 * at once and defer only the work.
	 */
	check(text: string): { ok: true } | { ok: false; reply: Reply };
	/** Checks and runs a line; always resolves to a reply. */
	run(text: string, invocation: Invocation): Promise<Reply>;
}

/** An ephemeral "could not do that" reply; `text` is markup. */
export function problemReply(title: string, text: string): Reply {
	return { message: { title, text }, ephemeral: true, problem: true };
}
