/**
 * Monitor templates: human-editable YAML in templates/pulse/, loaded into
 * pulse_monitor_templates at start-up (upsert by name). A template has typed parameters with
 * defaults; instantiating validates each one (a bad parameter is named) and substitutes it.
 *
 * In SQL a parameter becomes a literal of its checked type (a finite number, or text matching the
 * parameter's pattern, quoted), never raw user text; the resulting query is then checked and run
 * like any monitor query (one SELECT, restricted role, read-only). In the condition or target a
 * value that is exactly "{{name}}" becomes the typed value.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import { type MetricCatalog, orList } from "../../metrics/index.ts";
import { closest } from "../../metrics/resolve.ts";
import { canonicalJson } from "../fingerprint.ts";
import { formatIssues } from "../model.ts";
import type { PulseDeps } from "./deps.ts";
import { resolveTarget } from "./metric-input.ts";
import {
	createMonitor,
	type MonitorDefinition,
	type StoredMonitor,
	validateMonitor,
} from "./store.ts";

const parameterSchema = z
	.strictObject({
		type: z.enum(["number", "integer", "text"]),
		default: z.union([z.number(), z.string()]),
		min: z.number().optional(),
		max: z.number().optional(),
		/** Text parameters must match this pattern, anchored at both ends. */
		pattern: z.string().optional(),
		description: z.string(),
	})
	.refine((p) => p.type !== "text" || p.pattern !== undefined, {
		error:
			'a text parameter needs a pattern of the values it takes, e.g. pattern: "^(low|medium|high)$"',
		path: ["pattern"],
	});
export type TemplateParameter = z.infer<typeof parameterSchema>;

/**
 * The chart an alert from this template carries: a catalog metric over the periods up to the
 * alert, narrowed (optionally) to the entity the alert names — `filter.column` takes the value
 * from that column of the alert's first result row (the region, item or customer it is about).
 */
export const alertChartSpecSchema = z.strictObject({
	metric: z.string().min(1),
	grain: z.enum(["day", "week", "month"]).optional(),
	periods: z.int().min(4).max(60).default(13),
	filter: z
		.union([
			z.strictObject({
				dimension: z.string().min(1),
				value: z.string().min(1),
			}),
			z.strictObject({
				dimension: z.string().min(1),
				column: z.string().min(1),
			}),
		])
		.optional(),
});
export type AlertChartSpec = z.infer<typeof alertChartSpecSchema>;

/** One file in templates/pulse/. */
export const templateSchema = z.strictObject({
	name: z
		.string()
		.regex(/^[a-z0-9-]+$/, { error: "expected a lower-case-with-dashes name" }),
	audience: z.enum(["cfo", "supply_chain", "sales", "operations"]),
	title: z.string().min(1),
	description: z.string().min(1),
	natural_language: z.string().min(1),
	frequency: z.enum(["hourly", "daily", "weekly", "monthly"]),
	severity: z.enum(["low", "medium", "high", "critical"]),
	parameters: z
		.record(z.string().regex(/^[a-z_]+$/), parameterSchema)
		.default({}),
	target: z.record(z.string(), z.unknown()),
	condition: z.record(z.string(), z.unknown()),
	settings: z.record(z.string(), z.unknown()).default({}),
	chart: alertChartSpecSchema.optional(),
});
export type MonitorTemplate = z.infer<typeof templateSchema>;

/** Reads and validates every template; a broken file fails start-up, naming the file and field. */
export function loadTemplates(
	dir: string,
	catalog?: MetricCatalog,
): MonitorTemplate[] {
	const files = readdirSync(dir)
		.filter((f) => f.endsWith(".yaml"))
		.sort();
	return files.map((f) => {
		const file = path.join(dir, f);
		const r = templateSchema.safeParse(parse(readFileSync(file, "utf8")));
		if (!r.success)
			throw new AppError(
				"config_invalid",
				`${file}: ${formatIssues(r.error).join("; ")}`,
			);
		try {
			instantiate(r.data, {}, catalog);
			if (r.data.chart && catalog) {
				const c = r.data.chart;
				const resolved = resolveTarget(catalog, {
					metric: c.metric,
					...(c.grain ? { grain: c.grain } : {}),
					...(c.filter
						? { filter: { dimension: c.filter.dimension, value: "x" } }
						: {}),
				});
				if ("error" in resolved) throw new Error(`chart: ${resolved.error}`);
			}
		} catch (err) {
			throw new AppError(
				"config_invalid",
				`${file}: ${(err as Error).message}`,
				{ cause: err },
			);
		}
		return r.data;
	});
}

/** Checks one supplied value against its parameter; the error names the parameter. */
/** A number as people write it: digits with an optional sign and decimals (no hex, no exponent). */
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

function checkParameter(
	name: string,
	p: TemplateParameter,
	raw: unknown,
): number | string {
	const fail = (expected: string): never => {
		throw new AppError(
			"pulse_invalid",
			`parameter ${name}: expected ${expected}; got ${JSON.stringify(raw)}`,
		);
	};
	const range = `${p.min !== undefined ? ` from ${p.min}` : ""}${p.max !== undefined ? ` to ${p.max}` : ""}`;
	if (p.type === "text") {
		const s = String(raw);
		// Anchored whatever the author wrote: the value lands in monitor SQL (as a quoted literal).
		if (p.pattern && !new RegExp(`^(?:${p.pattern})$`).test(s))
			fail(`text matching ${p.pattern}`);
		return s;
	}
	const n =
		typeof raw === "number"
			? raw
			: typeof raw === "string" && DECIMAL.test(raw.trim())
				? Number(raw)
				: Number.NaN;
	const whole = p.type === "integer";
	if (!Number.isFinite(n) || (whole && !Number.isInteger(n)))
		fail(`${whole ? "a whole number" : "a number"}${range}`);
	if ((p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max))
		fail(`${whole ? "a whole number" : "a number"}${range}`);
	return n;
}

