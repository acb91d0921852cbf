import { describe, expect, it } from "vitest";
import { prepare } from "../../commands/dispatch.ts";
import { commands } from "../../commands/index.ts";
import { autocompleteChoices } from "../../src/chat/discord/autocomplete.ts";
import {
	applicationCommands,
	commandLine,
	DISCORD_COMMAND_DESCRIPTION_MAX,
	DISCORD_COMMANDS_MAX,
	DISCORD_OPTION_CHOICES_MAX,
	type InvokedOption,
	invokedValues,
} from "../../src/chat/discord/commands.ts";
import { slashSpecs } from "../../src/chat/discord/specs.ts";
import { createMetricCatalog } from "../../src/metrics/index.ts";

const specs = slashSpecs(commands);
const opt = (name: string, value: string | number | boolean, type = 3) => ({
	name,
	type,
	value,
});
const sub = (name: string, options: InvokedOption[] = []) => ({
	name,
	type: 1,
	options,
});
const line = (name: string, options: InvokedOption[] = []) =>
	commandLine(specs, name, options);

describe("the slash commands", () => {
	it("registers correlate with typed options and metric autocomplete", () => {
		const correlate = applicationCommands(specs).find(
			(c) => c.name === "correlate",
		);
		expect(correlate).toEqual({
			type: 1,
			name: "correlate",
			description:
				"Correlate two metrics with a verdict, or rank every metric against one",
			options: [
				{
					type: 3,
					name: "a",
					description: "A metric",
					required: true,
					autocomplete: true,
				},
				{
					type: 3,
					name: "b",
					description: "The other metric (leave out to rank every metric)",
					autocomplete: true,
				},
				{
					type: 3,
					name: "grain",
					description: "Period length",
					choices: [
						{ name: "day", value: "day" },
						{ name: "week", value: "week" },
						{ name: "month", value: "month" },
					],
				},
				{
					type: 3,
					name: "since",
					description: "First period, YYYY-MM or YYYY-MM-DD",
				},
				{
					type: 3,
					name: "until",
					description: "Last period, YYYY-MM or YYYY-MM-DD",
				},
				{
					type: 3,
					name: "filter",
					description: "Only rows where dimension=value, e.g. region=West",
				},
			],
		});
	});

	it("registers stox as subcommands with integer ranges", () => {
		const stox = applicationCommands(specs).find((c) => c.name === "stox");
		expect(stox?.options).toEqual([
			{
				type: 1,
				name: "summary",
				description: "Enterprise inventory figures",
				options: [],
			},
			{
				type: 1,
				name: "reorder",
				description: "Materials to reorder now",
				options: [
					{
						type: 4,
						name: "limit",
						description: "Rows to show (default 20)",
						min_value: 1,
						max_value: 50,
					},
				],
			},
			{
				type: 1,
				name: "excess",
				description: "Materials with excess or obsolete stock",
				options: [
					{
						type: 4,
						name: "limit",
						description: "Rows to show (default 20)",
						min_value: 1,
						max_value: 50,
					},
				],
			},
			{
				type: 1,
				name: "item",
				description: "Every inventory figure of one material",
				options: [
					{
						type: 3,
						name: "material",
						description: "The material number",
						required: true,
					},
				],
			},
		]);
	});

	it("has a slash command for every command of the registry, and a subcommand for every pulse verb", () => {
		const names = new Set(specs.map((s) => s.name));
		for (const c of commands)
			expect(names, c.name).toContain(c.name.split(" ")[0]);
		const pulse = specs.find((s) => s.name === "pulse");
		const verbs = new Set(pulse?.subcommands?.map((s) => s.name));
		for (const c of commands.filter((x) => x.name.startsWith("pulse")))
			for (const usage of c.usage)
				expect(verbs, usage).toContain(usage.split(" ")[1]);
	});

	it("keeps within Discord's limits on names, descriptions, choices and options", () => {
		const json = applicationCommands(specs);
		expect(json.length).toBeLessThanOrEqual(DISCORD_COMMANDS_MAX);
		const check = (o: {
			name: string;
			description: string;
			options?: unknown[];
			choices?: unknown[];
		}) => {
			expect(o.name).toMatch(/^[-_a-z0-9]{1,32}$/);
			expect(o.description.length).toBeGreaterThan(0);
			expect(o.description.length).toBeLessThanOrEqual(
				DISCORD_COMMAND_DESCRIPTION_MAX,
			);
			expect((o.options ?? []).length).toBeLessThanOrEqual(25);
			expect((o.choices ?? []).length).toBeLessThanOrEqual(
				DISCORD_OPTION_CHOICES_MAX,
			);
			for (const child of (o.options ?? []) as (typeof o)[]) check(child);
		};
		for (const c of json) check(c);
	});
});

