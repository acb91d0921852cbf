/**
 * `metric list` and `metric <name> [by <dim>] [last N months|weeks|days]` (plus --grain, --since,
 * --until, --by dim=value): one metric as a table of periods, or broken down by a dimension.
 */
import {
	type Breakdown,
	DIMENSIONS,
	type FetchOptions,
	fetchBreakdown,
	fetchSeries,
	type Grain,
	type MetricCatalog,
	type MetricDefinition,
	type MetricSeries,
	resolveDimension,
	resolveGrain,
	resolveMetric,
} from "../src/metrics/index.ts";
import {
	type Command,
	type CommandDeps,
	dimensionValue,
	monthOrDay,
	type Reply,
	single,
	splitWords,
	usageError,
} from "./command.ts";
import { formatValue, periodLabel, renderTable } from "./format.ts";

/** The parsed words of `metric`. */
export type MetricInput =
	| { kind: "list" }
	| {
			kind: "show";
			name: string;
			by?: string;
			last?: { n: number; grain: string };
			grain?: string;
			since?: string;
			until?: string;
			filter?: { dimension: string; value: string };
			source?: string;
	  };

const OPTIONS = ["grain", "since", "until", "by", "source"];

/** Enough for 100 years of days; more cannot be a real request and overflows the calendar. */
const MAX_LAST_PERIODS = 36_500;

function parse(words: readonly string[]): MetricInput {
	const w = splitWords(words, OPTIONS);
	const p = w.positionals;
	if (p.length === 1 && p[0] === "list") return { kind: "list" };
	const nameWords: string[] = [];
	let i = 0;
	while (i < p.length && p[i] !== "by" && p[i] !== "last")
		nameWords.push(p[i++] as string);
	if (nameWords.length === 0)
		throw usageError(
			"metric needs a metric name, e.g. metric revenue by region last 12 months",
		);
	const input: MetricInput = { kind: "show", name: nameWords.join(" ") };
	while (i < p.length) {
		const word = p[i];
		if (word === "by" && p[i + 1]) {
			input.by = p[i + 1] as string;
			i += 2;
		} else if (word === "last" && p[i + 1] && p[i + 2]) {
			const raw = p[i + 1] as string;
			const n = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
			if (!Number.isInteger(n) || n < 1 || n > MAX_LAST_PERIODS)
				throw usageError(
					`"last" expects a whole number of periods from 1 to ${MAX_LAST_PERIODS}, got "${raw.slice(0, 30)}"`,
				);
			input.last = { n, grain: p[i + 2] as string };
			i += 3;
		} else
			throw usageError(
				`did not understand "${p.slice(i).join(" ")}"; expected "by <dimension>" or "last <N> months|weeks|days"`,
			);
	}
	const by = single(w, "by");
	const grain = single(w, "grain");
	const since = monthOrDay("since", single(w, "since"));
	const until = monthOrDay("until", single(w, "until"));
	const source = single(w, "source");
	if (by) input.filter = dimensionValue(by);
	if (grain) input.grain = grain;
	if (since) input.since = since;
	if (until) input.until = until;
	if (source) input.source = source;
	return input;
}

/** Every metric: id, unit, grains, dimensions and what it measures. */
export function metricListText(catalog: MetricCatalog): string {
	const rows = [["metric", "unit", "grains", "dimensions", "also called"]];
	for (const m of catalog.metrics)
		rows.push([
			m.id,
			catalog.unitOf(m),
			m.grains.join(","),
			m.dimensions.join(","),
			m.synonyms.slice(0, 3).join(", "),
		]);
	return [
		...renderTable(rows),
		"",
		`Dimensions: ${DIMENSIONS.map((d) => d.id).join(", ")}. Example: erp-pulse metric revenue by region last 12 months`,
	].join("\n");
}

function grainOf(
	input: Extract<MetricInput, { kind: "show" }>,
	m: MetricDefinition,
): Grain {
	const wanted = input.last?.grain ?? input.grain;
	if (input.last && input.grain) {
		const a = resolveGrain(input.last.grain);
		const b = resolveGrain(input.grain);
		if (a.ok && b.ok && a.value !== b.value)
			throw usageError(
				`"last ${input.last.n} ${input.last.grain}" and --grain ${input.grain} disagree`,
			);
	}
	if (wanted === undefined) return m.defaultGrain;
	const g = resolveGrain(wanted, [m]);
	if (!g.ok) throw usageError(g.message);
	return g.value;
}

function fetchOptions(
	input: Extract<MetricInput, { kind: "show" }>,
	m: MetricDefinition,
): FetchOptions {
	const opts: FetchOptions = { grain: grainOf(input, m) };
	if (input.last) opts.last = input.last.n;
	if (input.since) opts.since = input.since;
	if (input.until) opts.until = input.until;
	if (input.source) opts.source = input.source;
	if (input.filter) {
		const d = resolveDimension(input.filter.dimension, m);
		if (!d.ok) throw usageError(d.message);
		opts.filter = { dimension: d.value.id, value: input.filter.value };
	}
	return opts;
}

