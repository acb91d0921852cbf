/**
 * The Pulse monitor model: what a monitor watches (a catalog metric or a read-only query), the
 * condition it checks, and how it notifies. Validated once with zod when a monitor is created or
 * loaded (pulse_monitors.alert_condition is jsonb); everything downstream trusts these types.
 */
import { z } from "zod";
import { valueAt } from "../config/load.ts";
import { isCronExpression, isTimeZone } from "./schedule.ts";

const name = (what: string) =>
	z
		.string()
		.trim()
		.min(1, { error: `expected a non-empty ${what}` });

/** Comparison operators shared by `threshold` and `row_count`. */
export const operators = [">", ">=", "<", "<=", "=", "!="] as const;
export type Operator = (typeof operators)[number];
const operator = z.enum(operators, {
	error: `expected one of ${operators.join(" ")}`,
});

const finite = (what: string) =>
	z.number({ error: `expected a number (${what})` }).refine(Number.isFinite, {
		error: `expected a finite number (${what})`,
	});
const wholeAtLeast = (min: number, what: string) =>
	z
		.int({ error: `expected a whole number (${what})` })
		.min(min, { error: `expected at least ${min} (${what})` });

/** A metric from the catalog, optionally narrowed to one dimension value. */
export const metricTargetSchema = z.strictObject({
	metric: name("catalog metric name"),
	filter: z
		.strictObject({ dimension: name("dimension"), value: name("value") })
		.optional(),
	grain: z.enum(["day", "week", "month"]).optional(),
});

/**
 * A read-only SQL query. `keyColumn` identifies a row: the period for series conditions
 * (change, anomaly), the business key for `new_rows`. `valueColumn` holds the number judged.
 */
export const sqlTargetSchema = z.strictObject({
	sql: name("SQL query"),
	source: name('source ("warehouse" or a named ERP source)').optional(),
	valueColumn: name("column name").optional(),
	keyColumn: name("column name").optional(),
});

/** What a monitor watches. */
export const targetSchema = z.union([metricTargetSchema, sqlTargetSchema], {
	error:
		"expected a catalog metric { metric, filter?, grain? } or a read-only query { sql, source?, valueColumn?, keyColumn? }",
});
export type MetricTarget = z.infer<typeof metricTargetSchema>;
export type SqlTarget = z.infer<typeof sqlTargetSchema>;
export type Target = z.infer<typeof targetSchema>;
export type { Grain } from "../calendar.ts";

/** Anomaly sensitivity and the robust z cut-off each stands for (|z| at or above it fires). */
export const SENSITIVITY_Z = { low: 4.0, medium: 3.0, high: 2.5 } as const;
export type Sensitivity = keyof typeof SENSITIVITY_Z;
const direction = z.enum(["up", "down", "either"]);
export type Direction = z.infer<typeof direction>;

/** Fires when the latest value compares true against `value`. */
export const thresholdSchema = z.strictObject({
	kind: z.literal("threshold"),
	operator,
	value: finite("the threshold"),
});
/** Fires when the latest value moved at least `percent` % against the comparable earlier period. */
export const changeSchema = z.strictObject({
	kind: z.literal("change"),
	period: z.enum(["week_over_week", "month_over_month", "year_over_year"]),
	direction,
	percent: finite("a percentage").refine((p) => p > 0, {
		error: "expected a percentage above 0",
	}),
});
/** Fires when the latest value's robust z-score against its history reaches the cut-off. */
export const anomalySchema = z.strictObject({
	kind: z.literal("anomaly"),
	sensitivity: z.enum(["low", "medium", "high"]).default("medium"),
	/** Overrides the sensitivity's cut-off (set by tuning). */
	zThreshold: finite("a z cut-off")
		.refine((z) => z > 0, { error: "expected a z cut-off above 0" })
		.optional(),
	direction: direction.default("either"),
	/** Compare with the same position in earlier seasons when 2 seasons of history exist. */
	seasonal: z.boolean().default(true),
	/** Points per season; default from the grain: day 7, week 52, month 12. */
	seasonLength: wholeAtLeast(2, "points per season").optional(),
});
/** Fires on the number of rows a query returned. */
export const rowCountSchema = z.strictObject({
	kind: z.literal("row_count"),
	operator,
	value: wholeAtLeast(0, "a row count"),
});
/** Fires when rows appear whose key was not seen before (see MAX_SEEN_KEYS). */
export const newRowsSchema = z.strictObject({
	kind: z.literal("new_rows"),
	minNew: wholeAtLeast(1, "new rows needed to fire").default(1),
});
/** Fires when the newest data is older than `amount` `unit`. */
export const staleSchema = z.strictObject({
	kind: z.literal("stale"),
	amount: finite("an age").refine((a) => a > 0, {
		error: "expected an age above 0",
	}),
	unit: z.enum(["hours", "days"]),
	/** Timestamp column for query monitors; metric monitors use the newest period. */
	column: name("column name").optional(),
});

