/**
 * The verdict: which pattern best explains a correlation, in deterministic plain English.
 * Thresholds are named constants so a reader can see exactly why a pair got its label.
 *
 * - levels correlate: |r| ≥ MIN_LEVEL_R and p < ALPHA;
 * - changes hold up: first differences correlate with p < ALPHA, the same sign, and at least
 *   CHANGE_RATIO·|r|;
 * - robust: levels and changes, and p < ALPHA after N_eff;
 * - shared_trend: levels but not changes;
 * - seasonal: levels, both series' changes autocorrelate ≥ STRONG_SEASONAL_ACF at the seasonal
 *   lag, and the seasonal differences do not hold up;
 * - definitional_overlap: from the catalog's `builtFrom`; primary only when levels correlate;
 * - weak: some p < ALPHA (levels or changes) without the above; none: nothing significant.
 * Primary: overlap, then seasonal, then the evidence (robust / shared_trend / weak / none).
 */
import { lagWords, STRONG_SEASONAL_ACF } from "./dependence.ts";
import { countPeriods, GRAIN_WORDS } from "./periods.ts";
import type {
	CorrelationReport,
	MetricMetaMap,
	Overlap,
	Pattern,
	RefusalCode,
	SeriesRef,
	Verdict,
} from "./types.ts";
import { formatP, formatR, metaFor } from "./wording.ts";

/** Significance level for every test in the verdict. */
export const ALPHA = 0.05;
/** Levels "correlate" when |r| is at least this and p < ALPHA. */
export const MIN_LEVEL_R = 0.3;
/** Changes "hold up" when they correlate (p < ALPHA, same sign) at least this fraction of |r|. */
export const CHANGE_RATIO = 0.5;

/** Fixed order of patterns after the primary one. */
export const PATTERN_ORDER: readonly Pattern[] = [
	"definitional_overlap",
	"seasonal",
	"shared_trend",
	"robust",
	"weak",
	"none",
	"too_few_points",
	"not_computable",
];

/** Everything a verdict is computed from: a report before its verdict. */
export type VerdictInput = Omit<CorrelationReport, "verdict" | "status">;

/**
 * Whether two metrics are built from each other (revenue = customers × revenue per customer)
 * or from a shared component, according to the catalog's `builtFrom`.
 */
export function definitionalOverlap(
	x: SeriesRef,
	y: SeriesRef,
	meta: MetricMetaMap,
): Overlap | null {
	const fromX = metaFor(meta, x.metric).builtFrom ?? [];
	const fromY = metaFor(meta, y.metric).builtFrom ?? [];
	const label = (m: string) => metaFor(meta, m).label ?? m;
	if (fromY.includes(x.metric))
		return {
			description: `${y.label} is built from ${x.label}`,
			shared: [x.metric],
		};
	if (fromX.includes(y.metric))
		return {
			description: `${x.label} is built from ${y.label}`,
			shared: [y.metric],
		};
	const shared = [...new Set(fromX.filter((m) => fromY.includes(m)))].sort();
	if (shared.length === 0) return null;
	return {
		description: `both are built from ${shared.map(label).join(" and ")}`,
		shared,
	};
}

/** The verdict of a refusal: too few points, or not computable, with the refusal's reason. */
export function refusalVerdict(code: RefusalCode, reason: string): Verdict {
	const primary: Pattern =
		code === "too_few_points" ? "too_few_points" : "not_computable";
	return { primary, patterns: [primary], sentence: reason, details: [] };
}

interface Signals {
	levels: boolean;
	afterNeff: boolean;
	changesHold: boolean;
	seasonal: boolean;
}

function signals(s: VerdictInput): Signals {
	const r = s.pearson.r;
	const levels = Math.abs(r) >= MIN_LEVEL_R && s.pearson.p < ALPHA;
	const holds = (c: { r: number; p: number }) =>
		c.p < ALPHA &&
		Math.sign(c.r) === Math.sign(r) &&
		Math.abs(c.r) >= CHANGE_RATIO * Math.abs(r);
	const seasonal =
		levels &&
		s.seasonal.available &&
		s.seasonal.acfX >= STRONG_SEASONAL_ACF &&
		s.seasonal.acfY >= STRONG_SEASONAL_ACF &&
		s.seasonal.seasonalDifferences.available &&
		!holds(s.seasonal.seasonalDifferences);
	return {
		levels,
		afterNeff: s.effective.p < ALPHA,
		changesHold: s.changes.available && holds(s.changes),
		seasonal,
	};
}

/** Reads the statistics of a report into a primary pattern, its caveats and sentences. */
export function decideVerdict(s: VerdictInput): Verdict {
	const sig = signals(s);
	const caveats: Pattern[] = [];
	if (s.overlap) caveats.push("definitional_overlap");
	if (sig.seasonal) caveats.push("seasonal");
	const evidence = evidencePattern(s, sig);
	if (evidence === "shared_trend") caveats.push("shared_trend");
	const primary: Pattern =
		s.overlap && sig.levels
			? "definitional_overlap"
			: sig.seasonal
				? "seasonal"
				: evidence;
	// "robust" is never listed beside a caveat: a caveat is a reason not to trust the link.
	const all = new Set<Pattern>([primary, ...caveats]);
	if (evidence !== "robust") all.add(evidence);
	const patterns = [
		primary,
		...PATTERN_ORDER.filter((p) => p !== primary && all.has(p)),
	];
	return {
		primary,
		patterns,
		sentence: primarySentence(primary, s),
		details: detailSentences(patterns.slice(1), s),
	};
}

