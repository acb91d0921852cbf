/**
 * Every chat/CLI command, in one static list so the type checker sees each one. A new command is
 * one file exporting `defineCommand({ name, description, usage, args, run })`, added here; the
 * dispatcher, `help`, the Slack manifest and `erp-pulse chat` pick it up from this list.
 */
import { helpCommand } from "./help.ts";
import { pulseStatusCommand } from "./pulse-status.ts";
import type { ChatCommand } from "./types.ts";

// Commands that plug in here as their parts land (none is registered until it really works):
// - correlate, metric, query          ← feat/catalog (src/metrics, src/library)
// - segment, cohort                   ← analytics commands over the derived tables
// - stox                              ← inventory commands (reorder, projection)
// - pulse list|add|create|pause|show  ← feat/pulsedb service functions (src/pulse/engine/service.ts)
// - digest                            ← the weekly-digest job's "send now"

/** The registry. */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type
export const commands: readonly ChatCommand<any>[] = [
	helpCommand,
	pulseStatusCommand,
];
