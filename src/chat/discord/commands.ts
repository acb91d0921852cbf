/**
 * The chat commands as Discord application commands (slash commands with typed options), and
 * the way back: an invocation's options → the same command line the Slack adapter and
 * `erp-pulse chat` hand to the dispatcher. So there is one parser and one validator per
 * command; Discord's typed options only help people type the line (choices, integer ranges,
 * metric names by autocomplete).
 *
 * Every value a person typed goes into the line quoted, so it is always a word of its own and
 * never a flag or a `key=value` pair. The two free-form options that *are* extra words
 * (`params` of `pulse add` and `query run`, and the catch-all `/erp-pulse text`) pass through
 * as typed: they carry exactly what the person could type in the catch-all anyway.
 */
import { RFM_SEGMENTS } from "../../analytics/compute/rfm-map.ts";
import { DIMENSIONS } from "../../metrics/dimensions.ts";
import { GRAINS } from "../../metrics/types.ts";

/** Discord's limits on command definitions. */
export const DISCORD_COMMAND_NAME_MAX = 32;
export const DISCORD_COMMAND_DESCRIPTION_MAX = 100;
export const DISCORD_OPTION_CHOICES_MAX = 25;
export const DISCORD_COMMANDS_MAX = 100;

/** Option types used here (Discord's ApplicationCommandOptionType numbers). */
const OPTION_TYPE = { subcommand: 1, string: 3, integer: 4, boolean: 5 };

/** What autocomplete offers for an option. */
export type AutocompleteSource = "metric" | "query";

/** One typed option. */
export interface OptionSpec {
	name: string;
	description: string;
	type: "string" | "integer" | "boolean";
	required?: boolean;
	choices?: readonly string[];
	min?: number;
	max?: number;
	autocomplete?: AutocompleteSource;
}

/** A subcommand: its options and how its values become the command line. */
export interface SubcommandSpec {
	name: string;
	description: string;
	options?: readonly OptionSpec[];
	line(v: OptionValues): string;
}

/** One slash command: either options and `line`, or subcommands. */
export interface SlashSpec {
	name: string;
	description: string;
	/** Answered only to the person who asked (Discord fixes that when the response is deferred). */
	private?: boolean;
	options?: readonly OptionSpec[];
	subcommands?: readonly SubcommandSpec[];
	line?(v: OptionValues): string;
}

/** An invocation's option values by name. */
export type OptionValues = Record<string, string | number | boolean>;

/** A value as one quoted word of the command line (see commands/tokenize.ts). */
export function quote(v: string | number | boolean): string {
	return `"${String(v).replace(/[\\"]/g, "\\$&")}"`;
}

/** ` --name "value"` when the option was given. */
const flag = (v: OptionValues, option: string, name = option) =>
	v[option] === undefined ? "" : ` --${name} ${quote(v[option])}`;
/** ` "value"` when the option was given. */
const word = (v: OptionValues, option: string) =>
	v[option] === undefined ? "" : ` ${quote(v[option])}`;
/** Free-form words, as typed. */
const raw = (v: OptionValues, option: string) =>
	v[option] === undefined ? "" : ` ${String(v[option])}`;

const str = (
	name: string,
	description: string,
	more: Partial<OptionSpec> = {},
): OptionSpec => ({ name, description, type: "string", ...more });
const int = (
	name: string,
	description: string,
	min: number,
	max: number,
	more: Partial<OptionSpec> = {},
): OptionSpec => ({ name, description, type: "integer", min, max, ...more });

const alertId = str("alert", "The alert id (a UUID)", { required: true });
const monitorId = str("id", "The monitor id (pulse list shows them)", {
	required: true,
});
const since = str("since", "First period, YYYY-MM or YYYY-MM-DD");
const until = str("until", "Last period, YYYY-MM or YYYY-MM-DD");
const grain = str("grain", "Period length", { choices: GRAINS });
const filter = str(
	"filter",
	"Only rows where dimension=value, e.g. region=West",
);

const verb = (
	name: string,
	description: string,
	options: readonly OptionSpec[],
	line: (v: OptionValues) => string,
): SubcommandSpec => ({ name, description, options, line });

