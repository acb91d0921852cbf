/**
 * `pulse list|show|history|create|add|pause|resume|feedback`: monitors from chat, through the same
 * service functions as `erp-pulse pulse` (src/pulse/engine/). `pulse status` is its own command.
 */
import { z } from "zod";
import { escapeMarkup } from "../src/chat/markup.ts";
import { type ChatMessage, formatDateTime } from "../src/chat/message.ts";
import { AppError } from "../src/errors.ts";
import { actOnAlert } from "../src/pulse/engine/feedback.ts";
import { monitorFromText } from "../src/pulse/engine/natural-create.ts";
import {
	describeCondition,
	describeRun,
	monitorDetails,
	monitorSummaries,
	pauseMonitor,
	statusText,
} from "../src/pulse/engine/service.ts";
import { addFromTemplate } from "../src/pulse/engine/templates.ts";
import { problemReply } from "./dispatch.ts";
import { mayEditMonitors, pulseDepsFrom } from "./pulse-deps.ts";
import { defineCommand, type Reply } from "./types.ts";

const USAGE = [
	"pulse list",
	"pulse show <id>",
	"pulse history <id>",
	'pulse create "<text>" [--yes]',
	"pulse add <template> [k=v …]",
	"pulse pause <id>",
	"pulse resume <id>",
	"pulse feedback <alertId> real|false_alarm",
];

/** verb → [min words, max words] after the verb; `add` takes its parameters as k=v pairs. */
const VERBS: Record<string, [number, number]> = {
	list: [0, 0],
	show: [1, 1],
	history: [1, 1],
	create: [1, 1],
	add: [1, 1],
	pause: [1, 1],
	resume: [1, 1],
	feedback: [2, 2],
};
const ADMIN_VERBS = new Set(["create", "add", "pause", "resume"]);

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const pct = (p: number | null) =>
	p === null ? "—" : `${Math.round(p * 100)}%`;

