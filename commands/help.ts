/** `help` lists every command; `help <name>` shows one command's usage. */
import { z } from "zod";
import { escapeMarkup } from "../src/chat/markup.ts";
import type { ChatMessage } from "../src/chat/message.ts";
import { argsSchema } from "./args.ts";
import { closest, problemReply } from "./dispatch.ts";
import { defineCommand } from "./types.ts";

export const helpCommand = defineCommand({
	name: "help",
	description: "List the commands, or show how to use one",
	usage: ["help", "help <command>"],
	forms: {
		help: "every command, one line per form",
		"help <command>": "how to use one command, with its options",
	},
	args: argsSchema({
		positionals: z.array(z.string()).max(2, {
			error: 'expected at most a command name, e.g. "pulse status"',
		}),
	}),
	async run(ctx, args) {
		const commands = [...ctx.commands].sort((a, b) =>
			a.name.localeCompare(b.name),
		);
		const asked = args.positionals.join(" ").toLowerCase();
		if (asked) {
			const matches = commands.filter(
				(c) => c.name === asked || c.name.startsWith(`${asked} `),
			);
			if (matches.length === 0) {
				const guess = closest(
					asked,
					commands.map((c) => c.name),
				);
				return problemReply(
					"Unknown command",
					`There is no \`${asked.replace(/`/g, "'")}\` command.${guess ? ` Did you mean \`${guess}\`?` : ""} Type \`help\` for the list.`,
				);
			}
			return { message: usageMessage(matches), ephemeral: true };
		}
		const message: ChatMessage = {
			title: "erp-pulse commands",
			text: commands.flatMap(formLines).join("\n"),
			context: ["Type help <command> for the options of one command."],
		};
		return { message, ephemeral: true };
	},
});

/** Every form of a command with what that form does (the command's description for a single form). */
function formLines(c: {
	name: string;
	description: string;
	usage: readonly string[];
	forms?: Readonly<Record<string, string>>;
}): string[] {
	const forms = c.usage.length > 0 ? c.usage : [c.name];
	return forms.map(
		(u) => `${code(u)} ${escapeMarkup(capital(c.forms?.[u] ?? c.description))}`,
	);
}

function usageMessage(
	commands: readonly {
		name: string;
		description: string;
		usage: readonly string[];
		forms?: Readonly<Record<string, string>>;
	}[],
): ChatMessage {
	return {
		title: commands.length === 1 ? (commands[0]?.name ?? "help") : "Commands",
		text: commands
			.map(
				(c) =>
					`*${c.name}*: ${escapeMarkup(c.description)}\n${formLines(c).join("\n")}`,
			)
			.join("\n\n"),
	};
}

function capital(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

function code(s: string): string {
	return `\`${s.replace(/`/g, "'")}\``;
}
