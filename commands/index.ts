/**
 * Every chat/CLI command, in one static list so the type checker sees each one. A new command is
 * one file exporting `defineCommand({ name, description, usage, args, run })`, added to
 * `commands` below; the dispatcher, `help`, the Slack manifest and `erp-pulse chat` pick it up.
 * Text commands shared with the CLI (command.ts) join through fromTextCommand.
 */

import { correlateChart, explainChart, metricDataChart } from "./charts.ts";
import { cohortCommand } from "./cohort.ts";
import type { Command } from "./command.ts";
import { correlateCommand } from "./correlate.ts";
import { digestCommand } from "./digest.ts";
import { explainCommand } from "./explain.ts";
import { fromTextCommand } from "./from-text.ts";
import { helpCommand } from "./help.ts";
import { metricCommand } from "./metric.ts";
import { pulseCommand } from "./pulse.ts";
import { pulseStatusCommand } from "./pulse-status.ts";
import { queryCommand } from "./query.ts";
import { segmentCommand } from "./segment.ts";
import { stoxCommand } from "./stox.ts";
import type { ChatCommand } from "./types.ts";

/** The CLI-shared text commands (erp-pulse correlate|metric|query). */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own input type
export const textCommands: readonly Command<any>[] = [
	correlateCommand,
	metricCommand,
	explainCommand,
	queryCommand,
];

/** The chat registry. */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type
export const commands: readonly ChatCommand<any>[] = [
	helpCommand,
	pulseStatusCommand,
	pulseCommand,
	fromTextCommand(
		correlateCommand,
		"Correlate two metrics with a verdict, or rank every metric against one",
		correlateChart,
	),
	fromTextCommand(
		metricCommand,
		"One metric per period, or broken down by a dimension",
		metricDataChart,
	),
	fromTextCommand(
		explainCommand,
		"Why a metric changed: the regions, categories, customers… that account for it",
		explainChart,
	),
	fromTextCommand(queryCommand, "List or run the named analytics queries"),
	segmentCommand,
	cohortCommand,
	stoxCommand,
	digestCommand,
];
