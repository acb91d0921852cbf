import type { Command } from "./command.ts";
import { correlateCommand } from "./correlate.ts";
import { metricCommand } from "./metric.ts";
import { queryCommand } from "./query.ts";

/** Every chat/CLI command. Static, so the type checker sees each one. */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own input type
export const commands: readonly Command<any>[] = [
	correlateCommand,
	metricCommand,
	queryCommand,
];
