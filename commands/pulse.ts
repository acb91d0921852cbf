/**
 * `pulse list|show|history|templates|create|add|test|run|pause|resume|rollback|feedback|tune`:
 * the monitor verbs, defined once. Slack, Discord, the playground and `erp-pulse pulse …` all
 * reach them through this command (the CLI hands its words to the same dispatcher), so there is
 * one grammar and one wording. Each verb calls the platform-neutral service in src/pulse/engine/.
 * `pulse status` is its own command.
 */
import { z } from "zod";
import { escapeMarkup } from "../src/chat/markup.ts";
import { type ChatMessage, formatDateTime } from "../src/chat/message.ts";
import { AppError } from "../src/errors.ts";
import type { PulseDeps } from "../src/pulse/engine/deps.ts";
import {
	acceptTuning,
	actOnAlert,
	tuningProposal,
} from "../src/pulse/engine/feedback.ts";
import { monitorFromText } from "../src/pulse/engine/natural-create.ts";
import {
	describeCondition,
	describeRun,
	monitorDetails,
	monitorSummaries,
	pauseMonitor,
	runMonitorNow,
	statusText,
	testMonitor,
} from "../src/pulse/engine/service.ts";
import { findMonitor, rollbackMonitor } from "../src/pulse/engine/store.ts";
import {
	addFromTemplate,
	type MonitorTemplate,
} from "../src/pulse/engine/templates.ts";
import { dayFlag } from "./args.ts";
import { problemReply } from "./dispatch.ts";
import { mayEditMonitors, pulseDepsFrom } from "./pulse-deps.ts";
import { defineCommand, type Reply } from "./types.ts";

/** What a verb's `run` gets: the engine's deps, the templates and who asked. */
interface VerbContext {
	deps: PulseDeps;
	templates: readonly MonitorTemplate[];
	/** The actor name the alert buttons record too (src/pulse/engine/chat-actions.ts). */
	user: string;
	now: Date;
	words: string[];
	args: PulseArgs;
}

type PulseArgs = {
	positionals: string[];
	flags: { yes?: true; "as-of"?: string; accept?: true };
	pairs: Record<string, string>;
};

/**
 * One monitor verb: its usage line (the grammar chat, Discord and `erp-pulse pulse` share), what
 * it does, how many words follow it, the options it takes and whether it changes monitors (only
 * the monitor admins may).
 */
interface Verb {
	usage: string;
	does: string;
	words: [min: number, max: number];
	flags?: readonly (keyof PulseArgs["flags"])[];
	pairs?: boolean;
	admin?: (args: PulseArgs) => boolean;
	run(c: VerbContext): Promise<Reply>;
}

const always = () => true;

/** The monitor verbs, in the order `help pulse` and `erp-pulse --help` list them. */
const VERBS: Record<string, Verb> = {
	list: {
		usage: "pulse list",
		does: "the monitors with their status, precision and open alerts",
		words: [0, 0],
		run: list,
	},
	show: {
		usage: "pulse show <id>",
		does: "one monitor: its rule, query, schedule, status and open alerts",
		words: [1, 1],
		run: show,
	},
	history: {
		usage: "pulse history <id>",
		does: "a monitor's versions and recent runs",
		words: [1, 1],
		run: history,
	},
	templates: {
		usage: "pulse templates",
		does: "the monitor templates and their parameters",
		words: [0, 0],
		run: templatesList,
	},
	create: {
		usage: 'pulse create "<text>" [--yes]',
		does: "a monitor from a sentence; saved only with --yes",
		words: [1, 1],
		flags: ["yes"],
		admin: always,
		run: create,
	},
	add: {
		usage: "pulse add <template> [k=v …]",
		does: "a monitor from a template, with its parameters",
		words: [1, 1],
		pairs: true,
		admin: always,
		run: add,
	},
	test: {
		usage: "pulse test <id> [--as-of YYYY-MM-DD]",
		does: "run the query and evaluate the rule now (or as of a day), storing nothing",
		words: [1, 1],
		flags: ["as-of"],
		run: test,
	},
	run: {
		usage: "pulse run <id> [--as-of YYYY-MM-DD]",
		does: "run once now (or as of a day) and store the result, alerts included",
		words: [1, 1],
		flags: ["as-of"],
		admin: always,
		run: runNow,
	},
	pause: {
		usage: "pulse pause <id>",
		does: "stop a monitor's runs",
		words: [1, 1],
		admin: always,
		run: (c) => pause(c, "pause"),
	},
	resume: {
		usage: "pulse resume <id>",
		does: "schedule a paused monitor again",
		words: [1, 1],
		admin: always,
		run: (c) => pause(c, "resume"),
	},
	rollback: {
		usage: "pulse rollback <id> <version>",
		does: "restore an earlier query and rule as a new version",
		words: [2, 2],
		admin: always,
		run: rollback,
	},
	feedback: {
		usage: "pulse feedback <alertId> real|false_alarm",
		does: "say whether an alert was real or a false alarm",
		words: [2, 2],
		run: feedback,
	},
	tune: {
		usage: "pulse tune <id> [--accept]",
		does: "the tuning proposal from feedback; --accept saves it",
		words: [1, 1],
		flags: ["accept"],
		admin: (a) => a.flags.accept === true,
		run: tune,
	},
};