/** The alert rule stored in pulse_monitors.alert_condition. */
export const conditionSchema = z.discriminatedUnion("kind", [
	thresholdSchema,
	changeSchema,
	anomalySchema,
	rowCountSchema,
	newRowsSchema,
	staleSchema,
]);
export type Condition = z.infer<typeof conditionSchema>;
export type ThresholdCondition = z.infer<typeof thresholdSchema>;
export type ChangeCondition = z.infer<typeof changeSchema>;
export type AnomalyCondition = z.infer<typeof anomalySchema>;
export type RowCountCondition = z.infer<typeof rowCountSchema>;
export type NewRowsCondition = z.infer<typeof newRowsSchema>;
export type StaleCondition = z.infer<typeof staleSchema>;

export const severities = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof severities)[number];

/** How often a monitor runs: a named cadence (anchors in schedule.ts) or cron in a time zone. */
export const frequencySchema = z.union(
	[
		z.enum(["hourly", "daily", "weekly", "monthly"]),
		z.strictObject({
			cron: z.string().refine(isCronExpression, {
				error:
					'expected a 5-field cron expression such as "0 7 * * 1-5" (minute hour day month weekday)',
			}),
			timeZone: z.string().refine(isTimeZone, {
				error: 'expected an IANA time zone such as "Europe/London" or "UTC"',
			}),
		}),
	],
	{
		error:
			'expected "hourly", "daily", "weekly", "monthly" or { cron, timeZone }',
	},
);
export type Frequency = z.infer<typeof frequencySchema>;

/** `auto`: resolve after `runs` consecutive OK runs; `manual`: stay open until someone resolves. */
export const recoverySchema = z.union(
	[
		z.strictObject({
			mode: z.literal("auto"),
			runs: wholeAtLeast(1, "OK runs before resolving").default(1),
		}),
		z.strictObject({ mode: z.literal("manual") }),
	],
	{ error: 'expected { mode: "auto", runs? } or { mode: "manual" }' },
);
export type Recovery = z.infer<typeof recoverySchema>;

const isoInstant = z.iso.datetime({
	offset: true,
	error: 'expected an ISO-8601 date-time such as "2025-03-01T09:00:00Z"',
});

/** Notification and lifecycle settings; `step` in lifecycle.ts reads these. */
export const monitorSettingsSchema = z.strictObject({
	severity: z.enum(severities).default("medium"),
	frequency: frequencySchema.default("daily"),
	channels: z.array(name("channel id")).default([]),
	/** Fire only after this many consecutive breaching runs. */
	pendingRuns: wholeAtLeast(1, "breaching runs before firing").default(1),
	recovery: recoverySchema.default({ mode: "auto", runs: 1 }),
	/** Quiet time after an alert resolves or is acknowledged: a breach within it folds into that alert without a ping. */
	cooldownMinutes: wholeAtLeast(0, "minutes").default(60),
	/** Ping again while an unacknowledged alert keeps firing; null never re-pings. */
	renotifyMinutes: wholeAtLeast(1, "minutes").nullable().default(null),
	snoozedUntil: isoInstant.nullable().default(null),
	enabled: z.boolean().default(true),
});
export type MonitorSettings = z.infer<typeof monitorSettingsSchema>;

