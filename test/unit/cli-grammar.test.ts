import { describe, expect, it } from "vitest";
import { digestCommand } from "../../commands/digest.ts";
import { pulseCommand } from "../../commands/pulse.ts";
import { pulseStatusCommand } from "../../commands/pulse-status.ts";
import { stoxCommand } from "../../commands/stox.ts";
import { parseTokens, tokenize } from "../../commands/tokenize.ts";
import { commandLine } from "../../src/cli/chat.ts";
import { USAGE, usageOf } from "../../src/cli/usage.ts";

/**
 * `erp-pulse pulse|stox|digest …` run the chat commands (src/cli/chat.ts, runShared), so the
 * terminal and chat have one grammar. The CLI's help is static text (it loads nothing), so this
 * holds it to the commands' own usage lines.
 */
describe("one grammar for the CLI and chat", () => {
	const shared = [pulseCommand, pulseStatusCommand, stoxCommand, digestCommand];

	it("the CLI's help lists every form of the shared commands, as chat spells it", () => {
		const lines = USAGE.split("\n").map((l) => l.trim());
		for (const c of shared)
			for (const form of c.usage)
				expect(
					lines.some((l) => l === form || l.startsWith(`${form} `)),
					form,
				).toBe(true);
	});

	it("the CLI's help has no pulse form that chat lacks", () => {
		const forms = new Set([...pulseCommand.usage, ...pulseStatusCommand.usage]);
		const cli = (usageOf("pulse") ?? "")
			.split("\n")
			.filter((l) => /^ {2}pulse /.test(l))
			.map((l) => l.trim().split(/ {2,}/)[0]);
		expect(cli.length).toBe(forms.size);
		for (const l of cli) expect(forms.has(l as string), l).toBe(true);
	});

	it("turns the shell's words back into the command line they stand for", () => {
		const line = commandLine(
			[
				"pulse",
				"create",
				'alert me when "margin" drops',
				"--x",
				"drop_points=5",
			],
			{ yes: true, "as-of": ["2026-10-31"], accept: false },
		);
		expect(line).toBe(
			'pulse create "alert me when \\"margin\\" drops" "--x" drop_points=5 --yes --as-of 2026-10-31',
		);
		expect(parseTokens(tokenize(line).slice(1))).toEqual({
			positionals: ["create", 'alert me when "margin" drops', "--x"],
			flags: { yes: true, "as-of": "2026-10-31" },
			pairs: { drop_points: "5" },
		});
	});
});