function evidencePattern(s: VerdictInput, sig: Signals): Pattern {
	if (sig.levels && sig.changesHold && sig.afterNeff) return "robust";
	if (sig.levels && s.changes.available && !sig.changesHold)
		return "shared_trend";
	if (s.pearson.p < ALPHA || (s.changes.available && s.changes.p < ALPHA))
		return "weak";
	return "none";
}

function head(s: VerdictInput): string {
	return `r = ${formatR(s.pearson.r)} on ${countPeriods(s.n, s.grain)}`;
}

function changesWord(s: VerdictInput): string {
	const w = GRAIN_WORDS[s.grain].one;
	return `the ${w}-to-${w} changes`;
}

function primarySentence(p: Pattern, s: VerdictInput): string {
	const c = s.changes;
	switch (p) {
		case "definitional_overlap":
			return `${head(s)}, but ${s.overlap?.description}: the correlation is at least partly arithmetic, not evidence of a link`;
		case "seasonal":
			return `${head(s)}, but both series repeat every ${countPeriods(s.seasonal.available ? s.seasonal.lag : 0, s.grain)} and ${seasonalLeft(s)}: most of it is shared seasonality`;
		case "shared_trend":
			return `${head(s)}, but ${changesWord(s)} correlate at ${c.available ? formatR(c.r) : "?"}: most of it is a shared trend`;
		case "robust":
			return `${head(s)}, and ${changesWord(s)} correlate too (${c.available ? formatR(c.r) : "?"}): the link holds after allowing for autocorrelation (p = ${formatP(s.effective.p)} with N_eff ≈ ${s.effective.nEff.toFixed(1)})`;
		case "weak":
			return `${head(s)} (p = ${formatP(s.pearson.p)})${weakQualifier(s)}: weak evidence of a link`;
		default:
			return `${head(s)} (p = ${formatP(s.pearson.p)}): no sign of a link`;
	}
}

function seasonalLeft(s: VerdictInput): string {
	if (!s.seasonal.available || !s.seasonal.seasonalDifferences.available)
		return "";
	return `the ${GRAIN_WORDS[s.grain].seasonalChange} changes correlate at ${formatR(s.seasonal.seasonalDifferences.r)}`;
}

function weakQualifier(s: VerdictInput): string {
	const c = s.changes;
	if (s.pearson.p < ALPHA && s.effective.p >= ALPHA)
		return `, but only p = ${formatP(s.effective.p)} after allowing for autocorrelation (N_eff ≈ ${s.effective.nEff.toFixed(1)})`;
	if (s.pearson.p >= ALPHA && c.available && c.p < ALPHA)
		return `, though ${changesWord(s)} correlate at ${formatR(c.r)} (p = ${formatP(c.p)})`;
	if (!c.available)
		return `, and ${changesWord(s)} could not be checked (${c.reason})`;
	return "";
}

function detailSentences(rest: Pattern[], s: VerdictInput): string[] {
	const out: string[] = [];
	for (const p of rest) {
		if (p === "definitional_overlap" && s.overlap)
			out.push(
				`${capitalise(s.overlap.description)}, so part of any correlation between them is arithmetic.`,
			);
		if (p === "seasonal" && s.seasonal.available)
			out.push(
				`Both series repeat every ${countPeriods(s.seasonal.lag, s.grain)} (autocorrelation of changes ${formatR(s.seasonal.acfX)} and ${formatR(s.seasonal.acfY)} at lag ${s.seasonal.lag}); ${seasonalLeft(s)}.`,
			);
		if (p === "shared_trend" && s.changes.available)
			out.push(
				`${capitalise(changesWord(s))} correlate at only ${formatR(s.changes.r)}: much of it is a shared trend.`,
			);
	}
	out.push(effectiveSentence(s));
	const lag = lagSentence(s);
	if (lag) out.push(lag);
	return out;
}

function effectiveSentence(s: VerdictInput): string {
	const e = s.effective;
	const ac = s.autocorrelation;
	const base =
		ac.x.available && ac.y.available
			? `Allowing for autocorrelation (lag 1: ${s.x.label} ${formatR(ac.x.r1)}, ${s.y.label} ${formatR(ac.y.r1)}), the ${countPeriods(s.n, s.grain)} count as about ${e.nEff.toFixed(1)} independent points (Bretherton et al. 1999): p = ${formatP(e.p)}.`
			: `p = ${formatP(e.p)} is not adjusted for autocorrelation.`;
	return e.note ? `${base} ${capitalise(e.note)}.` : base;
}

function lagSentence(s: VerdictInput): string | null {
	const best = s.crossCorrelation.best;
	if (!best || best.lag === 0) return null;
	const order = best.lag > 0 ? "after" : "before";
	return `The strongest lag has ${s.y.label} ${lagWords(best.lag, s.grain).replace(" apart", "")} ${order} ${s.x.label} (r = ${formatR(best.r)}), but it is the best of ${best.tries} tries: p = ${formatP(best.p)}, ${formatP(best.bonferroniP)} after Bonferroni.`;
}

function capitalise(t: string): string {
	return t.charAt(0).toUpperCase() + t.slice(1);
}
