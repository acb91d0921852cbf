import { describe, expect, it } from "vitest";
import { dispatch } from "../../commands/dispatch.ts";
import { commands } from "../../commands/index.ts";
import { commandServices } from "../../commands/services.ts";
import { parseTokens, tokenize } from "../../commands/tokenize.ts";
import { escapeMarkup } from "../../src/chat/markup.ts";
import { configSchema } from "../../src/config/schema.ts";
import type { Pool } from "../../src/db/pool.ts";
import { createMetricCatalog } from "../../src/metrics/index.ts";
import { pulseTemplatesDir } from "../../src/paths.ts";
import {
	loadTemplates,
	templateParameters,
} from "../../src/pulse/engine/templates.ts";
import { memoryLogger } from "../helpers/log.ts";

const words = (text: string) => parseTokens(tokenize(text));

describe("slash-command text", () => {
	it("splits quoted strings, flags and key=value pairs", () => {
		expect(
			words(
				'revenue "gross margin" --grain week --since=2024-01 top=10 --verbose',
			),
		).toEqual({
			positionals: ["revenue", "gross margin"],
			flags: { grain: "week", since: "2024-01", verbose: true },
			pairs: { top: "10" },
		});
	});

	it("undoes Slack's typographic quotes and HTML escaping", () => {
		expect(words("“net sales” &lt;b&gt; &amp; ‘x y’")).toEqual({
			positionals: ["net sales", "<b>", "&", "x y"],
			flags: {},
			pairs: {},
		});
	});

	it("keeps a quoted word positional even when it looks like a flag", () => {
		expect(words('"--grain" -- --not-a-flag a=b')).toEqual({
			positionals: ["--grain", "--not-a-flag", "a=b"],
			flags: {},
			pairs: {},
		});
	});

	it("says where an unclosed quote starts and how to fix it", () => {
		expect(() => tokenize('correlate "revenue customers')).toThrow(
			'The double quote at character 11 is never closed: add a closing ".',
		);
	});

	it("refuses a flag given twice", () => {
		expect(() => words("--grain week --grain month")).toThrow(
			"--grain is given twice: keep one.",
		);
	});
});

