/**
 * `pulse status`: is the bot getting its messages out, and are its monitors running? Outbox
 * counts (pending, sending, failed, dead, sent in the last day), how long the oldest message has
 * waited, and the latest errors; then the scheduler: monitors overdue by more than one period,
 * the last day's ticks (ran, skipped and why) and queues with a job past its expiry.
 */
import { type DeliveryHealth, deliveryHealth } from "../src/chat/health.ts";
import type { ChatMessage, ChatSeverity } from "../src/chat/message.ts";
import { formatDateTime } from "../src/chat/message.ts";
import {
	type SchedulerHealth,
	schedulerHealth,
} from "../src/pulse/engine/liveness.ts";
import { argsSchema, intFlag, noWords } from "./args.ts";
import { defineCommand } from "./types.ts";

export const pulseStatusCommand = defineCommand({
	name: "pulse status",
	description:
		"Delivery and scheduler health: queued, failed and dead messages, overdue monitors, skipped ticks, stuck queues",
	usage: ["pulse status [--errors N]"],
	args: argsSchema({
		positionals: noWords,
		flags: { errors: intFlag(0, 20).optional() },
	}),
	async run(ctx, args) {
		const [health, scheduler] = await Promise.all([
			deliveryHealth(ctx.pool, ctx.now, args.flags.errors ?? 5),
			schedulerHealth(ctx.pool, {
				now: ctx.now,
				timeZone: ctx.config.timeZone,
				bossSchema: ctx.config.queue.schema,
			}),
		]);
		return { message: statusMessage(health, scheduler) };
	},
});

/** The health as a message; pure, so its wording is tested without a database. */
export function statusMessage(
	h: DeliveryHealth,
	s?: SchedulerHealth,
): ChatMessage {
	const stalled = (s?.overdue.length ?? 0) + (s?.stuckQueues.length ?? 0);
	const severity: ChatSeverity =
		h.dead > 0 || stalled > 0 ? "high" : h.failed > 0 ? "medium" : "ok";
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
	if (s) {
		message.title = "Delivery and scheduler status";
		message.facts?.push(...schedulerFacts(s));
		message.context.push(schedulerNote(s));
	}
	return message;
}

function schedulerFacts(s: SchedulerHealth) {
	const skipped = Object.entries(s.ticks.skippedBy)
		.map(([reason, n]) => `${n} ${reason}`)
		.join(", ");
	return [
		{
			label: "Monitors overdue",
			value:
				s.overdue.length === 0
					? "none"
					: `${s.overdue.length}: ${s.overdue
							.slice(0, 3)
							.map((m) => `${m.name} (${age(m.behindSeconds)} late)`)
							.join("; ")}${s.overdue.length > 3 ? "; …" : ""}`,
		},
		{
			label: "Ticks in the last day",
			value: `${s.ticks.ran} ran, ${s.ticks.skipped} skipped${skipped ? ` (${skipped})` : ""}`,
		},
		{
			label: "Stuck queues",
			value:
				s.stuckQueues.length === 0
					? "none"
					: s.stuckQueues
							.map(
								(q) =>
									`${q.queue}: ${q.jobs} ${q.state} for ${age(q.oldestSeconds)} (expiry ${age(q.expireSeconds)})`,
							)
							.join("; "),
		},
	];
}

function schedulerNote(s: SchedulerHealth): string {
	if (s.stuckQueues.length > 0)
		return "A queue has a job past its expiry: no bot process is serving it, or a handler is stuck. Check that a bot is running (erp-pulse doctor) and its log.";
	if (s.overdue.length > 0)
		return "Overdue monitors have had no tick run or accounted for in more than one period: check that a bot process is running and that pulse-tick is scheduled.";
	return "Every monitor's ticks are being run or accounted for.";
}

function age(seconds: number): string {
	if (seconds < 120) return `${seconds} s`;
	if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
	return `${Math.round(seconds / 3600)} h`;
}
