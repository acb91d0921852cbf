/**
 * Statistics about time: lags, autocorrelation, effective sample size and seasonality.
 * Each works on the calendar index from `alignment.ts`, so gaps are never bridged.
 */
import {
	type AlignedPair,
	differences,
	type Indexed,
	lagPairs,
	pairedDifferences,
} from "./alignment.ts";
import { GRAIN_WORDS, SEASONAL_LAG } from "./periods.ts";
import {
	autocorrelation,
	bonferroni,
	correlate,
	correlationP,
} from "./statistics.ts";
import type {
	Autocorrelations,
	CorrelationStat,
	CrossCorrelation,
	EffectiveSample,
	Grain,
	LagStat,
	Maybe,
	SeasonalCheck,
} from "./types.ts";

/** Lags −6…+6 are tried: half a year of months either way. */
export const MAX_LAG = 6;

/** N_eff is kept above 2 so the t-test keeps a positive number of degrees of freedom. */
export const MIN_EFFECTIVE_N_MARGIN = 1e-3;

/** Seasonal autocorrelation of changes at or above this counts as "strong". */
export const STRONG_SEASONAL_ACF = 0.5;

/**
 * Cross-correlation of y(t + lag) with x(t) for lag = −max…+max, using every period where both
 * values exist (not only the aligned ones). A positive lag means x leads y. The best lag is
 * the largest |r| (ties: the smaller |lag|, then the negative one), reported as one of the
 * lags actually computed, with a Bonferroni-adjusted p.
 */
export function crossCorrelation(
	x: Indexed,
	y: Indexed,
	grain: Grain,
	maxLag = MAX_LAG,
): CrossCorrelation {
	const lags: LagStat[] = [];
	for (let lag = -maxLag; lag <= maxLag; lag++) {
		const pairs = lagPairs(x, y, lag);
		lags.push({
			lag,
			...correlate(pairs.x, pairs.y, `pairs ${lagWords(lag, grain)}`),
		});
	}
	const computed = lags.filter(
		(l): l is { lag: number; available: true } & CorrelationStat => l.available,
	);
	let best: (typeof computed)[number] | undefined;
	for (const l of computed) {
		if (!best || isBetterLag(l, best)) best = l;
	}
	if (!best) return { lags, best: null };
	return {
		lags,
		best: {
			lag: best.lag,
			r: best.r,
			p: best.p,
			n: best.n,
			tries: computed.length,
			bonferroniP: bonferroni(best.p, computed.length),
		},
	};
}

function isBetterLag(
	a: { lag: number; r: number },
	b: { lag: number; r: number },
): boolean {
	if (Math.abs(a.r) !== Math.abs(b.r)) return Math.abs(a.r) > Math.abs(b.r);
	if (Math.abs(a.lag) !== Math.abs(b.lag))
		return Math.abs(a.lag) < Math.abs(b.lag);
	return a.lag < b.lag;
}

/** "3 months apart (x first)", "at the same month". */
export function lagWords(lag: number, grain: Grain): string {
	const w = GRAIN_WORDS[grain];
	if (lag === 0) return `in the same ${w.one}`;
	const k = Math.abs(lag);
	return `${k} ${k === 1 ? w.one : w.many} apart`;
}

/** Lag-1 autocorrelation of each aligned series. */
export function lagOneAutocorrelations(a: AlignedPair): Autocorrelations {
	const one = (v: number[]): Maybe<{ r1: number }> => {
		const r1 = autocorrelation(a.index, v, 1);
		return r1 === null
			? { available: false, reason: "no two consecutive periods to compare" }
			: { available: true, r1 };
	};
	return { x: one(a.x), y: one(a.y) };
}

/**
 * Effective sample size of Bretherton et al. (1999), J. Climate 12(7), eq. 31:
 * N_eff = N·(1 − r1x·r1y)/(1 + r1x·r1y), clamped to [2 + ε, N], and Pearson's p recomputed
 * with N_eff − 2 degrees of freedom. Without both autocorrelations p is left unadjusted.
 */
export function effectiveSample(
	n: number,
	r: number,
	ac: Autocorrelations,
): EffectiveSample {
	if (!ac.x.available || !ac.y.available) {
		return {
			n,
			unclamped: n,
			nEff: n,
			clamped: null,
			df: n - 2,
			p: correlationP(r, n - 2),
			note: "lag-1 autocorrelation could not be estimated, so p is not adjusted for it",
		};
	}
	const product = ac.x.r1 * ac.y.r1;
	const raw =
		product <= -1
			? Number.POSITIVE_INFINITY
			: (n * (1 - product)) / (1 + product);
	const low = 2 + MIN_EFFECTIVE_N_MARGIN;
	let nEff = raw;
	let clamped: EffectiveSample["clamped"] = null;
	let note: string | null = null;
	if (!(raw <= n)) {
		nEff = n;
		clamped = "high";
		note = `N_eff ${Number.isFinite(raw) ? `(${raw.toFixed(1)}) ` : ""}exceeds the ${n} points, so it is capped at ${n}`;
	} else if (raw < low) {
		nEff = low;
		clamped = "low";
		note = `N_eff (${raw.toFixed(2)}) is at or below 2, so it is raised to ${low}: the series carry almost no independent information`;
	}
	return {
		n,
		unclamped: Number.isFinite(raw) ? raw : n,
		nEff,
		clamped,
		df: nEff - 2,
		p: correlationP(r, nEff - 2),
		note,
	};
}

/** Correlation of first differences (period-to-period changes). */
export function changeCorrelation(
	a: AlignedPair,
	grain: Grain,
): Maybe<CorrelationStat> {
	const d = pairedDifferences(a, 1);
	const w = GRAIN_WORDS[grain].one;
	return correlate(d.x, d.y, `${w}-to-${w} changes`);
}

/**
 * Seasonality: the autocorrelation at the seasonal lag of each series' changes (changes, not
 * levels, so a plain trend does not look seasonal) and the correlation left after taking
 * seasonal differences. Needs two full seasons of aligned data.
 */
export function seasonalCheck(
	a: AlignedPair,
	grain: Grain,
): Maybe<SeasonalCheck> {
	const lag = SEASONAL_LAG[grain];
	const w = GRAIN_WORDS[grain];
	if (a.n < 2 * lag)
		return {
			available: false,
			reason: `seasonality needs at least ${2 * lag} ${w.many}; there are ${a.n}`,
		};
	const dx = differences(a.index, a.x, 1);
	const dy = differences(a.index, a.y, 1);
	const acfX = autocorrelation(dx.index, dx.value, lag);
	const acfY = autocorrelation(dy.index, dy.value, lag);
	if (acfX === null || acfY === null)
		return {
			available: false,
			reason: `no changes ${lag} ${w.many} apart to compare`,
		};
	const sd = pairedDifferences(a, lag);
	return {
		available: true,
		lag,
		acfX,
		acfY,
		seasonalDifferences: correlate(sd.x, sd.y, `${w.seasonalChange} changes`),
	};
}
