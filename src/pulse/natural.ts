/**
 * Natural-language monitor creation, deterministic and offline: a handful of sentence shapes
 * ("<metric> falls below <n>[%] [in the <value> <dimension>]", "<metric> drops more than <n>%
 * week over week", "<metric> looks unusual", "any item is below its reorder point") parsed
 * against the metric catalog. The result is always shown for confirmation before it is saved;
 * text it cannot read gets the closest templates instead. No I/O.
 */
import {
	DIMENSIONS,
	type MetricCatalog,
	type MetricDefinition,
	resolveMetric,
} from "../metrics/index.ts";
import type { Condition, Grain, MetricTarget } from "./model.ts";

/** A template the parser can route a sentence to, by the words that name it. */
export interface TemplateHint {
	name: string;
	/** Title, description and sentence: the words suggestions are scored on. */
	words: string;
}

export type Understood =
	| {
			kind: "monitor";
			name: string;
			target: MetricTarget;
			condition: Condition;
			frequency: "hourly" | "daily" | "weekly" | "monthly";
			/** What was understood, as a sentence to confirm. */
			summary: string;
	  }
	| { kind: "template"; template: string; summary: string };

export type ParseOutcome =
	| { ok: true; understood: Understood }
	| { ok: false; reason: string; suggestions: string[] };

const LEAD_IN =
	/^(please\s+)?((alert|tell|warn|notify|ping|message)(\s+me)?|let me know)\s+(when(ever)?|if)\s+/;