/** A whole monitor definition. */
export const monitorSchema = monitorSettingsSchema
	.extend({
		name: name("monitor name"),
		target: targetSchema,
		condition: conditionSchema,
	})
	.superRefine((m, ctx) => {
		for (const problem of crossCheck(m.target, m.condition))
			ctx.addIssue({ code: "custom", ...problem });
	});
export type Monitor = z.infer<typeof monitorSchema>;

/** Rules that tie a condition to its target; each names the field to fix. */
function crossCheck(
	target: Target,
	condition: Condition,
): { path: string[]; message: string }[] {
	const isSql = "sql" in target;
	const kind = condition.kind;
	if ((kind === "row_count" || kind === "new_rows") && !isSql)
		return [
			{
				path: ["condition", "kind"],
				message: `expected a query target for "${kind}"; a catalog metric has no rows`,
			},
		];
	if (!isSql) return [];
	const needsKey =
		kind === "new_rows" || kind === "change" || kind === "anomaly";
	if (needsKey && !target.keyColumn)
		return [
			{
				path: ["target", "keyColumn"],
				message: `expected a column name: "${kind}" needs ${kind === "new_rows" ? "the column that identifies a row" : "the period column"}`,
			},
		];
	if (kind === "stale" && !condition.column)
		return [
			{
				path: ["condition", "column"],
				message:
					'expected the timestamp column: "stale" on a query needs to know which column dates the data',
			},
		];
	return [];
}

export type ParseResult<T> =
	| { ok: true; value: T }
	| { ok: false; problems: string[] };

/** Validates a monitor; problems name the field path and what was expected. */
export function parseMonitor(input: unknown): ParseResult<Monitor> {
	const r = monitorSchema.safeParse(input);
	return r.success
		? { ok: true, value: r.data }
		: { ok: false, problems: formatIssues(r.error, input) };
}

/** Validates an alert_condition value on its own. */
export function parseCondition(input: unknown): ParseResult<Condition> {
	const r = conditionSchema.safeParse(input);
	return r.success
		? { ok: true, value: r.data }
		: { ok: false, problems: formatIssues(r.error, input) };
}

/**
 * One line per problem: "condition.value: expected a number (the threshold); got "x" (string)".
 * For a union, reports the branch that came closest (fewest problems) rather than "Invalid input".
 */
export function formatIssues(error: z.ZodError, input?: unknown): string[] {
	return error.issues.flatMap((i) => describe(i, [], input));
}

function describe(
	issue: z.core.$ZodIssue,
	prefix: PropertyKey[],
	input: unknown,
): string[] {
	const at = [...prefix, ...issue.path];
	if (issue.code === "invalid_union" && issue.errors.length > 0) {
		const sorted = [...issue.errors].sort((a, b) => a.length - b.length);
		const [best, second] = sorted;
		if (best && (!second || best.length < second.length))
			return best.flatMap((i) => describe(i, at, input));
	}
	if (issue.code === "unrecognized_keys")
		return issue.keys.map(
			(k) =>
				`${pathText([...at, k])}: unknown field; remove it or check the spelling`,
		);
	const got = valueAt(input, at);
	const shown =
		got === undefined ? "nothing" : `${JSON.stringify(got)} (${typeName(got)})`;
	const message = issue.message.replace(/^Invalid (input|option): /, "");
	return [`${pathText(at)}: ${message}; got ${shown}`];
}

function pathText(at: readonly PropertyKey[]): string {
	return at.length === 0 ? "(monitor)" : at.map(String).join(".");
}

function typeName(v: unknown): string {
	return v === null ? "null" : Array.isArray(v) ? "list" : typeof v;
}
