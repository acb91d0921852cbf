/** The Pulse engine's dependencies for a chat command: the bot's own (./services.ts), with the command's logger. */
import type { PulseDeps } from "../src/pulse/engine/deps.ts";
import type { MonitorTemplate } from "../src/pulse/engine/templates.ts";
import type { CommandContext } from "./types.ts";

export function pulseDepsFrom(ctx: CommandContext): {
	deps: PulseDeps;
	templates: readonly MonitorTemplate[];
} {
	return { deps: { ...ctx.pulse, log: ctx.log }, templates: ctx.templates };
}

/**
 * True for the operator at the CLI, and when monitorAdmins is empty or lists the user or one of
 * the user's groups: Slack user and user-group ids as they are, Discord user and role ids as
 * "discord:<id>".
 */
export function mayEditMonitors(ctx: CommandContext): boolean {
	const admins = ctx.config.chat.monitorAdmins;
	if (admins.length === 0 || ctx.user.operator === true) return true;
	const key = (id: string) =>
		ctx.channel.kind === "discord" ? `discord:${id}` : id;
	return [ctx.user.id, ...(ctx.user.groups ?? [])].some((id) =>
		admins.includes(key(id)),
	);
}