export const pulseCommand = defineCommand({
	name: "pulse",
	description: "Pulse monitors: list, show, create, add, pause and feedback",
	usage: USAGE,
	forms: {
		"pulse list": "the monitors with their status, precision and open alerts",
		"pulse show <id>":
			"one monitor: its rule, schedule, recent runs and alerts",
		"pulse history <id>": "a monitor's versions",
		'pulse create "<text>" [--yes]':
			"a monitor from a sentence; saved only with --yes",
		"pulse add <template> [k=v …]": "a monitor from a template",
		"pulse pause <id>": "stop a monitor's runs",
		"pulse resume <id>": "schedule a paused monitor again",
		"pulse feedback <alertId> real|false_alarm":
			"say whether an alert was real or a false alarm",
	},
	args: z.object({
		positionals: z.array(z.string()),
		flags: z.strictObject({
			yes: z.literal(true, { error: "--yes takes no value" }).optional(),
		}),
		pairs: z.record(z.string(), z.string()),
	}),
	async run(ctx, args): Promise<Reply> {
		const [rawVerb, ...words] = args.positionals;
		const verb = rawVerb?.toLowerCase() ?? "";
		const spec = VERBS[verb];
		if (!spec)
			return problemReply(
				`pulse ${verb}`.trim(),
				`${verb ? `${code(`pulse ${verb}`)} is not a command. ` : ""}${code("pulse")} needs one of: ${["pulse status", ...USAGE].map(code).join(", ")}.`,
			);
		const usage = USAGE.find(
			(u) => u.startsWith(`pulse ${verb} `) || u === `pulse ${verb}`,
		) as string;
		if (words.length < spec[0] || words.length > spec[1])
			return problemReply(
				`pulse ${verb}: check the arguments`,
				`Usage: ${code(usage)}${verb === "create" ? ' (put the sentence in quotes: pulse create "alert me when revenue drops more than 15% week over week")' : ""}`,
			);
		if (args.flags.yes && verb !== "create")
			return problemReply(
				`pulse ${verb}: check the arguments`,
				`${code("--yes")} goes only with ${code("pulse create")}.`,
			);
		if (Object.keys(args.pairs).length > 0 && verb !== "add")
			return problemReply(
				`pulse ${verb}: check the arguments`,
				`k=v parameters go only with ${code("pulse add <template>")}.`,
			);
		if (ADMIN_VERBS.has(verb) && !mayEditMonitors(ctx))
			return {
				message: {
					title: `pulse ${verb}: not allowed`,
					text: "Only the monitor admins (chat.monitorAdmins in the config) may create, add, pause or resume monitors. Ask one of them.",
				},
				ephemeral: true,
				problem: true,
			};
		const { deps, templates } = pulseDepsFrom(ctx);
		// The same actor name the alert buttons record (src/pulse/engine/chat-actions.ts).
		const user = ctx.user.name ?? ctx.user.id;
		const arg = words[0] as string;
		try {
			switch (verb) {
				case "list": {
					const all = await monitorSummaries(deps);
					if (all.length === 0)
						return {
							message: {
								title: "Monitors",
								text: `No monitors yet. Try ${code("pulse add margin-drop-by-region")} or ${code('pulse create "alert me when revenue drops more than 15% week over week"')}.`,
							},
						};
					return {
						message: {
							title: `Monitors (${all.length})`,
							table: {
								columns: [
									"Id",
									"Name",
									"Watches",
									"Condition",
									"Frequency",
									"Status",
									"Precision",
									"Open",
								],
								rows: all.map((s) => [
									s.id,
									s.name,
									s.watches,
									s.condition,
									s.frequency,
									statusText(s),
									`${pct(s.precision)} (${s.truePositives}/${s.truePositives + s.falsePositives})`,
									String(s.openAlerts),
								]),
							},
						},
					};
				}
				case "show": {
					const d = await monitorDetails(deps, arg);
					const s = d.summary;
					const r = d.stored.row;
					const message: ChatMessage = {
						title: s.name,
						severity: "info",
						facts: [
							{ label: "Id", value: s.id },
							{ label: "Watches", value: s.watches },
							{ label: "Condition", value: s.condition },
							{ label: "Severity", value: s.severity },
							{ label: "Frequency", value: s.frequency },
							{
								label: "Status",
								value: `${s.status}${r.paused_reason ? ` (${r.paused_reason})` : ""}; ${d.lifecycle}`,
							},
							{
								label: "Precision",
								value: `${pct(s.precision)}: ${s.truePositives} real, ${s.falsePositives} false alarms`,
							},
							{ label: "Version", value: String(r.query_version) },
							{ label: "Open alerts", value: String(s.openAlerts) },
						],
						context: [
							`Channels: ${r.channels.join(", ") || deps.config.defaultChannel}`,
						],
					};
					if (d.stored.problems.length)
						message.text = `*Invalid:* ${escapeMarkup(d.stored.problems.join("; "))}`;
					if (d.alerts.length)
						message.table = {
							columns: ["Alert", "Detected", "State", "Feedback", "Message"],
							rows: d.alerts.map((a) => [
								a.id,
								formatDateTime(a.detected_at),
								a.resolved_at ? "resolved" : "open",
								a.feedback ?? "",
								a.message,
							]),
						};
					return { message };
				}
				case "history": {
					const d = await monitorDetails(deps, arg);
					const message: ChatMessage = {
						title: `${d.summary.name}: history`,
						text: d.versions
							.map(
								(v) =>
									`*v${v.version}* ${escapeMarkup(formatDateTime(v.created_at))} ${escapeMarkup(v.change_reason ?? "")}`,
							)
							.join("\n"),
						context: [`Monitor ${d.summary.id}; recent runs below.`],
					};
					if (d.runs.length)
						message.table = {
							columns: ["Run", "Result", "Detail", "ms"],
							rows: d.runs.map((x) => {
								const r = describeRun(x);
								return [
									formatDateTime(x.executed_at),
									r.result,
									r.detail,
									String(x.execution_duration_ms ?? ""),
								];
							}),
						};
					else message.context?.push("It has not run yet.");
					return { message };
				}
				case "create": {
					const save = args.flags.yes === true;
					const r = await monitorFromText(deps, templates, arg, {
						save,
						userId: user,
					});
					if (!r.parsed.ok)
						return problemReply(
							"pulse create: not understood",
							`${escapeMarkup(r.parsed.reason)}${r.parsed.suggestions.length ? `\nClosest templates: ${r.parsed.suggestions.map(code).join(", ")} (add one with ${code("pulse add <template>")}).` : ""}`,
						);
					const facts = r.definition
						? [{ label: "Name", value: r.definition.name }]
						: [];
					if (r.saved)
						return {
							message: {
								title: `Monitor created: ${r.saved.row.name}`,
								severity: "ok",
								text: `Understood: ${escapeMarkup(r.parsed.understood.summary)}.`,
								facts: [
									{ label: "Id", value: r.saved.row.id },
									...facts,
									{
										label: "Condition",
										value: r.saved.monitor
											? describeCondition(r.saved.monitor.condition)
											: "?",
									},
									{ label: "Frequency", value: r.saved.row.frequency },
								],
							},
						};
					return {
						message: {
							title: "Monitor not saved yet",
							text: `Understood: ${escapeMarkup(r.parsed.understood.summary)}.\nTo save it, run ${code(`pulse create "${arg}" --yes`)}.`,
							facts,
						},
						ephemeral: true,
					};
				}
				case "add": {
					const m = await addFromTemplate(deps, templates, arg, args.pairs, {
						userId: user,
					});
					return {
						message: {
							title: `Monitor created: ${m.row.name}`,
							severity: "ok",
							facts: [
								{ label: "Id", value: m.row.id },
								{
									label: "Condition",
									value: m.monitor
										? describeCondition(m.monitor.condition)
										: "?",
								},
								{ label: "Frequency", value: m.row.frequency },
							],
						},
					};
				}
				case "pause":
				case "resume": {
					const m = await pauseMonitor(
						deps,
						arg,
						verb === "pause" ? `paused by ${user}` : null,
					);
					return {
						message: {
							title: `${m.row.name}: ${m.row.paused_reason ? "paused" : "resumed"}`,
							text: escapeMarkup(
								m.row.paused_reason
									? `Paused (${m.row.paused_reason}). Resume with pulse resume ${m.row.id}.`
									: "Running; it runs at the next tick.",
							),
						},
					};
				}
				case "feedback": {
					const verdict = (words[1] as string).toLowerCase();
					if (verdict !== "real" && verdict !== "false_alarm")
						return problemReply(
							"pulse feedback: real or false_alarm?",
							`Say whether the alert was ${code("real")} or a ${code("false_alarm")}, e.g. ${code(`pulse feedback ${arg} real`)}.`,
						);
					const r = await actOnAlert(deps, arg, user, {
						type: "feedback",
						verdict,
					});
					const message: ChatMessage = {
						title: "Feedback recorded",
						text: escapeMarkup(r.message),
					};
					if (r.tuning?.proposal)
						message.context = [
							`Tuning proposal: ${r.tuning.proposal.explanation} Accept with: erp-pulse pulse tune ${r.monitorId} --accept`,
						];
					return { message, ephemeral: true };
				}
			}
		} catch (err) {
			if (
				err instanceof AppError &&
				(err.code === "pulse_not_found" ||
					err.code === "pulse_invalid" ||
					err.code === "usage")
			)
				return problemReply(
					`pulse ${verb}: ${err.code === "pulse_not_found" ? "not found" : "check the arguments"}`,
					`${escapeMarkup(err.message)}${err.code === "pulse_not_found" ? ` ${code("pulse list")} shows the monitors.` : `\nUsage: ${code(usage)}`}`,
				);
			throw err;
		}
		return problemReply("pulse", `Usage: ${USAGE.map(code).join(", ")}`);
	},
});
