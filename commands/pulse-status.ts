/**
 * `pulse status`: is the bot getting its messages out? Outbox counts (pending, sending, failed,
 * dead, sent in the last day), how long the oldest message has waited, and the latest errors.
 */
import { type DeliveryHealth, deliveryHealth } from "../src/chat/health.ts";
import type { ChatMessage, ChatSeverity } from "../src/chat/message.ts";
import { formatDateTime } from "../src/chat/message.ts";
import { argsSchema, intFlag, noWords } from "./args.ts";
import { defineCommand } from "./types.ts";

export const pulseStatusCommand = defineCommand({
	name: "pulse status",
	description:
		"Delivery health: queued, failed and dead messages, and the latest errors",
	usage: ["pulse status [--errors N]"],
	args: argsSchema({
		positionals: noWords,
		flags: { errors: intFlag(0, 20).optional() },
	}),
	async run(ctx, args) {
		const health = await deliveryHealth(
			ctx.pool,
			ctx.now,
			args.flags.errors ?? 5,
		);
		return { message: statusMessage(health) };
	},
});

/** The health as a message; pure, so its wording is tested without a database. */
export function statusMessage(h: DeliveryHealth): ChatMessage {
	const severity: ChatSeverity =
		h.dead > 0 ? "high" : h.failed > 0 ? "medium" : "ok";
	const message: ChatMessage = {
		title: "Delivery status",
		severity,
		facts: [
			{ label: "Pending", value: String(h.pending) },
			{ label: "Sending", value: String(h.sending) },
			{ label: "Failed (retrying)", value: String(h.failed) },
			{ label: "Dead (gave up)", value: String(h.dead) },
			{ label: "Sent in the last day", value: String(h.sentLastDay) },
			{
				label: "Oldest waiting",
				value:
					h.oldestWaitingSeconds === null
						? "nothing waiting"
						: age(h.oldestWaitingSeconds),
			},
		],
	};
	if (h.lastErrors.length > 0)
		message.table = {
			columns: ["Id", "Channel", "Kind", "Status", "Tries", "When", "Error"],
			rows: h.lastErrors.map((e) => [
				e.id,
				e.channel,
				e.kind,
				e.status,
				String(e.attempts),
				formatDateTime(e.at),
				e.error,
			]),
		};
	message.context = [
		h.dead > 0
			? "Dead deliveries are kept for the retention period; fix the cause (see Error) and re-send them by setting status back to pending."
			: "All deliveries are flowing.",
	];
	return message;
}

function age(seconds: number): string {
	if (seconds < 120) return `${seconds} s`;
	if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
	return `${Math.round(seconds / 3600)} h`;
}
