/**
 * Autocomplete for slash-command options, as pure functions: what someone has typed so far →
 * at most 25 choices. Metric names come from the metric catalog (id, label and synonyms all
 * match; the value sent back is the id, which every command resolves), query names from the
 * analytics query library.
 */
import type { QueryLibrary } from "../../library/library.ts";
import type { MetricCatalog } from "../../metrics/index.ts";
import { nameKey } from "../../metrics/resolve.ts";
import { clip, truncate } from "../text.ts";
import type { AutocompleteSource } from "./commands.ts";

/** Discord shows at most this many choices. */
export const DISCORD_AUTOCOMPLETE_CHOICES_MAX = 25;
/** Length limit of a choice's name and of a string choice's value. */
export const DISCORD_CHOICE_NAME_MAX = 100;

/** One choice: what is shown, and what is filled in. */
export interface Choice {
	name: string;
	value: string;
}

/** Where the names come from. */
export interface ChoiceSources {
	catalog: MetricCatalog;
	library?: QueryLibrary;
}

interface Candidate {
	value: string;
	shown: string;
	names: readonly string[];
}

/** Candidates whose names start with (first) or contain (then) the typed text, in catalog order. */
export function rankCandidates(
	typed: string,
	candidates: readonly Candidate[],
): Choice[] {
	const key = nameKey(typed);
	const score = (c: Candidate) => {
		if (!key) return 0;
		const keys = c.names.map(nameKey);
		if (keys.some((k) => k.startsWith(key))) return 0;
		if (keys.some((k) => k.includes(key))) return 1;
		return 2;
	};
	return candidates
		.map((c, i) => ({ c, i, s: score(c) }))
		.filter((x) => x.s < 2)
		.sort((a, b) => a.s - b.s || a.i - b.i)
		.slice(0, DISCORD_AUTOCOMPLETE_CHOICES_MAX)
		.map(({ c }) => ({
			name: truncate(c.shown, DISCORD_CHOICE_NAME_MAX),
			value: clip(c.value, DISCORD_CHOICE_NAME_MAX),
		}));
}

/** The choices for `typed` in an option fed by `source`. */
export function autocompleteChoices(
	source: AutocompleteSource,
	typed: string,
	from: ChoiceSources,
): Choice[] {
	if (source === "metric")
		return rankCandidates(
			typed,
			from.catalog.metrics.map((m) => ({
				value: m.id,
				shown: m.label === m.id ? m.id : `${m.label} (${m.id})`,
				names: [m.id, m.label, ...m.synonyms],
			})),
		);
	return rankCandidates(
		typed,
		(from.library?.queries ?? []).map((q) => ({
			value: q.name,
			shown: `${q.name}: ${q.title}`,
			names: [q.name, q.title],
		})),
	);
}
