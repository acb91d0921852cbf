/**
 * Slash-command specs (the table is in specs.ts) as Discord's application-command JSON, and the
 * way back: an invocation's options → the command line the spec builds from them, which the
 * dispatcher then parses like any typed line.
 */

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