describe("the dispatcher", () => {
	const base = {
		...commandServices({
			pool: {} as Pool,
			config: configSchema.parse({}),
			log: memoryLogger().log,
		}),
		user: { id: "U1" },
		channel: { kind: "local" as const, id: "cli" },
		now: new Date("2026-11-23T09:00:00Z"),
		log: memoryLogger().log,
	};

	it("lists every form of every command for help, each with what that form does", async () => {
		const reply = await dispatch(commands, "help", base);
		expect(reply.ephemeral).toBe(true);
		const lines = (reply.message.text ?? "").split("\n");
		for (const c of commands) {
			// A command of several forms says what each one does, never one form beside another's text.
			if (c.usage.length > 1)
				expect(Object.keys(c.forms ?? {}).sort(), c.name).toEqual(
					[...c.usage].sort(),
				);
			for (const form of c.usage) {
				const does = c.forms?.[form] ?? c.description;
				expect(lines, form).toContain(
					`\`${form}\` ${escapeMarkup(does.charAt(0).toUpperCase() + does.slice(1))}`,
				);
			}
		}
		expect(lines).toContain(
			"`metric list` The metrics: units, grains, dimensions and synonyms",
		);
	});

	it("suggests the closest command for a typo", async () => {
		const reply = await dispatch(commands, "corelate revenue", base);
		expect(reply).toMatchObject({ ephemeral: true, problem: true });
		expect(reply.message.text).toBe(
			"`corelate` is not a command. Did you mean `correlate`? Type `help` for the list.",
		);
	});

	it("reads a command typed the Slack way, with its slash", async () => {
		const slash = await dispatch(commands, " /corelate revenue", base);
		expect(slash.message.text).toBe(
			"`corelate` is not a command. Did you mean `correlate`? Type `help` for the list.",
		);
		expect((await dispatch(commands, "/help", base)).message.title).toBe(
			"erp-pulse commands",
		);
	});

	it("names the bad flag and shows the usage", async () => {
		const reply = await dispatch(
			commands,
			"pulse status --errors 99 --verbose",
			base,
		);
		expect(reply.message.text).toBe(
			"--errors: expected at most 20. unknown option --verbose.\nUsage: `pulse status [--errors N]`",
		);
	});

	it("lists the subcommands of a command group", async () => {
		const reply = await dispatch(commands, "pulse stats", base);
		expect(reply.message.text).toBe(
			'`pulse stats` is not a command. `pulse` needs one of: `pulse status`, `pulse list`, `pulse show <id>`, `pulse history <id>`, `pulse templates`, `pulse create "<text>" [--yes]`, `pulse add <template> [k=v …]`, `pulse test <id> [--as-of YYYY-MM-DD]`, `pulse run <id> [--as-of YYYY-MM-DD]`, `pulse pause <id>`, `pulse resume <id>`, `pulse rollback <id> <version>`, `pulse feedback <alertId> real|false_alarm`, `pulse tune <id> [--accept]`.',
		);
		expect(reply.problem).toBe(true);
	});

	it("treats empty text as help", async () => {
		expect((await dispatch(commands, "  ", base)).message.title).toBe(
			"erp-pulse commands",
		);
	});

	it("names a control character in a command instead of sending it to Postgres", async () => {
		for (const text of ["stox item ITM\u0000-1", "pulse resume abc\u0007"]) {
			const reply = await dispatch(commands, text, base);
			expect(reply.problem, text).toBe(true);
			expect(reply.message.text).toMatch(
				/control character \(U\+00(00|07)\) at character \d+: remove it/,
			);
		}
	});

	it("points a question at the command that answers it, when one clearly does", async () => {
		const answers: [string, string][] = [
			["what were sales last month?", "metric revenue last 13 months"],
			[
				"how many customers by region last 6 months",
				"metric active_customers by region last 6 months",
			],
			[
				"is revenue related to active customers?",
				"correlate revenue active_customers",
			],
			["what's our margin by branch?", "metric gross_margin by branch"],
		];
		for (const [question, command] of answers) {
			const reply = await dispatch(commands, question, base);
			expect(reply.problem, question).toBe(true);
			expect(reply.message.text, question).toBe(
				`Commands start with their name. This one answers that question: \`${command}\`. Type \`help\` for the list.`,
			);
		}
		const vague = await dispatch(commands, "what's the weather?", base);
		expect(vague.message.text).toContain(
			"Commands start with their name, e.g. `metric revenue last 12 months`",
		);
		// A quote left open in a command is still named as such.
		const open = await dispatch(commands, 'pulse create "why not?', base);
		expect(open.message.text).toContain("is never closed");
	});

	it("refuses a period count no calendar holds, saying what is allowed", async () => {
		for (const n of [
			"99999999999999999999",
			"1e308",
			"2147483648",
			"0x10",
			"0",
		]) {
			const reply = await dispatch(
				commands,
				`metric revenue last ${n} days`,
				base,
			);
			expect(reply.problem, n).toBe(true);
			expect(reply.message.text, n).toContain(
				"expects a whole number of periods from 1 to 36500",
			);
		}
	});
});

describe("template parameters", () => {
	const catalog = createMetricCatalog({ currency: "USD" });
	const template = loadTemplates(pulseTemplatesDir, catalog).find(
		(t) => t.name === "margin-drop-by-region",
	);

	it("takes numbers as people write them and refuses hex, exponents and words", () => {
		if (!template) throw new Error("template margin-drop-by-region is missing");
		expect(templateParameters(template, { drop_points: "5" }).drop_points).toBe(
			5,
		);
		expect(
			templateParameters(template, { drop_points: "2.5" }).drop_points,
		).toBe(2.5);
		for (const v of ["0x10", "1e1", "ten", "", "5 points"])
			expect(
				() => templateParameters(template, { drop_points: v }),
				JSON.stringify(v),
			).toThrow(/drop_points/);
	});
});
