/**
 * Turns what a user typed into a metric, a dimension or a grain of the allow-lists — or into a
 * message that says what was meant and what is allowed. Matching ignores case, spaces versus
 * underscores and hyphens, and plurals; a typo is never silently corrected, it gets "did you
 * mean …". Pure: nothing typed here ever reaches SQL except as a bound value.
 */
import { editDistance } from "../edit-distance.ts";
import type { MetricCatalog } from "./catalog.ts";
import { DIMENSIONS, type DimensionDefinition } from "./dimensions.ts";
import {
	type DimensionId,
	GRAINS,
	type Grain,
	type MetricDefinition,
} from "./types.ts";

/** A resolved name, or the message to show and the closest names. */
export type Resolution<T> =
	| { ok: true; value: T }
	| { ok: false; message: string; suggestions: string[] };

const MAX_SUGGESTIONS = 3;

function singular(word: string): string {
	if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
	if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss"))
		return word.slice(0, -1);
	return word;
}

/** The form names are compared in: lower case, "%" as "pct", no separators, singular words. */
export function nameKey(text: string): string {
	return text
		.toLowerCase()
		.replaceAll("%", " pct ")
		.split(/[^a-z0-9]+/)
		.filter(Boolean)
		.map(singular)
		.join("");
}

/** "a", "a or b", "a, b or c". */
export function orList(items: readonly string[]): string {
	if (items.length <= 1) return items.join("");
	return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

interface Named {
	id: string;
	names: readonly string[];
}

/** Longer than any name in the allow-lists: text this long is not a name, and gets no fuzzy match. */
export const MAX_NAME_CHARS = 80;

/**
 * Exact match on the key of any name; else the closest ids by edit distance or containment. The
 * work is bounded whatever was typed: text over MAX_NAME_CHARS is not compared at all, and the
 * edit distance is computed only where the lengths are close enough for it to pass the cut.
 */
function match(
	text: string,
	items: readonly Named[],
): { hit: string } | { near: string[] } {
	if (text.length > MAX_NAME_CHARS) return { near: [] };
	const key = nameKey(text);
	for (const item of items)
		if (item.names.some((n) => nameKey(n) === key)) return { hit: item.id };
	const cut = Math.max(2, Math.floor(key.length / 3));
	const scored = items
		.map((item) => {
			const distances = item.names.map((n) => {
				const k = nameKey(n);
				if (key.length >= 3 && (k.startsWith(key) || key.startsWith(k)))
					return 1;
				// The distance is at least the difference in length: skip what cannot pass.
				if (Math.abs(k.length - key.length) > cut) return cut + 1;
				return editDistance(key, k);
			});
			return { id: item.id, d: Math.min(...distances) };
		})
		.filter((s) => key.length > 0 && s.d <= cut)
		.sort((a, b) => a.d - b.d || a.id.localeCompare(b.id));
	return { near: scored.slice(0, MAX_SUGGESTIONS).map((s) => s.id) };
}

/** The names closest to what was typed (exact matches included), best first, at most three. */
export function closest(text: string, names: readonly string[]): string[] {
	const r = match(
		text,
		names.map((n) => ({ id: n, names: [n] })),
	);
	return "hit" in r ? [r.hit] : r.near;
}

/** Resolves a metric name or synonym; unknown names get "did you mean …" with the closest ids. */
export function resolveMetric(
	catalog: MetricCatalog,
	text: string,
): Resolution<MetricDefinition> {
	const items = catalog.metrics.map((m) => ({
		id: m.id,
		names: [m.id, m.label, ...m.synonyms],
	}));
	const r = match(text, items);
	if ("hit" in r) {
		const metric = catalog.get(r.hit);
		if (metric) return { ok: true, value: metric };
	}
	const near = "near" in r ? r.near : [];
	const hint = near.length
		? `did you mean ${orList(near)}?`
		: "see erp-pulse metric list";
	return {
		ok: false,
		message: `unknown metric '${text}' — ${hint}`,
		suggestions: near,
	};
}

function dimensionItems(): Named[] {
	return DIMENSIONS.map((d) => ({
		id: d.id,
		names: [d.id, d.label, ...d.synonyms],
	}));
}

/**
 * Resolves a dimension name; with a metric, also checks the metric can be broken down by it
 * and otherwise names the dimensions it allows.
 */
export function resolveDimension(
	text: string,
	metric?: MetricDefinition,
): Resolution<DimensionDefinition> {
	const r = match(text, dimensionItems());
	const all = DIMENSIONS.map((d) => d.id);
	if (!("hit" in r)) {
		const hint = r.near.length ? `did you mean ${orList(r.near)}? ` : "";
		return {
			ok: false,
			message: `unknown dimension '${text}' — ${hint}dimensions are ${orList(all)}`,
			suggestions: r.near,
		};
	}
	const d = DIMENSIONS.find((x) => x.id === r.hit) as DimensionDefinition;
	if (metric && !metric.dimensions.includes(d.id)) {
		return {
			ok: false,
			message: `${metric.label} cannot be broken down by ${d.label}; it allows ${orList(metric.dimensions)}`,
			suggestions: [...metric.dimensions],
		};
	}
	return { ok: true, value: d };
}

const GRAIN_ADJECTIVE: Readonly<Record<Grain, string>> = {
	day: "daily",
	week: "weekly",
	month: "monthly",
};

const GRAIN_NAMES: Readonly<Record<Grain, readonly string[]>> = {
	day: ["day", "daily", "d"],
	week: ["week", "weekly", "w", "wk"],
	month: ["month", "monthly", "m", "mo"],
};

/** Resolves a grain ("month", "weekly", "days"); with metrics, checks each of them offers it. */
export function resolveGrain(
	text: string,
	metrics: readonly MetricDefinition[] = [],
): Resolution<Grain> {
	const key = nameKey(text);
	const grain = GRAINS.find((g) =>
		GRAIN_NAMES[g].some((n) => nameKey(n) === key),
	);
	if (!grain)
		return {
			ok: false,
			message: `unknown grain '${text}' — use ${orList(GRAINS)}`,
			suggestions: [...GRAINS],
		};
	for (const m of metrics)
		if (!m.grains.includes(grain))
			return {
				ok: false,
				message: `${m.label} has no ${GRAIN_ADJECTIVE[grain]} figures; use ${orList(m.grains)}`,
				suggestions: [...m.grains],
			};
	return { ok: true, value: grain };
}

/** The dimension ids, for usage text. */
export function dimensionIds(): DimensionId[] {
	return DIMENSIONS.map((d) => d.id);
}