function title(m: MetricDefinition, s: MetricSeries, extra = ""): string {
	const first = s.points[0]?.period;
	const last = s.points.at(-1)?.period;
	const span =
		first && last
			? `, ${periodLabel(first, s.grain)} to ${periodLabel(last, s.grain)}`
			: "";
	return `${m.label} (${s.unit})${extra}, ${s.grain}ly${span}`;
}

/** "; last month +3.1% on the one before" (percentage points for percent metrics). */
function lastChange(m: MetricDefinition, s: MetricSeries): string {
	const [prev, last] = s.points.slice(-2).map((p) => p.value);
	if (prev == null || last == null) return "";
	const sign = last >= prev ? "+" : "−";
	if (m.unit === "percent")
		return `; last ${s.grain} ${sign}${Math.abs(last - prev).toFixed(1)} points on the one before`;
	if (prev === 0) return "";
	return `; last ${s.grain} ${sign}${Math.abs((100 * (last - prev)) / Math.abs(prev)).toFixed(1)}% on the one before`;
}

/**
 * The one figure that sums a series up, labelled with what it is: the total of a flow; a ratio's
 * own formula over the whole window (the ratio of the totals, never a mean of the periods'
 * ratios); the average per period of a level or a distinct count, which do not add up.
 */
export function summaryLine(
	m: MetricDefinition,
	s: MetricSeries,
	values: readonly number[],
): string {
	const sum = values.reduce((a, b) => a + b, 0);
	const n = s.points.length;
	const span = `${n} ${s.grain}${n === 1 ? "" : "s"}`;
	if (m.flow && m.summable !== false)
		return `total over the ${span}: ${formatValue(sum, m, s.unit)}`;
	if (m.ratioOfTotals && s.overall !== undefined)
		return `over the ${span}: ${formatValue(s.overall, m, s.unit)}`;
	return `average per ${s.grain}: ${formatValue(values.length ? sum / values.length : null, m, s.unit)}`;
}

/** A series as a table of periods, with the figure that sums it up and the last change. */
export function seriesText(
	m: MetricDefinition,
	s: MetricSeries,
	filterNote = "",
): string {
	if (s.missing) return `${m.label}${filterNote}: ${s.missing}`;
	const rows = [["period", m.label]];
	for (const p of s.points)
		rows.push([
			periodLabel(p.period, s.grain),
			formatValue(p.value, m, s.unit),
		]);
	const values = s.points
		.map((p) => p.value)
		.filter((v): v is number => v !== null);
	const summary = summaryLine(m, s, values);
	const change = lastChange(m, s);
	return [
		title(m, s, filterNote),
		...renderTable(rows),
		`${summary}${change}`,
	].join("\n");
}

/** A breakdown as a table: one row per period, one column per member, and the total. */
export function breakdownText(m: MetricDefinition, b: Breakdown): string {
	if (b.total.missing) return `${m.label}: ${b.total.missing}`;
	if (b.members.length === 0)
		return `${m.label} by ${b.dimension}: no ${b.dimension} values in this range`;
	const head = ["period", ...b.members.map((x) => x.member), "all"];
	const rows = b.total.points.map((p, i) => [
		periodLabel(p.period, b.total.grain),
		...b.members.map((x) =>
			formatValue(x.series.points[i]?.value ?? null, m, b.total.unit),
		),
		formatValue(p.value, m, b.total.unit),
	]);
	return [
		title(m, b.total, ` by ${b.dimension}`),
		...renderTable([head, ...rows]),
		`showing the ${b.members.length} most frequent ${b.dimension} values; "all" covers every value`,
	].join("\n");
}

async function show(
	deps: CommandDeps,
	input: Extract<MetricInput, { kind: "show" }>,
): Promise<Reply> {
	const r = resolveMetric(deps.catalog, input.name);
	if (!r.ok) throw usageError(r.message);
	const m = r.value;
	const opts = fetchOptions(input, m);
	const filterNote = opts.filter
		? ` for ${opts.filter.dimension} = ${opts.filter.value}`
		: "";
	if (input.by !== undefined) {
		if (opts.filter)
			throw usageError(`"by ${input.by}" and --by cannot be combined; use one`);
		const d = resolveDimension(input.by, m);
		if (!d.ok) throw usageError(d.message);
		const by = d.value.id;
		const b = await deps.withPool((pool) =>
			fetchBreakdown(pool, deps.catalog, m, by, opts),
		);
		return { text: breakdownText(m, b), data: b };
	}
	const s = await deps.withPool((pool) =>
		fetchSeries(pool, deps.catalog, m, opts),
	);
	return { text: seriesText(m, s, filterNote), data: s };
}

const METRIC_SHOW =
	"metric <name> [by <dimension>] [last N months|weeks|days] [--grain g] [--since YYYY-MM] [--by dim=value]";

export const metricCommand: Command<MetricInput> = {
	name: "metric",
	forms: {
		"metric list": "the metrics: units, grains, dimensions and synonyms",
		[METRIC_SHOW]: "one metric per period, or broken down by a dimension",
	},
	usage: ["metric list", METRIC_SHOW],
	parse,
	async run(deps, input) {
		if (input.kind === "list")
			return { text: metricListText(deps.catalog), title: "Metrics" };
		return show(deps, input);
	},
};
