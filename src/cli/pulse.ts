/**
 * `erp-pulse pulse …`: monitors from the terminal. Each verb calls the platform-neutral service in
 * src/pulse/engine/ (the chat commands call the same functions) and prints plain text.
 */

import { FIRST_YEAR, isCalendarDay, LAST_YEAR } from "../calendar.ts";
import type { LoadedConfig } from "../config/load.ts";
import { loadSqlCatalog } from "../db/sql-catalog.ts";
import { AppError } from "../errors.ts";
import { connectorFor } from "../ingest/sources.ts";
import { createMetricCatalog } from "../metrics/index.ts";
import { pulseTemplatesDir, sqlDir } from "../paths.ts";
import type { PulseDeps } from "../pulse/engine/deps.ts";
import {
	acceptTuning,
	actOnAlert,
	tuningProposal,
} from "../pulse/engine/feedback.ts";
import { monitorFromText } from "../pulse/engine/natural-create.ts";
import {
	describeCondition,
	describeRun,
	type MonitorSummary,
	monitorDetails,
	monitorSummaries,
	pauseMonitor,
	runMonitorNow,
	statusText,
	testMonitor,
} from "../pulse/engine/service.ts";
import { rollbackMonitor } from "../pulse/engine/store.ts";
import {
	addFromTemplate,
	loadTemplates,
	type MonitorTemplate,
} from "../pulse/engine/templates.ts";
import { type Io, table, type Values, withDatabase } from "./io.ts";
import { PULSE_USAGE } from "./usage.ts";

type Ctx = {
	deps: PulseDeps;
	templates: MonitorTemplate[];
	io: Io;
	values: Values;
	user: string;
};

const VERBS: Record<
	string,
	{ args: [number, number]; run: (c: Ctx, a: string[]) => Promise<number> }
> = {
	list: { args: [0, 0], run: list },
	show: { args: [1, 1], run: show },
	templates: { args: [0, 0], run: listTemplates },
	create: { args: [1, 1], run: create },
	"add-template": { args: [1, 1], run: addTemplate },
	test: { args: [1, 1], run: test },
	run: { args: [1, 1], run: runNow },
	pause: {
		args: [1, 1],
		run: (c, [id]) => pause(c, id as string, "paused by hand"),
	},
	resume: { args: [1, 1], run: (c, [id]) => pause(c, id as string, null) },
	rollback: { args: [2, 2], run: rollback },
	feedback: { args: [2, 2], run: feedback },
	tune: { args: [1, 1], run: tune },
};

export async function pulseCli(
	loaded: LoadedConfig,
	args: string[],
	values: Values,
	io: Io,
): Promise<number> {
	const [verb, ...rest] = args;
	const spec = verb ? VERBS[verb] : undefined;
	if (!spec || rest.length < spec.args[0] || rest.length > spec.args[1])
		throw new AppError("usage", `expected one of:\n${PULSE_USAGE}`);
	return withDatabase(loaded, io, async (pool, log) => {
		const { config } = loaded;
		const catalog = createMetricCatalog({ currency: config.currency });
		const deps: PulseDeps = {
			pool,
			monitorPool: pool,
			sql: loadSqlCatalog(sqlDir),
			config: config.pulse,
			timeZone: config.timeZone,
			log,
			catalog,
			connectorFor: (s) => connectorFor(config, s),
		};
		const templates = loadTemplates(pulseTemplatesDir, catalog);
		const user = io.env.USER ? `cli:${io.env.USER}` : "cli";
		return spec.run({ deps, templates, io, values, user }, rest);
	});
}

function pct(p: number | null): string {
	return p === null ? "—" : `${Math.round(p * 100)}%`;
}

function line(s: MonitorSummary): string[] {
	return [
		s.id,
		s.name,
		s.watches,
		s.condition,
		s.frequency,
		statusText(s),
		`${pct(s.precision)} (${s.truePositives}/${s.truePositives + s.falsePositives})`,
		String(s.openAlerts),
	];
}