/** The usage lines of the monitor verbs (`pulse status` is its own command). */
export const PULSE_VERB_USAGE: readonly string[] = Object.values(VERBS).map(
	(v) => v.usage,
);

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const pct = (p: number | null) =>
	p === null ? "—" : `${Math.round(p * 100)}%`;

export const pulseCommand = defineCommand({
	name: "pulse",
	description:
		"Pulse monitors: list, show, create, add, test, run, pause, tune and feedback",
	usage: PULSE_VERB_USAGE,
	forms: Object.fromEntries(Object.values(VERBS).map((v) => [v.usage, v.does])),
	args: z.object({
		positionals: z.array(z.string()),
		flags: z.strictObject({
			yes: z.literal(true, { error: "--yes takes no value" }).optional(),
			accept: z.literal(true, { error: "--accept takes no value" }).optional(),
			"as-of": dayFlag().optional(),
		}),
		pairs: z.record(z.string(), z.string()),
	}),
	async run(ctx, args): Promise<Reply> {
		const [rawVerb, ...words] = args.positionals;
		const name = rawVerb?.toLowerCase() ?? "";
		const verb = Object.hasOwn(VERBS, name) ? VERBS[name] : undefined;
		if (!verb)
			return problemReply(
				`pulse ${name}`.trim(),
				`${name ? `${code(`pulse ${name}`)} is not a command. ` : ""}${code("pulse")} needs one of: ${["pulse status", ...PULSE_VERB_USAGE].map(code).join(", ")}.`,
			);
		const wrong = (text: string) =>
			problemReply(`pulse ${name}: check the arguments`, text);
		if (words.length < verb.words[0] || words.length > verb.words[1])
			return wrong(
				`Usage: ${code(verb.usage)}${name === "create" ? ' (put the sentence in quotes: pulse create "alert me when revenue drops more than 15% week over week")' : ""}`,
			);
		const stray = (Object.keys(args.flags) as (keyof PulseArgs["flags"])[])
			.filter((f) => args.flags[f] !== undefined)
			.find((f) => !verb.flags?.includes(f));
		if (stray)
			return wrong(
				`${code(`--${stray}`)} goes only with ${Object.values(VERBS)
					.filter((v) => v.flags?.includes(stray))
					.map((v) => code(v.usage.split(" ").slice(0, 2).join(" ")))
					.join(" and ")}.`,
			);
		if (Object.keys(args.pairs).length > 0 && !verb.pairs)
			return wrong(
				`k=v parameters go only with ${code("pulse add <template>")}.`,
			);
		if (verb.admin?.(args) && !mayEditMonitors(ctx))
			return {
				message: {
					title: `pulse ${name}: not allowed`,
					text: "Only the monitor admins (chat.monitorAdmins in the config) may create, add, run, pause, resume, roll back or tune monitors. Ask one of them.",
				},
				ephemeral: true,
				problem: true,
			};
		const { deps, templates } = pulseDepsFrom(ctx);
		try {
			return await verb.run({
				deps,
				templates,
				user: ctx.user.name ?? ctx.user.id,
				now: ctx.now,
				words,
				args,
			});
		} catch (err) {
			if (
				err instanceof AppError &&
				(err.code === "pulse_not_found" ||
					err.code === "pulse_invalid" ||
					err.code === "usage")
			)
				return problemReply(
					`pulse ${name}: ${err.code === "pulse_not_found" ? "not found" : "check the arguments"}`,
					`${escapeMarkup(err.message)}${err.code === "pulse_not_found" ? ` ${code("pulse list")} shows the monitors.` : `\nUsage: ${code(verb.usage)}`}`,
				);
			throw err;
		}
	},
});