/** Resolves every parameter (supplied or default); unknown names are refused. */
export function templateParameters(
	t: MonitorTemplate,
	supplied: Record<string, unknown>,
): Record<string, number | string> {
	for (const k of Object.keys(supplied))
		if (!(k in t.parameters))
			throw new AppError(
				"pulse_invalid",
				`parameter ${k}: template ${t.name} has no such parameter; it has ${Object.keys(t.parameters).join(", ") || "none"}`,
			);
	return Object.fromEntries(
		Object.entries(t.parameters).map(([k, p]) => [
			k,
			checkParameter(k, p, supplied[k] ?? p.default),
		]),
	);
}

function sqlLiteral(v: number | string): string {
	return typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`;
}

const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;

function substitute(
	value: unknown,
	params: Record<string, number | string>,
	inSql: boolean,
): unknown {
	if (typeof value === "string") {
		const whole = /^\{\{([a-z_]+)\}\}$/.exec(value);
		if (whole && !inSql && whole[1] && whole[1] in params)
			return params[whole[1]];
		return value.replace(PLACEHOLDER, (m, k: string) => {
			const v = params[k];
			if (v === undefined)
				throw new AppError(
					"config_invalid",
					`unknown parameter {{${k}}} in ${m}`,
				);
			return inSql ? sqlLiteral(v) : String(v);
		});
	}
	if (Array.isArray(value))
		return value.map((v) => substitute(v, params, inSql));
	if (value && typeof value === "object")
		return Object.fromEntries(
			Object.entries(value).map(([k, v]) => [
				k,
				substitute(v, params, inSql && k === "sql"),
			]),
		);
	return value;
}

/** The monitor a template makes with these parameters (validated; a bad parameter is named). */
export function instantiate(
	t: MonitorTemplate,
	supplied: Record<string, unknown>,
	catalog?: MetricCatalog,
): {
	definition: MonitorDefinition;
	params: Record<string, number | string>;
	naturalLanguage: string;
} {
	const params = templateParameters(t, supplied);
	const target = Object.fromEntries(
		Object.entries(t.target).map(([k, v]) => [
			k,
			substitute(v, params, k === "sql"),
		]),
	);
	const definition = {
		name: t.title,
		target,
		condition: substitute(t.condition, params, false),
		frequency: t.frequency,
		severity: t.severity,
		...t.settings,
	} as MonitorDefinition;
	validateMonitor(definition, catalog);
	const naturalLanguage = t.natural_language.replace(
		/\{([a-z_]+)\}/g,
		(m, k: string) => String(params[k] ?? m),
	);
	return { definition, params, naturalLanguage };
}

/** Upserts the templates by name; unchanged ones are left alone (usage counts are kept). */
export async function syncTemplates(
	deps: PulseDeps,
	templates: readonly MonitorTemplate[],
): Promise<number> {
	let changed = 0;
	for (const t of templates) {
		const hash = createHash("sha256")
			.update(canonicalJson(t))
			.digest("hex")
			.slice(0, 16);
		const sql = typeof t.target.sql === "string" ? t.target.sql : null;
		const { rowCount } = await deps.pool.query(
			deps.sql.get("pulse/template-upsert"),
			[
				t.name,
				t.description,
				t.audience,
				t.natural_language,
				sql,
				t.frequency,
				t.severity,
				JSON.stringify(t.condition),
				JSON.stringify(t.parameters),
				JSON.stringify(t.target),
				JSON.stringify({
					title: t.title,
					...t.settings,
					...(t.chart ? { chart: t.chart } : {}),
				}),
				hash,
			],
		);
		changed += rowCount ?? 0;
	}
	return changed;
}

/** Makes a monitor from a template by name; an unknown name gets the closest names. */
export async function addFromTemplate(
	deps: PulseDeps,
	templates: readonly MonitorTemplate[],
	name: string,
	supplied: Record<string, unknown>,
	origin: { userId?: string | null; channels?: string[] } = {},
): Promise<StoredMonitor> {
	const t = templates.find((x) => x.name === name);
	if (!t) {
		const near = closest(
			name,
			templates.map((x) => x.name),
		);
		throw new AppError(
			"usage",
			`No template "${name}".${near.length ? ` Did you mean ${orList(near)}?` : ""} Templates: ${templates.map((x) => x.name).join(", ")}.`,
		);
	}
	const made = instantiate(t, supplied, deps.catalog);
	const definition = origin.channels?.length
		? { ...made.definition, channels: origin.channels }
		: made.definition;
	const stored = await createMonitor(
		deps,
		definition,
		{
			userId: origin.userId ?? null,
			description: t.description,
			naturalLanguageQuery: made.naturalLanguage,
			templateName: t.name,
			templateParams: made.params,
		},
		`created from template ${t.name}`,
	);
	await deps.pool.query(deps.sql.get("pulse/template-used"), [t.name]);
	return stored;
}