async function list(c: Ctx): Promise<number> {
	const all = await monitorSummaries(c.deps);
	if (all.length === 0) {
		c.io.out(
			'No monitors yet. Try: erp-pulse pulse add-template margin-drop-by-region, or pulse create "alert me when revenue drops more than 15% week over week".',
		);
		return 0;
	}
	const rows = [
		[
			"id",
			"name",
			"watches",
			"condition",
			"frequency",
			"status",
			"precision",
			"open",
		],
		...all.map(line),
	];
	for (const l of table(rows)) c.io.out(l);
	return 0;
}

async function show(c: Ctx, [ref]: string[]): Promise<number> {
	const d = await monitorDetails(c.deps, ref as string);
	const s = d.summary;
	const r = d.stored.row;
	c.io.out(`${s.name}  (${s.id})`);
	c.io.out(
		`  watches     ${s.watches}${r.sql_query ? `:\n${r.sql_query.replace(/^/gm, "      ")}` : ` ${JSON.stringify(r.target)}`}`,
	);
	c.io.out(
		`  condition   ${s.condition}  ${JSON.stringify(r.alert_condition)}`,
	);
	c.io.out(
		`  severity    ${s.severity}; ${s.frequency}; channels ${r.channels.join(", ") || c.deps.config.defaultChannel}`,
	);
	c.io.out(
		`  status      ${s.status}${r.paused_reason ? ` (${r.paused_reason})` : ""}; lifecycle ${d.lifecycle}; version ${r.query_version}`,
	);
	c.io.out(
		`  precision   ${pct(s.precision)}: ${s.truePositives} real, ${s.falsePositives} false alarms`,
	);
	if (d.stored.problems.length)
		c.io.out(`  INVALID     ${d.stored.problems.join("; ")}`);
	c.io.out("versions:");
	for (const v of d.versions)
		c.io.out(
			`  v${v.version}  ${v.created_at.toISOString()}  ${v.change_reason ?? ""}`,
		);
	c.io.out("recent runs:");
	for (const x of d.runs) {
		const r = describeRun(x);
		c.io.out(
			`  ${x.executed_at.toISOString()}  ${r.result.toUpperCase().padEnd(7)} ${r.detail}${x.outcome === "ran" ? `  (${x.execution_duration_ms} ms)` : ""}`,
		);
	}
	c.io.out("recent alerts:");
	for (const a of d.alerts)
		c.io.out(
			`  ${a.id}  ${a.detected_at.toISOString()}  ${a.resolved_at ? "resolved" : "open"}  ×${a.count}  ${a.feedback ?? "no feedback"}  ${a.message}`,
		);
	return 0;
}

async function listTemplates(c: Ctx): Promise<number> {
	for (const t of c.templates) {
		const params = Object.entries(t.parameters).map(
			([k, p]) => `${k}=${p.default}`,
		);
		c.io.out(
			`${t.name.padEnd(36)} ${t.audience.padEnd(12)} ${t.title}${params.length ? `  [${params.join(" ")}]` : ""}`,
		);
	}
	return 0;
}

function params(values: Values): Record<string, string> {
	const raw = values.param;
	const list = Array.isArray(raw) ? raw : typeof raw === "string" ? [raw] : [];
	return Object.fromEntries(
		list.map((p) => {
			const i = p.indexOf("=");
			if (i < 1) throw new AppError("usage", `--param expects k=v, got "${p}"`);
			return [p.slice(0, i), p.slice(i + 1)];
		}),
	);
}

async function create(c: Ctx, [text]: string[]): Promise<number> {
	const save = c.values.yes === true;
	const r = await monitorFromText(c.deps, c.templates, text as string, {
		save,
		userId: c.user,
	});
	if (!r.parsed.ok) {
		c.io.err(r.parsed.reason);
		if (r.parsed.suggestions.length)
			c.io.err(
				`Closest: ${r.parsed.suggestions.join(", ")} (erp-pulse pulse templates lists them all).`,
			);
		return 1;
	}
	c.io.out(`Understood: ${r.parsed.understood.summary}.`);
	c.io.out(JSON.stringify(r.definition, null, 2));
	if (r.saved) c.io.out(`Saved as ${r.saved.row.id}.`);
	else c.io.out("Not saved. Run again with --yes to save it.");
	return 0;
}

