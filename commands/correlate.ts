/**
 * `correlate <a> [b] [--grain month|week] [--since YYYY-MM] [--until YYYY-MM] [--by dim=value]`:
 * two metrics → the engine's report and verdict; one metric → every other metric ranked
 * against it with Benjamini–Hochberg-adjusted p-values.
 */
import {
	formatCorrelation,
	patternName,
} from "../src/analytics/correlation/index.ts";
import { formatP, formatR } from "../src/analytics/correlation/wording.ts";
import {
	type CorrelateOptions,
	type CorrelateOutcome,
	correlate,
	type MetricCatalog,
	type MetricDefinition,
	type RankingOutcome,
	resolveDimension,
	resolveGrain,
	resolveMetric,
} from "../src/metrics/index.ts";
import {
	type Command,
	dimensionValue,
	monthOrDay,
	single,
	splitWords,
	usageError,
} from "./command.ts";
import { renderTable } from "./format.ts";

/** The parsed words of `correlate`: metric names as typed, options as typed. */
export interface CorrelateInput {
	a: string;
	b?: string;
	grain?: string;
	since?: string;
	until?: string;
	by?: { dimension: string; value: string };
	source?: string;
}

const OPTIONS = ["grain", "since", "until", "by", "source"];

/** Names made of several words ("active customers revenue") are split where both halves are metrics. */
function metricNames(words: readonly string[]): { a: string; b?: string } {
	if (words.length === 0)
		throw usageError(
			"correlate needs a metric, e.g. correlate revenue customers",
		);
	if (words.length === 1) return { a: words[0] as string };
	if (words.length === 2)
		return { a: words[0] as string, b: words[1] as string };
	return { a: words.join(" ") };
}

function parse(words: readonly string[]): CorrelateInput {
	const w = splitWords(words, OPTIONS);
	const names = metricNames(w.positionals);
	const by = single(w, "by");
	const input: CorrelateInput = { ...names };
	const grain = single(w, "grain");
	const typedSince = single(w, "since");
	const typedUntil = single(w, "until");
	const since = monthOrDay("since", typedSince);
	const until = monthOrDay("until", typedUntil);
	const source = single(w, "source");
	if (grain) input.grain = grain;
	if (since && until && since > until)
		throw usageError(
			`--since ${typedSince} is after --until ${typedUntil}: give the earlier date to --since`,
		);
	if (since) input.since = since;
	if (until) input.until = until;
	if (by) input.by = dimensionValue(by);
	if (source) input.source = source;
	return input;
}

function metric(catalog: MetricCatalog, name: string): MetricDefinition {
	const r = resolveMetric(catalog, name);
	if (!r.ok) throw usageError(r.message);
	return r.value;
}

/** The most words a metric name or synonym has (with room to spare). */
const MAX_NAME_WORDS = 6;

/** Splits "active customers revenue" into two metric names when exactly one split works. */
function resolvePair(
	catalog: MetricCatalog,
	input: CorrelateInput,
): { a: MetricDefinition; b?: MetricDefinition } {
	if (input.b !== undefined || !input.a.includes(" "))
		return {
			a: metric(catalog, input.a),
			...(input.b === undefined ? {} : { b: metric(catalog, input.b) }),
		};
	const whole = resolveMetric(catalog, input.a);
	if (whole.ok) return { a: whole.value };
	const words = input.a.split(" ");
	// Metric names are a few words; more than two names' worth cannot be a pair (and trying every
	// split of a long text against the catalog is work no one should be able to order).
	if (words.length > 2 * MAX_NAME_WORDS)
		throw usageError(
			`"${input.a.slice(0, 60)}${input.a.length > 60 ? "…" : ""}" has ${words.length} words; name two metrics (at most ${MAX_NAME_WORDS} words each), e.g. correlate revenue active_customers`,
		);
	const splits = words.slice(1).flatMap((_, i) => {
		const a = resolveMetric(catalog, words.slice(0, i + 1).join(" "));
		const b = resolveMetric(catalog, words.slice(i + 1).join(" "));
		return a.ok && b.ok ? [{ a: a.value, b: b.value }] : [];
	});
	if (splits.length === 1 && splits[0]) return splits[0];
	throw usageError(
		`cannot tell which metrics "${input.a}" names; use their ids, e.g. correlate revenue active_customers`,
	);
}

function options(
	input: CorrelateInput,
	m: MetricDefinition[],
): CorrelateOptions {
	const opts: CorrelateOptions = {};
	if (input.grain) {
		const g = resolveGrain(input.grain, m);
		if (!g.ok) throw usageError(g.message);
		opts.grain = g.value;
	}
	if (input.by) {
		const d = resolveDimension(input.by.dimension);
		if (!d.ok) throw usageError(d.message);
		opts.filter = { dimension: d.value.id, value: input.by.value };
	}
	if (input.since) opts.since = input.since;
	if (input.until) opts.until = input.until;
	if (input.source) opts.source = input.source;
	return opts;
}

/** A ranking as a table: rank, metric, r, q, whether it survives the FDR, the verdict. */
export function rankingText(outcome: RankingOutcome): string {
	const { ranking, target } = outcome;
	const rows = [["#", "metric", "n", "r", "q (BH)", "FDR", "verdict"]];
	for (const e of ranking.entries) {
		const r = e.result;
		rows.push(
			r.status === "ok"
				? [
						String(e.rank),
						r.x.label,
						String(r.n),
						formatR(r.pearson.r),
						formatP(e.q ?? 1),
						e.survives ? "survives" : "fails",
						patternName(r.verdict.primary),
					]
				: [
						String(e.rank),
						r.x.label,
						String(r.n),
						"",
						"",
						"",
						`not computed: ${r.reason}`,
					],
		);
	}
	const first = target.points[0]?.period ?? "?";
	const last = target.points.at(-1)?.period ?? "?";
	return [
		`Every metric against ${ranking.target.label} (${ranking.target.unit}), ${target.grain}ly ${first} to ${last}.`,
		`r = Pearson; q = Benjamini–Hochberg adjusted p (after allowing for autocorrelation), FDR ${ranking.fdr}.`,
		"",
		...renderTable(rows),
		...(outcome.skipped.length
			? [
					"",
					"Left out:",
					...outcome.skipped.map((s) => `  ${s.label}: ${s.reason}`),
				]
			: []),
	].join("\n");
}

/** The text of either outcome. */
export function correlateText(outcome: CorrelateOutcome): string {
	const text =
		outcome.kind === "pair"
			? formatCorrelation(outcome.result)
			: rankingText(outcome);
	// A filtered correlation says so right under its title: its r is about that slice only.
	if (!outcome.scope) return text;
	const [title, ...rest] = text.split("\n");
	return [
		title,
		`Only ${outcome.scope}: every series below counts just those rows.`,
		...rest,
	].join("\n");
}

export const correlateCommand: Command<CorrelateInput> = {
	name: "correlate",
	usage: [
		"correlate <a> [b] [--grain month|week|day] [--since YYYY-MM] [--until YYYY-MM] [--by dim=value]",
	],
	parse,
	async run(deps, input) {
		const { a, b } = resolvePair(deps.catalog, input);
		const opts = options(input, b ? [a, b] : [a]);
		const outcome = await deps.withPool((pool) =>
			correlate(pool, deps.catalog, a, b, opts),
		);
		const text = correlateText(outcome);
		// A pair's verdict and its reasons (up to the first blank line) are sentences.
		const blank = text.split("\n").indexOf("", 1);
		return {
			text,
			data: outcome,
			...(outcome.kind === "pair" && blank > 1 ? { prose: blank - 1 } : {}),
		};
	},
};
