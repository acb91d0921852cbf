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
	database: false,
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
			text: commands
				.map(
					(c) => `${code(c.usage[0] ?? c.name)} ${escapeMarkup(c.description)}`,
				)
				.join("\n"),
			context: ["Type help <command> for the options of one command."],
		};
		return { message, ephemeral: true };
	},
});

function usageMessage(
	commands: readonly {
		name: string;
		description: string;
		usage: readonly string[];
	}[],
): ChatMessage {
	return {
		title: commands.length === 1 ? (commands[0]?.name ?? "help") : "Commands",
		text: commands
			.map(
				(c) =>
					`*${c.name}*: ${escapeMarkup(c.description)}\n${c.usage.map((u) => `\`${u.replace(/`/g, "'")}\``).join("\n")}`,
			)
			.join("\n\n"),
	};
}

function code(s: string): string {
	return `\`${s.replace(/`/g, "'")}\``;
}