describe("an invocation as a command line", () => {
	it("spells out each command the way it is typed in chat", () => {
		expect(line("help")).toBe("help");
		expect(line("help", [opt("command", "pulse status")])).toBe(
			'help "pulse status"',
		);
		expect(
			line("correlate", [
				opt("a", "revenue"),
				opt("b", "active_customers"),
				opt("grain", "week"),
				opt("filter", "region=West"),
			]),
		).toBe(
			'correlate "revenue" "active_customers" --grain "week" --by "region=West"',
		);
		expect(
			line("metric", [
				sub("show", [
					opt("name", "revenue"),
					opt("by", "region"),
					opt("last", 12, 4),
				]),
			]),
		).toBe('metric "revenue" by "region" last 12 months');
		expect(line("metric", [sub("list")])).toBe("metric list");
		expect(
			line("explain", [
				opt("metric", "margin %"),
				opt("by", "region"),
				opt("period", "2026-10"),
				opt("compare", "last year"),
			]),
		).toBe('explain "margin %" by "region" 2026-10 vs last year');
		expect(line("segment", [opt("name", "Can't Lose Them")])).toBe(
			`segment "Can't Lose Them"`,
		);
		expect(line("cohort", [opt("months", 6, 4)])).toBe("cohort 6");
		expect(line("stox", [sub("reorder", [opt("limit", 5, 4)])])).toBe(
			'stox reorder --limit "5"',
		);
		expect(line("pulse", [sub("status", [opt("errors", 3, 4)])])).toBe(
			'pulse status --errors "3"',
		);
		expect(
			line("pulse", [
				sub("create", [
					opt("text", "alert me when margin falls below 28%"),
					opt("yes", true, 5),
				]),
			]),
		).toBe('pulse create "alert me when margin falls below 28%" --yes');
		expect(line("digest", [opt("as_of", "2026-10-31")])).toBe(
			'digest --as-of "2026-10-31"',
		);
		expect(
			line("query", [
				sub("run", [opt("name", "top-customers"), opt("params", "limit=5")]),
			]),
		).toBe('query run "top-customers" limit=5');
		expect(line("erp-pulse", [opt("text", "pulse list")])).toBe("pulse list");
		expect(line("nonsense")).toBeUndefined();
		expect(line("stox", [sub("nonsense")])).toBeUndefined();
	});

	it("quotes what people type, so a value is never taken for a flag", () => {
		const text = line("correlate", [opt("a", '--grain "x\\')]);
		expect(text).toBe('correlate "--grain \\"x\\\\"');
		const prepared = prepare(commands, text ?? "");
		expect(prepared.ok).toBe(true);
	});

	it("every line a slash command builds resolves to a command of the registry", () => {
		const samples: [string, InvokedOption[]][] = [
			["help", []],
			["pulse", [sub("list")]],
			["pulse", [sub("status")]],
			["pulse", [sub("show", [opt("id", "m1")])]],
			[
				"pulse",
				[sub("feedback", [opt("alert", "a1"), opt("verdict", "real")])],
			],
			["correlate", [opt("a", "revenue")]],
			["metric", [sub("show", [opt("name", "revenue")])]],
			["query", [sub("list")]],
			["segment", []],
			["cohort", []],
			["stox", [sub("summary")]],
			["stox", [sub("item", [opt("material", "M-1")])]],
			["digest", []],
		];
		for (const [name, options] of samples) {
			const prepared = prepare(commands, line(name, options) ?? "");
			expect(prepared.ok, `${name} ${JSON.stringify(options)}`).toBe(true);
		}
	});

	it("finds the subcommand, its values and the option being typed", () => {
		expect(
			invokedValues([
				sub("show", [
					{ name: "name", type: 3, value: "rev", focused: true },
					opt("last", 3, 4),
				]),
			]),
		).toEqual({
			sub: "show",
			values: { name: "rev", last: 3 },
			focused: "name",
		});
	});
});

describe("metric autocomplete", () => {
	const catalog = createMetricCatalog();

	it("offers metrics whose id, label or synonym starts with what was typed, first", () => {
		expect(autocompleteChoices("metric", "rev", { catalog })).toEqual([
			{ name: "revenue", value: "revenue" },
			{
				name: "revenue per customer (revenue_per_customer)",
				value: "revenue_per_customer",
			},
		]);
	});

	it("matches synonyms and words inside names", () => {
		const values = autocompleteChoices("metric", "cust", { catalog }).map(
			(c) => c.value,
		);
		expect(values).toEqual([
			"active_customers",
			"new_customers",
			"churned_customers",
			"revenue_per_customer",
		]);
	});

	it("offers the catalog in order, at most 25, before anything is typed", () => {
		const all = autocompleteChoices("metric", "", { catalog });
		expect(all.map((c) => c.value)).toEqual(
			catalog.metrics.slice(0, 25).map((m) => m.id),
		);
		expect(autocompleteChoices("metric", "zzzz", { catalog })).toEqual([]);
	});
});