/** The slash commands. `help` lists the registry's own command names as choices. */
export function slashSpecs(registry: readonly { name: string }[]): SlashSpec[] {
	return [
		{
			name: "help",
			description: "List the commands, or show how to use one",
			private: true,
			options: [
				str("command", "The command to explain", {
					choices: [...new Set(registry.map((c) => c.name))].sort(),
				}),
			],
			line: (v) => `help${word(v, "command")}`,
		},
		{
			name: "pulse",
			description: "Pulse monitors and delivery health",
			subcommands: [
				verb("list", "Every monitor with its state", [], () => "pulse list"),
				verb(
					"status",
					"Delivery health: queued, failed and dead messages",
					[int("errors", "How many recent errors to show", 0, 20)],
					(v) => `pulse status${flag(v, "errors")}`,
				),
				verb(
					"show",
					"One monitor in full",
					[monitorId],
					(v) => `pulse show${word(v, "id")}`,
				),
				verb(
					"history",
					"A monitor's recent runs and alerts",
					[monitorId],
					(v) => `pulse history${word(v, "id")}`,
				),
				verb(
					"create",
					"A monitor from a sentence, shown before it is saved",
					[
						str("text", "e.g. alert me when gross margin falls below 28%", {
							required: true,
						}),
						{
							name: "yes",
							description: "Save it without asking again",
							type: "boolean",
						},
					],
					(v) => `pulse create${word(v, "text")}${v.yes ? " --yes" : ""}`,
				),
				verb(
					"add",
					"A monitor from a template",
					[
						str("template", "The template name, e.g. margin-drop-by-region", {
							required: true,
						}),
						str("params", "Template parameters as k=v k=v"),
					],
					(v) => `pulse add${word(v, "template")}${raw(v, "params")}`,
				),
				verb(
					"pause",
					"Stop running a monitor",
					[monitorId],
					(v) => `pulse pause${word(v, "id")}`,
				),
				verb(
					"resume",
					"Run a paused monitor again",
					[monitorId],
					(v) => `pulse resume${word(v, "id")}`,
				),
				verb(
					"feedback",
					"Say whether an alert was real",
					[
						alertId,
						str("verdict", "Real issue or false alarm", {
							required: true,
							choices: ["real", "false_alarm"],
						}),
					],
					(v) => `pulse feedback${word(v, "alert")}${word(v, "verdict")}`,
				),
			],
		},
		{
			name: "correlate",
			description:
				"Correlate two metrics with a verdict, or rank every metric against one",
			options: [
				str("a", "A metric", { required: true, autocomplete: "metric" }),
				str("b", "The other metric (leave out to rank every metric)", {
					autocomplete: "metric",
				}),
				grain,
				since,
				until,
				filter,
			],
			line: (v) =>
				`correlate${word(v, "a")}${word(v, "b")}${flag(v, "grain")}${flag(v, "since")}${flag(v, "until")}${flag(v, "filter", "by")}`,
		},
		{
			name: "metric",
			description: "One metric per period, or broken down by a dimension",
			subcommands: [
				verb(
					"show",
					"One metric per period, optionally by a dimension",
					[
						str("name", "The metric", {
							required: true,
							autocomplete: "metric",
						}),
						str("by", "Break it down by", {
							choices: DIMENSIONS.map((d) => d.id),
						}),
						int("last", "Only the last N periods", 1, 520),
						grain,
						since,
						until,
						filter,
					],
					metricLine,
				),
				verb("list", "The metric catalog", [], () => "metric list"),
			],
		},
		{
			name: "query",
			description: "List or run the named analytics queries",
			subcommands: [
				verb(
					"list",
					"The query library",
					[str("category", "Only this category")],
					(v) => `query list${word(v, "category")}`,
				),
				verb(
					"run",
					"Run one library query",
					[
						str("name", "The query", { required: true, autocomplete: "query" }),
						str("params", "Parameters as name=value name=value"),
					],
					(v) => `query run${word(v, "name")}${raw(v, "params")}`,
				),
			],
		},
		{
			name: "segment",
			description:
				"The RFM customer segments, or the top 10 customers of one segment",
			options: [str("name", "One segment", { choices: RFM_SEGMENTS })],
			line: (v) => `segment${word(v, "name")}`,
		},
		{
			name: "cohort",
			description: "Size and retention of the latest monthly cohorts",
			options: [int("months", "How many cohorts (default 6)", 1, 36)],
			line: (v) => `cohort${raw(v, "months")}`,
		},
		{
			name: "stox",
			description: "Inventory: reorder, excess, the summary, or one material",
			subcommands: [
				verb(
					"summary",
					"Enterprise inventory figures",
					[],
					() => "stox summary",
				),
				verb(
					"reorder",
					"Materials to reorder now",
					[int("limit", "Rows to show (default 20)", 1, 50)],
					(v) => `stox reorder${flag(v, "limit")}`,
				),
				verb(
					"excess",
					"Materials with excess or obsolete stock",
					[int("limit", "Rows to show (default 20)", 1, 50)],
					(v) => `stox excess${flag(v, "limit")}`,
				),
				verb(
					"item",
					"Every inventory figure of one material",
					[str("material", "The material number", { required: true })],
					(v) => `stox item${word(v, "material")}`,
				),
			],
		},
		{
			name: "digest",
			description: "Preview the weekly digest as it would be posted now",
			options: [str("as_of", "As of this day, YYYY-MM-DD")],
			line: (v) => `digest${flag(v, "as_of", "as-of")}`,
		},
		{
			name: "erp-pulse",
			description: "Any erp-pulse command as text (try: help)",
			options: [
				str("text", "The command, e.g. pulse status", { required: true }),
			],
			line: (v) => String(v.text ?? ""),
		},
	];
}