async function list(c: VerbContext): Promise<Reply> {
	const all = await monitorSummaries(c.deps);
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

async function show(c: VerbContext): Promise<Reply> {
	const d = await monitorDetails(c.deps, c.words[0] as string);
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
		// A SQL monitor's query as it is stored, laid out as written.
		...(r.sql_query ? { pre: r.sql_query } : {}),
		context: [
			`Channels: ${r.channels.join(", ") || c.deps.config.defaultChannel}`,
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

async function history(c: VerbContext): Promise<Reply> {
	const d = await monitorDetails(c.deps, c.words[0] as string);
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

async function templatesList(c: VerbContext): Promise<Reply> {
	return {
		message: {
			title: `Monitor templates (${c.templates.length})`,
			table: {
				columns: ["Template", "For", "What it watches", "Parameters"],
				rows: c.templates.map((t) => [
					t.name,
					t.audience,
					t.title,
					Object.entries(t.parameters)
						.map(([k, p]) => `${k}=${p.default}`)
						.join(" "),
				]),
			},
			context: [
				"Add one with pulse add <template> [k=v …], e.g. pulse add margin-drop-by-region drop_points=5.",
			],
		},
	};
}

async function create(c: VerbContext): Promise<Reply> {
	const text = c.words[0] as string;
	const r = await monitorFromText(c.deps, c.templates, text, {
		save: c.args.flags.yes === true,
		userId: c.user,
	});
	if (!r.parsed.ok)
		return problemReply(
			"pulse create: not understood",
			`${escapeMarkup(r.parsed.reason)}${r.parsed.suggestions.length ? `\nClosest templates: ${r.parsed.suggestions.map(code).join(", ")} (add one with ${code("pulse add <template>")}).` : ""}`,
		);
	const facts = r.definition
		? [{ label: "Name", value: r.definition.name }]
		: [];
	const definition = JSON.stringify(r.definition, null, 2);
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
				pre: definition,
			},
		};
	return {
		message: {
			title: "Monitor not saved yet",
			text: `Understood: ${escapeMarkup(r.parsed.understood.summary)}.\nTo save it, run ${code(`pulse create "${text}" --yes`)}.`,
			facts,
			pre: definition,
		},
		ephemeral: true,
	};
}

async function add(c: VerbContext): Promise<Reply> {
	const m = await addFromTemplate(
		c.deps,
		c.templates,
		c.words[0] as string,
		c.args.pairs,
		{ userId: c.user },
	);
	return {
		message: {
			title: `Monitor created: ${m.row.name}`,
			severity: "ok",
			facts: [
				{ label: "Id", value: m.row.id },
				{
					label: "Condition",
					value: m.monitor ? describeCondition(m.monitor.condition) : "?",
				},
				{ label: "Frequency", value: m.row.frequency },
			],
		},
	};
}

/** `--as-of 2026-10-31`: noon UTC that day, so every time zone's "today" is that day. */
function asOf(c: VerbContext): Date | undefined {
	const day = c.args.flags["as-of"];
	return day === undefined ? undefined : new Date(`${day}T12:00:00Z`);
}

/** BREACH, ok or ERROR, as the run's headline. */
function verdict(error: string | null, breached: boolean | undefined): string {
	return error ? "ERROR" : breached ? "BREACH" : "ok";
}

async function test(c: VerbContext): Promise<Reply> {
	const o = await testMonitor(c.deps, c.words[0] as string, asOf(c) ?? c.now);
	const head = verdict(o.error, o.evaluation.breached);
	return {
		message: {
			title: `${o.monitor.row.name}: test ${head}`,
			severity: o.error ? "critical" : o.evaluation.breached ? "high" : "ok",
			text: escapeMarkup(o.evaluation.detail),
			facts: [
				{ label: "Took", value: `${o.durationMs} ms` },
				...(o.rows ? [{ label: "Rows", value: String(o.rows.length) }] : []),
			],
			context: ["A test stores nothing and alerts no one."],
		},
		...(o.error ? { failed: true } : {}),
	};
}

async function runNow(c: VerbContext): Promise<Reply> {
	const ref = c.words[0] as string;
	const r = await runMonitorNow(c.deps, ref, asOf(c));
	const head = verdict(r.error, r.evaluation?.breached);
	const context = [
		...r.actions.map((a) => `${a.type}: ${a.reason}`),
		...(r.alertId
			? [`Alert ${r.alertId}; ${r.deliveries} deliveries queued.`]
			: []),
		...(r.paused ? [`Paused: ${r.paused}`] : []),
		...(r.skipped ? [`Skipped: ${r.skipped}`] : []),
	];
	return {
		message: {
			title: `pulse run ${ref}: ${head}`,
			severity: r.error ? "critical" : r.evaluation?.breached ? "high" : "ok",
			text: escapeMarkup(r.error ?? r.evaluation?.detail ?? ""),
			...(context.length ? { context } : {}),
		},
		...(r.error ? { failed: true } : {}),
	};
}

async function pause(c: VerbContext, verb: "pause" | "resume"): Promise<Reply> {
	const m = await pauseMonitor(
		c.deps,
		c.words[0] as string,
		verb === "pause" ? `paused by ${c.user}` : null,
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

async function rollback(c: VerbContext): Promise<Reply> {
	const [ref, version] = c.words as [string, string];
	if (!/^\d{1,9}$/.test(version))
		throw new AppError(
			"usage",
			`rollback expects a version number (pulse history ${ref} lists them), got "${version}"`,
		);
	const v = Number(version);
	const before = (await findMonitor(c.deps, ref)).row.query_version;
	const m = await rollbackMonitor(c.deps, ref, v);
	// The same query and rule as now: nothing to restore, and no new version.
	if (m.row.query_version === before)
		return {
			message: {
				title: `${m.row.name}: nothing to roll back`,
				text: `Version ${v} has the same query and rule as the current version ${before}; nothing changed.`,
			},
		};
	return {
		message: {
			title: `${m.row.name}: rolled back`,
			severity: "ok",
			text: `Version ${v} restored as version ${m.row.query_version}.`,
		},
	};
}

async function feedback(c: VerbContext): Promise<Reply> {
	const [alertId, said] = c.words as [string, string];
	const verdict = said.toLowerCase();
	if (verdict !== "real" && verdict !== "false_alarm")
		return problemReply(
			"pulse feedback: real or false_alarm?",
			`Say whether the alert was ${code("real")} or a ${code("false_alarm")}, e.g. ${code(`pulse feedback ${alertId} real`)}.`,
		);
	const r = await actOnAlert(c.deps, alertId, c.user, {
		type: "feedback",
		verdict,
	});
	const message: ChatMessage = {
		title: "Feedback recorded",
		text: escapeMarkup(r.message),
	};
	if (r.tuning?.proposal)
		message.context = [
			`Tuning proposal: ${r.tuning.proposal.explanation} Accept with: pulse tune ${r.monitorId} --accept`,
		];
	return { message, ephemeral: true };
}

async function tune(c: VerbContext): Promise<Reply> {
	const ref = c.words[0] as string;
	if (c.args.flags.accept === true) {
		const r = await acceptTuning(c.deps, ref);
		return {
			message: {
				title: `${r.monitor.row.name}: tuned`,
				severity: "ok",
				text: escapeMarkup(
					`Saved as version ${r.monitor.row.query_version}: ${r.explanation}`,
				),
			},
		};
	}
	const r = await tuningProposal(c.deps, ref);
	return {
		message: {
			title: `pulse tune ${ref}`,
			text: escapeMarkup(
				r.proposal
					? `${r.proposal.explanation} Accept with pulse tune ${ref} --accept.`
					: `No proposal: ${r.reason}.`,
			),
		},
	};
}
