/**
 * The basic statistics the correlation engine is built from. Pure functions over plain arrays;
 * every one returns null (or says why) instead of NaN when its input has no variance.
 */
import {
	clampProbability,
	standardNormalQuantile,
	twoSidedTP,
} from "./distributions.ts";
import type { CorrelationStat, Maybe, PearsonStat } from "./types.ts";

/** Below this many pairs no correlation is reported: with 5 points |r| > 0.88 is needed for p < 0.05. */
export const MIN_POINTS = 6;

/** Arithmetic mean; 0 for no values. */
export function mean(v: readonly number[]): number {
	let s = 0;
	for (const a of v) s += a;
	return v.length === 0 ? 0 : s / v.length;
}

function centeredSums(x: readonly number[], y: readonly number[]) {
	const mx = mean(x);
	const my = mean(y);
	let sxx = 0;
	let syy = 0;
	let sxy = 0;
	for (let i = 0; i < x.length; i++) {
		const dx = (x[i] ?? 0) - mx;
		const dy = (y[i] ?? 0) - my;
		sxx += dx * dx;
		syy += dy * dy;
		sxy += dx * dy;
	}
	return { mx, my, sxx, syy, sxy };
}

/** True when every value is the same, so nothing can correlate with it. */
export function isConstant(v: readonly number[]): boolean {
	return v.every((a) => a === v[0]);
}

/** Pearson's r, or null when either side is constant. */
export function pearsonR(
	x: readonly number[],
	y: readonly number[],
): number | null {
	if (x.length < 2 || isConstant(x) || isConstant(y)) return null;
	const { sxx, syy, sxy } = centeredSums(x, y);
	if (sxx <= 0 || syy <= 0) return null;
	return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Two-sided p-value of a correlation r under H0: ρ = 0, t = r·√(df/(1 − r²)), df = n − 2. */
export function correlationP(r: number, df: number): number {
	if (!(df > 0)) return 1;
	if (Math.abs(r) >= 1) return 0;
	return twoSidedTP(r * Math.sqrt(df / (1 - r * r)), df);
}

/** Fisher-z interval: tanh(atanh(r) ± z(1 − α/2)/√(n − 3)). */
export function fisherInterval(
	r: number,
	n: number,
	level = 0.95,
): { level: number; lower: number; upper: number } {
	if (Math.abs(r) >= 1 || n <= 3) return { level, lower: r, upper: r };
	const z = Math.atanh(r);
	const half = standardNormalQuantile(1 - (1 - level) / 2) / Math.sqrt(n - 3);
	return { level, lower: Math.tanh(z - half), upper: Math.tanh(z + half) };
}

/** Ranks 1…n, ties sharing the average of the ranks they span. */
export function averageRanks(v: readonly number[]): number[] {
	const order = v.map((a, i) => ({ a, i })).sort((p, q) => p.a - q.a);
	const ranks = new Array<number>(v.length).fill(0);
	let start = 0;
	while (start < order.length) {
		let end = start;
		while (end + 1 < order.length && order[end + 1]?.a === order[start]?.a)
			end++;
		const rank = (start + end) / 2 + 1;
		for (let k = start; k <= end; k++) ranks[order[k]?.i ?? 0] = rank;
		start = end + 1;
	}
	return ranks;
}

/**
 * Pearson's r on `pairs` with its t-test p-value, or why it cannot be computed.
 * `what` names the pairs in the reason, e.g. "month-to-month changes".
 */
export function correlate(
	x: readonly number[],
	y: readonly number[],
	what: string,
): Maybe<CorrelationStat> {
	const n = x.length;
	if (n < MIN_POINTS)
		return {
			available: false,
			reason: `only ${n} ${what}; need at least ${MIN_POINTS}`,
		};
	const r = pearsonR(x, y);
	if (r === null)
		return { available: false, reason: `the ${what} do not vary on one side` };
	return { available: true, r, p: correlationP(r, n - 2), n };
}

/** Pearson's r, p (t-test, n − 2 df) and the 95% Fisher-z interval; null when either side is constant. */
export function pearson(
	x: readonly number[],
	y: readonly number[],
): PearsonStat | null {
	const r = pearsonR(x, y);
	if (r === null) return null;
	const n = x.length;
	return { r, p: correlationP(r, n - 2), n, ci: fisherInterval(r, n) };
}

/** Spearman's ρ (Pearson on average ranks) with the same t-test p-value scipy uses. */
export function spearman(
	x: readonly number[],
	y: readonly number[],
): CorrelationStat | null {
	const r = pearsonR(averageRanks(x), averageRanks(y));
	if (r === null) return null;
	return { r, p: correlationP(r, x.length - 2), n: x.length };
}

/** Least squares y = intercept + slope·x with R² and the slope's standard error; null when x is constant. */
export function leastSquares(
	x: readonly number[],
	y: readonly number[],
): {
	slope: number;
	intercept: number;
	rSquared: number;
	slopeStdErr: number;
} | null {
	const n = x.length;
	if (n < 3 || isConstant(x)) return null;
	const { mx, my, sxx, syy, sxy } = centeredSums(x, y);
	const slope = sxy / sxx;
	const rSquared = syy > 0 ? Math.min(1, (sxy * sxy) / (sxx * syy)) : 0;
	const residual = Math.max(0, syy - slope * sxy);
	return {
		slope,
		intercept: my - slope * mx,
		rSquared,
		slopeStdErr: Math.sqrt(residual / (n - 2) / sxx),
	};
}

/**
 * Sample autocorrelation at `lag` of values on a calendar: Σ(v(t) − v̄)(v(t+lag) − v̄) over the
 * pairs both present, divided by Σ(v − v̄)² over all values. Without gaps this is the usual
 * estimator (statsmodels `acf`). Null when the values are constant or no pair is `lag` apart.
 */
export function autocorrelation(
	index: readonly number[],
	value: readonly number[],
	lag: number,
): number | null {
	const m = mean(value);
	let denominator = 0;
	for (const v of value) denominator += (v - m) * (v - m);
	if (denominator <= 0 || isConstant(value)) return null;
	const at = new Map(index.map((k, i) => [k, value[i] ?? 0]));
	let numerator = 0;
	let pairs = 0;
	index.forEach((k, i) => {
		const later = at.get(k + lag);
		if (later === undefined) return;
		numerator += ((value[i] ?? 0) - m) * (later - m);
		pairs++;
	});
	if (pairs === 0) return null;
	return Math.max(-1, Math.min(1, numerator / denominator));
}

/** Bonferroni: min(1, p · tries). */
export function bonferroni(p: number, tries: number): number {
	return clampProbability(p * tries);
}
