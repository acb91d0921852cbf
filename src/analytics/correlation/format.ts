/**
 * Plain-text renderings for the CLI. Chat adapters build their own cards from the same result.
 */
import { countPeriods, GRAIN_WORDS } from "./periods.ts";
import type {
	CorrelationReport,
	CorrelationResult,
	Pattern,
	Ranking,
	SeriesRef,
} from "./types.ts";
import { formatP, formatR } from "./wording.ts";

const LABEL_WIDTH = 18;

/** "shared trend" for "shared_trend". */
export function patternName(p: Pattern): string {
	return p.replaceAll("_", " ");
}

function ref(s: SeriesRef): string {
	return `${s.label} (${s.unit})`;
}

function row(label: string, text: string): string {
	return `${label.padEnd(LABEL_WIDTH)}${text}`;
}

/** "0 (same month)", "+2 months (customers leads)", "−1 month (revenue leads)". */
function lagLabel(r: CorrelationReport, lag: number): string {
	const w = GRAIN_WORDS[r.grain];
	if (lag === 0) return `0 (same ${w.one})`;
	const k = Math.abs(lag);
	const leader = lag > 0 ? r.x.label : r.y.label;
	return `${lag > 0 ? "+" : "−"}${k} ${k === 1 ? w.one : w.many} (${leader} leads)`;
}

/** A multi-line plain-text report of one correlation: title, verdict, then one statistic a line. */
export function formatCorrelation(result: CorrelationResult): string {
	const title = `${ref(result.y)} vs ${ref(result.x)}`;
	if (result.status === "refused")
		return [title, `Not computed: ${result.reason}`].join("\n");
	const span = `${countPeriods(result.n, result.grain)}, ${result.first} to ${result.last}`;
	const v = result.verdict;
	const extra = v.patterns.slice(1).map(patternName);
	return [
		`${title}: ${span}`,
		`Verdict: ${patternName(v.primary)}${extra.length ? ` (also: ${extra.join(", ")})` : ""}`,
		`  ${v.sentence}`,
		...v.details.map((d) => `  - ${d}`),
		"",
		...statisticRows(result),
	].join("\n");
}

function statisticRows(r: CorrelationReport): string[] {
	const p = r.pearson;
	const ci = `${Math.round(p.ci.level * 100)}% CI ${formatR(p.ci.lower)} to ${formatR(p.ci.upper)}`;
	const c = r.changes;
	const best = r.crossCorrelation.best;
	const ac = r.autocorrelation;
	const e = r.effective;
	const s = r.seasonal;
	return [
		row("Pearson r", `${formatR(p.r)}  ${ci}  p = ${formatP(p.p)}`),
		row("Spearman ρ", `${formatR(r.spearman.r)}  p = ${formatP(r.spearman.p)}`),
		row(
			"Changes r",
			c.available
				? `${formatR(c.r)}  p = ${formatP(c.p)} (${c.n} pairs)`
				: `not computed: ${c.reason}`,
		),
		row(
			"Best lag",
			best
				? `${lagLabel(r, best.lag)}  r = ${formatR(best.r)}  p = ${formatP(best.p)}, one of ${best.tries} tries: Bonferroni p = ${formatP(best.bonferroniP)}`
				: "not computed: no lag has enough pairs",
		),
		row(
			"Autocorrelation",
			`lag 1: ${r.y.label} ${ac.y.available ? formatR(ac.y.r1) : "n/a"}, ${r.x.label} ${ac.x.available ? formatR(ac.x.r1) : "n/a"}`,
		),
		row(
			"Effective n",
			`${e.nEff.toFixed(1)} of ${e.n} (Bretherton et al. 1999)  p = ${formatP(e.p)}${e.note ? `; ${e.note}` : ""}`,
		),
		row(
			"Seasonality",
			s.available
				? `lag ${s.lag}: changes autocorrelate ${r.y.label} ${formatR(s.acfY)}, ${r.x.label} ${formatR(s.acfX)}; ${s.seasonalDifferences.available ? `seasonal differences r = ${formatR(s.seasonalDifferences.r)}  p = ${formatP(s.seasonalDifferences.p)}` : s.seasonalDifferences.reason}`
				: `not checked: ${s.reason}`,
		),
		row(
			"Regression",
			`${r.regression.sentence} (R² = ${r.regression.rSquared.toFixed(2)})`,
		),
		...(r.overlap ? [row("Overlap", r.overlap.description)] : []),
	];
}

/** A ranking as a numbered list: |r|, q-value, whether it survives the FDR, and the verdict. */
export function formatRanking(ranking: Ranking): string {
	const lines = [
		`Metrics against ${ref(ranking.target)}: q = Benjamini–Hochberg adjusted p, FDR ${ranking.fdr}`,
	];
	// The label column is as wide as the longest label, so a long name never runs into "r =".
	const width = Math.max(
		LABEL_WIDTH,
		...ranking.entries.map((e) => e.result.x.label.length + 2),
	);
	for (const e of ranking.entries) {
		const res = e.result;
		const name = res.x.label.padEnd(width);
		if (res.status === "refused") {
			lines.push(
				`${String(e.rank).padStart(3)}. ${name}not computed: ${res.reason}`,
			);
			continue;
		}
		const mark = e.survives ? "survives" : "does not survive";
		lines.push(
			`${String(e.rank).padStart(3)}. ${name}r = ${formatR(res.pearson.r)}  q = ${formatP(e.q ?? 1)}  ${mark}  ${patternName(res.verdict.primary)}`,
		);
	}
	return lines.join("\n");
}