const ROUTES: [RegExp, string][] = [
	[/reorder point/, "items-below-reorder-point"],
	[/(out of stock|stock-?out|runs? out)/, "stock-out-regular-seller"],
	[
		/(silent|stops? ordering|(not|n't) ordered|goes quiet)/,
		"key-customer-silent",
	],
	[/concentration/, "top-customer-concentration"],
	[/win rate/, "quote-win-rate-drop"],
];

const PERIODS: [
	RegExp,
	"week_over_week" | "month_over_month" | "year_over_year",
	Grain,
][] = [
	[
		/\b(week over week|wow|vs (the )?(last|previous) week|from last week)\b/,
		"week_over_week",
		"week",
	],
	[
		/\b(month over month|mom|vs (the )?(last|previous) month|from last month)\b/,
		"month_over_month",
		"month",
	],
	[
		/\b(year over year|yoy|vs (the )?(last|previous) year|from last year)\b/,
		"year_over_year",
		"month",
	],
];

const NUMBER = "(\\d+(?:[.,]\\d+)?)\\s*(%|percent|points?|days?)?";
const BELOW =
	"(falls?|drops?|go(?:es)?|is|are|gets?|dips?)\\s+(below|under|beneath)|(is\\s+)?less than";
const ABOVE =
	"(rises?|go(?:es)?|is|are|gets?|climbs?)\\s+(above|over|beyond)|exceeds?|(is\\s+)?more than|(is\\s+)?greater than";
const DOWN = "(drops?|falls?|declines?|decreases?|shrinks?)";
const UP = "(rises?|grows?|increases?|jumps?|climbs?)";
const EITHER = "(changes?|moves?|swings?)";

function clean(text: string): string {
	return text
		.toLowerCase()
		.replace(/[“”"]/g, "")
		.replace(/\s+/g, " ")
		.trim()
		.replace(/[.!?]+$/, "")
		.replace(LEAD_IN, "");
}

/** "in the West region", "for region West", "for customer C001697" → a filter. */
function extractFilter(text: string): {
	rest: string;
	filter?: MetricTarget["filter"];
} {
	for (const d of DIMENSIONS) {
		const names = [d.id, d.label, ...d.synonyms]
			.map((n) => n.toLowerCase())
			.join("|");
		const after = new RegExp(
			`\\s+(?:in|for|at)\\s+(?:the\\s+)?(${names})\\s+([\\w-]+(?:\\s[\\w-]+)?)$`,
		);
		const before = new RegExp(
			`\\s+(?:in|for|at)\\s+(?:the\\s+)?([\\w-]+)\\s+(${names})$`,
		);
		const a = after.exec(text);
		if (a?.[2])
			return {
				rest: text.slice(0, a.index),
				filter: { dimension: d.id, value: title(a[2]) },
			};
		const b = before.exec(text);
		if (b?.[1])
			return {
				rest: text.slice(0, b.index),
				filter: { dimension: d.id, value: title(b[1]) },
			};
	}
	return { rest: text };
}

function title(v: string): string {
	return /^[a-z]+$/.test(v)
		? v[0]?.toUpperCase() + v.slice(1)
		: v.toUpperCase();
}

function moveFilterToEnd(text: string): string {
	// "gross margin in the West region falls below 28%" → "gross margin falls below 28% in the West region"
	const m =
		/^(.*?)(\s+(?:in|for)\s+(?:the\s+)?[\w-]+\s+(?:region|branch|category|segment))(\s+.*)$/.exec(
			text,
		);
	return m ? `${m[1]}${m[3]}${m[2]}` : text;
}

/** The catalog metric a phrase names, preferring a percent metric built from it when the limit is a %. */
function metricFor(
	catalog: MetricCatalog,
	phrase: string,
	percent: boolean,
): MetricDefinition | { error: string; suggestions: string[] } {
	const words = phrase
		.replace(/^(the|our|total|overall|company)\s+/, "")
		.replace(/^(the|our|total)\s+/, "")
		.trim();
	const r = resolveMetric(catalog, words);
	if (!r.ok) return { error: r.message, suggestions: r.suggestions };
	if (!percent || r.value.unit === "percent") return r.value;
	const pct = catalog.metrics.find(
		(m) => m.unit === "percent" && m.builtFrom.includes(r.value.id),
	);
	return pct ?? r.value;
}

const num = (s: string) => Number(s.replace(",", "."));

function frequencyFor(
	text: string,
	grain: Grain | undefined,
): "hourly" | "daily" | "weekly" | "monthly" {
	if (/\b(hourly|every hour)\b/.test(text)) return "hourly";
	if (/\b(weekly|every week)\b/.test(text)) return "weekly";
	if (/\b(monthly|every month)\b/.test(text)) return "monthly";
	return grain === "week" ? "weekly" : "daily";
}

function stripFrequency(text: string): string {
	return text
		.replace(
			/\s*,?\s*\b(hourly|daily|weekly|monthly|every (hour|day|week|month))\b/g,
			"",
		)
		.trim();
}

/** Parses one sentence; never throws. */
export function parseMonitorText(
	input: string,
	catalog: MetricCatalog,
	templates: readonly TemplateHint[] = [],
): ParseOutcome {
	const text = clean(input);
	if (!text)
		return {
			ok: false,
			reason:
				'Say what to watch, e.g. "alert me when revenue drops more than 15% week over week".',
			suggestions: [],
		};
	for (const [re, template] of ROUTES)
		if (re.test(text) && templates.some((t) => t.name === template))
			return {
				ok: true,
				understood: {
					kind: "template",
					template,
					summary: `the "${template}" template with its default parameters`,
				},
			};
	const freq = frequencyFor(text, undefined);
	const { rest, filter } = extractFilter(stripFrequency(moveFilterToEnd(text)));
	const attempt = readCondition(rest);
	if (!attempt)
		return fail(
			`Could not find a condition (such as "falls below 28%" or "drops more than 15% week over week") in "${input}".`,
			text,
			templates,
		);
	const metric = metricFor(catalog, attempt.phrase, attempt.percent);
	if ("error" in metric)
		return {
			ok: false,
			reason: /[.?]$/.test(metric.error) ? metric.error : `${metric.error}.`,
			suggestions: [...metric.suggestions, ...suggest(text, templates)],
		};
	const grain =
		attempt.grain ??
		(metric.grains.includes("month") && attempt.condition.kind === "threshold"
			? "month"
			: metric.defaultGrain);
	const target: MetricTarget = {
		metric: metric.id,
		grain,
		...(filter ? { filter } : {}),
	};
	const where = filter ? ` for ${filter.dimension} ${filter.value}` : "";
	const frequency = /\b(hourly|weekly|monthly|every)\b/.test(text)
		? freq
		: frequencyFor(text, grain);
	return {
		ok: true,
		understood: {
			kind: "monitor",
			name: `${metric.label}${where}: ${attempt.words}`,
			target,
			condition: attempt.condition,
			frequency,
			summary: `watch ${metric.label} (${metric.id}, ${grain === "day" ? "daily" : `${grain}ly`} figures${where}) and alert when it ${attempt.words}; checked ${frequency}`,
		},
	};
}

interface Attempt {
	phrase: string;
	condition: Condition;
	percent: boolean;
	grain?: Grain;
	words: string;
}

function readCondition(text: string): Attempt | null {
	for (const [re, period, grain] of PERIODS) {
		if (!re.test(text)) continue;
		const body = text.replace(re, "").trim();
		const m = new RegExp(
			`^(.+?)\\s+(?:${DOWN}|${UP}|${EITHER})\\s+(?:by\\s+)?(?:more than\\s+|over\\s+|at least\\s+)?${NUMBER}$`,
		).exec(body);
		if (!m?.[1]) continue;
		const direction = m[2] ? "down" : m[3] ? "up" : "either";
		const percent = num(m[5] ?? "");
		const words = `${direction === "down" ? "falls" : direction === "up" ? "rises" : "moves"} more than ${percent}% ${period.replaceAll("_", " ")}`;
		return {
			phrase: m[1],
			condition: { kind: "change", period, direction, percent },
			percent: false,
			grain,
			words,
		};
	}
	const anomaly =
		/^(?:there is an? )?(?:anomaly in |spike in |unusual )?(.+?)\s+(?:is|are|looks?|gets?|go(?:es)?)?\s*(unusual|anomalous|abnormal|strange|odd|spikes?)$/.exec(
			text,
		);
	if (anomaly?.[1])
		return {
			phrase: anomaly[1],
			condition: {
				kind: "anomaly",
				sensitivity: "medium",
				direction: "either",
				seasonal: true,
			},
			percent: false,
			words: "looks unusual against its own history",
		};
	for (const [words, operator] of [
		[BELOW, "<"],
		[ABOVE, ">"],
	] as const) {
		const m = new RegExp(`^(.+?)\\s+(?:${words})\\s+${NUMBER}$`).exec(text);
		const value = m ? num(m.at(-2) ?? "") : Number.NaN;
		if (!m?.[1] || !Number.isFinite(value)) continue;
		const unit = m.at(-1);
		const isPct = unit === "%" || unit === "percent";
		return {
			phrase: m[1],
			condition: { kind: "threshold", operator, value },
			percent: isPct,
			words: `is ${operator === "<" ? "below" : "above"} ${value}${isPct ? "%" : unit ? ` ${unit}` : ""}`,
		};
	}
	return null;
}

function suggest(text: string, templates: readonly TemplateHint[]): string[] {
	const words = new Set(text.split(/\W+/).filter((w) => w.length > 3));
	return templates
		.map((t) => ({
			name: t.name,
			score: t.words
				.toLowerCase()
				.split(/\W+/)
				.filter((w) => words.has(w)).length,
		}))
		.filter((s) => s.score > 0)
		.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
		.slice(0, 3)
		.map((s) => s.name);
}

function fail(
	reason: string,
	text: string,
	templates: readonly TemplateHint[],
): ParseOutcome {
	return { ok: false, reason, suggestions: suggest(text, templates) };
}
