/**
 * The chat commands as Discord slash commands with typed options, and how each invocation
 * becomes the same command line the Slack adapter and `erp-pulse chat` hand to the dispatcher.
 * So there is one parser and one validator per command; Discord's typed options only help people
 * type the line (choices, integer ranges, metric and query names by autocomplete).
 *
 * Every value a person typed goes into the line quoted, so it is always a word of its own and
 * never a flag or a `key=value` pair. The free-form options that *are* extra words (`params` of
 * `pulse add` and `query run`, and the catch-all `/erp-pulse text`) pass through as typed: they
 * carry exactly what the person could type in the catch-all anyway.
 */
import { RFM_SEGMENTS } from "../../analytics/compute/rfm-map.ts";
import { DIMENSIONS } from "../../metrics/dimensions.ts";
import { GRAINS } from "../../metrics/types.ts";
import {
	type OptionSpec,
	type OptionValues,
	quote,
	type SlashSpec,
	type SubcommandSpec,
} from "./commands.ts";

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
const asOf = str("as_of", "Evaluate as of this day, YYYY-MM-DD");
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
					"templates",
					"The monitor templates and their parameters",
					[],
					() => "pulse templates",
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
					"test",
					"Run a monitor's query and rule now, storing nothing",
					[monitorId, asOf],
					(v) => `pulse test${word(v, "id")}${flag(v, "as_of", "as-of")}`,
				),
				verb(
					"run",
					"Run a monitor once now and store the result",
					[monitorId, asOf],
					(v) => `pulse run${word(v, "id")}${flag(v, "as_of", "as-of")}`,
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
					"rollback",
					"Restore an earlier version of a monitor as a new version",
					[
						monitorId,
						int(
							"version",
							"The version to restore (pulse history lists them)",
							1,
							999_999_999,
							{
								required: true,
							},
						),
					],
					(v) => `pulse rollback${word(v, "id")}${word(v, "version")}`,
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
				verb(
					"tune",
					"The tuning proposal from feedback, or save it",
					[
						monitorId,
						{
							name: "accept",
							description: "Save the proposal as a new version",
							type: "boolean",
						},
					],
					(v) => `pulse tune${word(v, "id")}${v.accept ? " --accept" : ""}`,
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
			name: "explain",
			description:
				"Why a metric changed: the regions, categories, customers… that account for it",
			options: [
				str("metric", "The metric", { required: true, autocomplete: "metric" }),
				str("by", "Only this dimension", {
					choices: DIMENSIONS.map((d) => d.id),
				}),
				str("period", "last month, last week, 2026-10 or week of 2026-09-07"),
				str("compare", "What to compare with (default the period before)", {
					choices: ["previous", "last year"],
				}),
				str("in", "Only within one member, e.g. region=West"),
			],
			line: (v) =>
				`explain${word(v, "metric")}${v.by ? ` by${word(v, "by")}` : ""}${raw(v, "period")}${v.compare ? ` vs ${v.compare}` : ""}${v.in ? ` in${word(v, "in")}` : ""}`,
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