async function addTemplate(c: Ctx, [name]: string[]): Promise<number> {
	const m = await addFromTemplate(
		c.deps,
		c.templates,
		name as string,
		params(c.values),
		{ userId: c.user },
	);
	c.io.out(
		`Created ${m.row.id}: ${m.row.name} (${m.monitor ? describeCondition(m.monitor.condition) : "?"}, ${m.row.frequency}).`,
	);
	return 0;
}

function asOf(values: Values): Date | undefined {
	const v = values["as-of"];
	if (v === undefined) return undefined;
	if (typeof v !== "string" || !isCalendarDay(v))
		throw new AppError(
			"usage",
			`--as-of expects a real date YYYY-MM-DD from ${FIRST_YEAR} to ${LAST_YEAR}, like 2026-10-31, got "${String(v)}"`,
		);
	return new Date(`${v}T12:00:00Z`);
}

async function test(c: Ctx, [ref]: string[]): Promise<number> {
	const o = await testMonitor(c.deps, ref as string, asOf(c.values));
	c.io.out(
		`${o.error ? "ERROR" : o.evaluation.breached ? "BREACH" : "ok"}: ${o.evaluation.detail} (${o.durationMs} ms${o.rows ? `, ${o.rows.length} rows` : ""})`,
	);
	return o.error ? 1 : 0;
}

async function runNow(c: Ctx, [ref]: string[]): Promise<number> {
	const r = await runMonitorNow(c.deps, ref as string, asOf(c.values));
	c.io.out(
		`${r.error ? "ERROR" : r.evaluation?.breached ? "BREACH" : "ok"}: ${r.evaluation?.detail ?? ""}`,
	);
	for (const a of r.actions) c.io.out(`  ${a.type}: ${a.reason}`);
	if (r.alertId)
		c.io.out(`  alert ${r.alertId}; ${r.deliveries} deliveries queued`);
	if (r.paused) c.io.out(`  paused: ${r.paused}`);
	return r.error ? 1 : 0;
}

async function pause(
	c: Ctx,
	ref: string,
	reason: string | null,
): Promise<number> {
	const m = await pauseMonitor(c.deps, ref, reason);
	c.io.out(
		`${m.row.name}: ${m.row.paused_reason ? `paused (${m.row.paused_reason})` : "running; it runs at the next tick"}.`,
	);
	return 0;
}

async function rollback(c: Ctx, [ref, version]: string[]): Promise<number> {
	const v = Number(version);
	if (!Number.isInteger(v))
		throw new AppError(
			"usage",
			`rollback expects a version number, got "${version}"`,
		);
	const m = await rollbackMonitor(c.deps, ref as string, v);
	c.io.out(
		`${m.row.name}: version ${v} restored as version ${m.row.query_version}.`,
	);
	return 0;
}

async function feedback(c: Ctx, [alertId, verdict]: string[]): Promise<number> {
	if (verdict !== "real" && verdict !== "false_alarm")
		throw new AppError(
			"usage",
			`feedback expects "real" or "false_alarm", got "${verdict}"`,
		);
	const r = await actOnAlert(c.deps, alertId as string, c.user, {
		type: "feedback",
		verdict,
	});
	c.io.out(r.message);
	if (r.tuning?.proposal)
		c.io.out(
			`Tuning proposal: ${r.tuning.proposal.explanation} Accept with: erp-pulse pulse tune ${r.monitorId} --accept`,
		);
	return 0;
}

async function tune(c: Ctx, [ref]: string[]): Promise<number> {
	if (c.values.accept === true) {
		const r = await acceptTuning(c.deps, ref as string);
		c.io.out(
			`Saved as version ${r.monitor.row.query_version}: ${r.explanation}`,
		);
		return 0;
	}
	const r = await tuningProposal(c.deps, ref as string);
	c.io.out(
		r.proposal
			? `${r.proposal.explanation} Accept with --accept.`
			: `No proposal: ${r.reason}.`,
	);
	return 0;
}