function metricLine(v: OptionValues): string {
	const by = v.by === undefined ? "" : ` by ${quote(v.by)}`;
	// "last 12 months": the period word goes with the count; --grain only without it.
	const last =
		v.last === undefined
			? ""
			: ` last ${Number(v.last)} ${v.grain ?? "month"}s`;
	const g = v.last === undefined ? flag(v, "grain") : "";
	return `metric${word(v, "name")}${by}${last}${g}${flag(v, "since")}${flag(v, "until")}${flag(v, "filter", "by")}`;
}

function optionJson(o: OptionSpec) {
	return {
		type: OPTION_TYPE[o.type],
		name: o.name,
		description: o.description,
		...(o.required ? { required: true } : {}),
		...(o.choices
			? {
					choices: o.choices
						.slice(0, DISCORD_OPTION_CHOICES_MAX)
						.map((c) => ({ name: c, value: c })),
				}
			: {}),
		...(o.min !== undefined ? { min_value: o.min } : {}),
		...(o.max !== undefined ? { max_value: o.max } : {}),
		...(o.autocomplete ? { autocomplete: true } : {}),
	};
}

/** The body of PUT applications/{app}/commands: every slash command as Discord's JSON. */
export function applicationCommands(specs: readonly SlashSpec[]) {
	return specs.map((s) => ({
		type: 1,
		name: s.name,
		description: s.description.slice(0, DISCORD_COMMAND_DESCRIPTION_MAX),
		options: s.subcommands
			? s.subcommands.map((sub) => ({
					type: OPTION_TYPE.subcommand,
					name: sub.name,
					description: sub.description,
					options: (sub.options ?? []).map(optionJson),
				}))
			: (s.options ?? []).map(optionJson),
	}));
}

/** One option of an invocation, as Discord sends it (nested for a subcommand). */
export interface InvokedOption {
	name: string;
	type: number;
	value?: string | number | boolean;
	focused?: boolean;
	options?: InvokedOption[];
}

/** The invoked subcommand (if any), its values, and the option being typed (autocomplete). */
export function invokedValues(options: readonly InvokedOption[] = []): {
	sub?: string;
	values: OptionValues;
	focused?: string;
} {
	const first = options[0];
	const leaves =
		first?.type === OPTION_TYPE.subcommand ? (first.options ?? []) : options;
	const values: OptionValues = {};
	let focused: string | undefined;
	for (const o of leaves) {
		if (o.value === undefined) continue;
		values[o.name] = o.value;
		if (o.focused) focused = o.name;
	}
	return {
		...(first?.type === OPTION_TYPE.subcommand ? { sub: first.name } : {}),
		values,
		...(focused ? { focused } : {}),
	};
}

/** The spec an invocation names, with its options; undefined for a command we do not have. */
export function findSpec(
	specs: readonly SlashSpec[],
	name: string,
	sub: string | undefined,
): FoundSpec | undefined {
	const spec = specs.find((s) => s.name === name);
	if (!spec) return undefined;
	const isPrivate = spec.private ?? false;
	if (spec.subcommands) {
		const s = spec.subcommands.find((x) => x.name === sub);
		return s
			? { options: s.options ?? [], line: s.line, private: isPrivate }
			: undefined;
	}
	return spec.line
		? { options: spec.options ?? [], line: spec.line, private: isPrivate }
		: undefined;
}

/** What findSpec finds: the invoked (sub)command's options, line builder and privacy. */
export interface FoundSpec {
	options: readonly OptionSpec[];
	line: (v: OptionValues) => string;
	private: boolean;
}

/** The command line an invocation stands for, or undefined when the command is unknown. */
export function commandLine(
	specs: readonly SlashSpec[],
	name: string,
	options: readonly InvokedOption[] = [],
): string | undefined {
	const { sub, values } = invokedValues(options);
	return findSpec(specs, name, sub)?.line(values);
}
