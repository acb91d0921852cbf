/**
 * `explain <metric> [by <dim>] [last month|last week|YYYY-MM|week of YYYY-MM-DD] [vs previous|vs
 * last year]`: why a metric changed between two periods — which members of which dimension
 * account for the change, and for a ratio whether members' own rates moved or the mix shifted.
 */

import type {
	Breakdown,
	Contribution,
} from "../src/analytics/drivers/index.ts";
import { isCalendarDay } from "../src/calendar.ts";
import {
	type Comparison,
	type DimensionDrivers,
	type Explanation,
	explainMetric,
} from "../src/metrics/explain.ts";
import {
	driverSentence,
	signedChange,
	withinName,
} from "../src/metrics/explain-text.ts";
import {
	type Grain,
	type MetricDefinition,
	resolveDimension,
	resolveGrain,
	resolveMetric,
} from "../src/metrics/index.ts";
import {
	type Command,
	type Reply,
	single,
	splitWords,
	usageError,
} from "./command.ts";
import { formatValue, renderTable } from "./format.ts";

export interface ExplainInput {
	name: string;
	by?: string;
	/** Only the rows of one member of another dimension: `in region=West` (or `--by region=West`, as metric takes it). */
	within?: { dimension: string; value: string };
	grain?: string;
	period?: string;
	compare: Comparison;
	source?: string;
}

const KEYWORDS = new Set(["by", "in", "last", "this", "week", "vs", "versus"]);

function parse(words: readonly string[]): ExplainInput {
	const w = splitWords(words, ["grain", "source", "by"]);
	const p = w.positionals.map((x) => x.toLowerCase());
	const name: string[] = [];
	let i = 0;
	while (
		i < p.length &&
		!KEYWORDS.has(p[i] as string) &&
		!(p[i] as string).includes("=") &&
		!/^\d{4}-\d{2}/.test(p[i] as string)
	)
		name.push(w.positionals[i++] as string);
	if (name.length === 0)
		throw usageError(
			"explain needs a metric, e.g. explain revenue last month, or explain margin % by region 2026-10",
		);
	const input: ExplainInput = { name: name.join(" "), compare: "previous" };
	let grain: string | undefined;
	while (i < p.length) {
		const [a, b, c] = [p[i], p[i + 1], p[i + 2]];
		if (a === "by" && b) {
			input.by = w.positionals[i + 1] as string;
			i += 2;
		} else if (a === "in") {
			// Chat's tokenizer hands `region=West` over after the other words: take the next one with "=".
			const j = p.findIndex((x, k) => k > i && x.includes("="));
			if (j < 0)
				throw usageError(
					`"in" expects dimension=member, e.g. explain margin % in region=West; got "${w.positionals[i + 1] ?? ""}"`,
				);
			input.within = within(w.positionals[j] as string);
			p.splice(j, 1);
			w.positionals.splice(j, 1);
			i += 1;
		} else if (a?.includes("=")) {
			input.within = within(w.positionals[i] as string);
			i += 1;
		} else if (a === "last" && (b === "month" || b === "week")) {
			grain = b;
			i += 2;
		} else if (a === "this" && (b === "month" || b === "week"))
			throw usageError(
				`"this ${b}" is not over yet: explain compares whole periods; say "last ${b}", or name one (2026-10, week of 2026-09-07)`,
			);
		else if (a === "week" && b === "of" && c && isCalendarDay(c)) {
			grain = "week";
			input.period = c;
			i += 3;
		} else if (a && /^\d{4}-\d{2}$/.test(a) && isCalendarDay(`${a}-01`)) {
			grain ??= "month";
			input.period = `${a}-01`;
			i += 1;
		} else if (a && isCalendarDay(a)) {
			input.period = a;
			i += 1;
		} else if ((a === "vs" || a === "versus") && b === "previous") {
			i += 2;
		} else if ((a === "vs" || a === "versus") && b === "last" && c === "year") {
			input.compare = "last_year";
			i += 3;
		} else
			throw usageError(
				`did not understand "${w.positionals.slice(i).join(" ")}"; expected "by <dimension>", "in <dimension>=<member>", "last month", "last week", a month (2026-10), "week of 2026-09-07", "vs previous" or "vs last year"`,
			);
	}
	const g = single(w, "grain");
	const named = g ? resolveGrain(g) : undefined;
	if (named?.ok && grain && named.value !== grain)
		throw usageError(`--grain ${g} and "${grain}" disagree`);
	if (g ?? grain) input.grain = (g ?? grain) as string;
	const source = single(w, "source");
	if (source) input.source = source;
	const filter = single(w, "by");
	if (filter && input.within)
		throw usageError(
			`"in ${input.within.dimension}=${input.within.value}" and --by ${filter} both name a member: keep one`,
		);
	if (filter) input.within = within(filter);
	return input;
}

/** "region=West" → the member explain looks within. */
function within(v: string): { dimension: string; value: string } {
	const eq = v.indexOf("=");
	if (eq <= 0 || eq === v.length - 1)
		throw usageError(
			`"in" expects dimension=member, e.g. explain margin % in region=West; got "${v}"`,
		);
	return { dimension: v.slice(0, eq), value: v.slice(eq + 1) };
}

/** "Oct 2026" / "week of 2026-09-07". */
export function periodName(period: string, grain: Grain): string {
	if (grain === "month") {
		const d = new Date(`${period}T00:00:00Z`);
		return d.toLocaleString("en-US", {
			month: "short",
			year: "numeric",
			timeZone: "UTC",
		});
	}
	return grain === "week" ? `the week of ${period}` : period;
}

/** A change in the metric's unit: "−6.1 points" for a percent, "−$41,200" for money. */
function delta(v: number, e: Explanation): string {
	return signedChange(v, e, (x) => formatValue(x, e.metric, e.unit));
}

/** The headline: what changed, by how much, between which periods. */
function headline(e: Explanation): string {
	const { previous: a, current: b, change } = e.total;
	const what = `${e.metric.label[0]?.toUpperCase()}${e.metric.label.slice(1)}${e.within ? ` in ${withinName(e)}` : ""}`;
	const when = `in ${periodName(e.current, e.grain)} vs ${periodName(e.previous, e.grain)}`;
	if (change === 0)
		return `${what} did not change ${when} (${formatValue(b, e.metric, e.unit)}): there is nothing to explain.`;
	const verb = change < 0 ? "fell" : "rose";
	const pct =
		e.metric.unit !== "percent" && a
			? ` ${Math.abs((100 * change) / a).toFixed(1)}%`
			: "";
	return `${what} ${verb}${pct} ${when}: ${formatValue(a, e.metric, e.unit)} → ${formatValue(b, e.metric, e.unit)} (${delta(change, e)}).`;
}

/** The driver sentence with amounts written as the metric's own figures ("$41,200"). */
function driverLine(e: Explanation, d: DimensionDrivers): string {
	return driverSentence(e, d, (x) => formatValue(x, e.metric, e.unit));
}

function memberRow(m: Contribution, e: Explanation, b: Breakdown): string[] {
	const value = (v: number | null) =>
		v === null ? "—" : formatValue(v, e.metric, e.unit);
	const notes = [
		m.status === "new" ? "new" : m.status === "gone" ? "gone" : "",
		m.withinNormal ? "usual variation" : "",
		b.kind === "ratio"
			? `vol ${Math.round(m.volume.previous).toLocaleString("en-US")}→${Math.round(m.volume.current).toLocaleString("en-US")}`
			: "",
	].filter(Boolean);
	return [
		m.member,
		value(m.previous),
		value(m.current),
		delta(m.contribution, e),
		m.share === null ? "" : `${Math.round(100 * m.share)}%`,
		...(b.kind === "ratio"
			? [delta(m.rate ?? 0, e), delta(m.mix ?? 0, e)]
			: []),
		notes.join(", "),
	];
}

/** The whole answer as text: headline, one driver sentence per dimension, the top dimension's table. */
export function explanationText(e: Explanation, limit = 6): string {
	const lines = [headline(e)];
	if (e.total.change === 0) return lines.join("\n");
	const top = e.dimensions[0];
	if (top) {
		const b = top.breakdown;
		if (b.kind === "ratio" && b.rate !== undefined && b.mix !== undefined)
			lines.push(
				`By ${top.dimension}: rate ${delta(b.rate, e)}, mix ${delta(b.mix, e)} — ${b.dominant === "rate" ? "members' own figures moved; the mix between them did not explain it" : "weight shifted between members with different figures; their own figures moved less"}.`,
			);
	}
	for (const d of e.dimensions) lines.push(`${driverLine(e, d)}.`);
	for (const s of e.skipped)
		lines.push(`by ${s.dimension}: left out — ${s.reason}.`);
	// One level down, when one member carried most of the change: its own best drivers.
	if (e.drill) {
		lines.push(headline(e.drill));
		for (const d of e.drill.dimensions.slice(0, 3))
			lines.push(`  ${driverLine(e.drill, d)}.`);
	}
	if (!top) return lines.join("\n");
	const b = top.breakdown;
	const head = [
		top.dimension,
		periodName(e.previous, e.grain),
		periodName(e.current, e.grain),
		"change",
		"share",
		...(b.kind === "ratio" ? ["rate", "mix"] : []),
		"",
	];
	lines.push(
		"",
		...renderTable([
			head,
			...b.members.slice(0, limit).map((m) => memberRow(m, e, b)),
		]),
	);
	if (b.kind === "distinct" && b.overlap)
		lines.push(
			`(members overlap: a ${e.metric.label.replace(/s$/, "")} can count under several ${top.dimension} members, so their changes add to ${delta(b.overlap + e.total.change, e)}, not ${delta(e.total.change, e)})`,
		);
	return lines.join("\n");
}

export const explainCommand: Command<ExplainInput> = {
	name: "explain",
	usage: [
		"explain <metric> [by <dimension>] [in <dimension>=<member>] [last month|last week|YYYY-MM|week of YYYY-MM-DD] [vs previous|vs last year]",
	],
	parse,
	async run(deps, input): Promise<Reply<Explanation>> {
		const r = resolveMetric(deps.catalog, input.name);
		if (!r.ok) throw usageError(r.message);
		const metric: MetricDefinition = r.value;
		const g = resolveGrain(input.grain ?? metric.defaultGrain, [metric]);
		if (!g.ok) throw usageError(g.message);
		let by: Explanation["dimensions"][number]["dimension"] | undefined;
		if (input.by) {
			const d = resolveDimension(input.by, metric);
			if (!d.ok) throw usageError(d.message);
			by = d.value.id;
		}
		let within: Explanation["within"];
		if (input.within) {
			const d = resolveDimension(input.within.dimension, metric);
			if (!d.ok) throw usageError(d.message);
			within = { dimension: d.value.id, value: input.within.value };
		}
		const e = await deps.withPool((pool) =>
			explainMetric(pool, deps.catalog, metric, {
				grain: g.value,
				compare: input.compare,
				...(input.period ? { period: input.period } : {}),
				...(by ? { by } : {}),
				...(within ? { within } : { drill: true }),
				...(input.source ? { source: input.source } : {}),
			}),
		);
		const text = explanationText(e);
		const prose = text.split("\n").indexOf("");
		return {
			text,
			data: e,
			prose: prose < 0 ? text.split("\n").length - 1 : prose - 1,
		};
	},
};
