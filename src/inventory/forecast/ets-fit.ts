/**
 * Fitting additive ETS models by least squares. For fixed smoothing parameters the one-step
 * errors are affine in the initial states, so the best initial states are an ordinary
 * least-squares problem; Nelder–Mead then searches only the smoothing parameters over the
 * usual region 0 ≤ α ≤ 1, 0 ≤ β ≤ α, 0 ≤ γ ≤ 1 − α (Hyndman et al. 2008, §5.2).
 * Any parameter or the initial state may be fixed instead of fitted.
 */
import { AppError } from "../../errors.ts";
import {
	type EtsKind,
	type EtsModel,
	type EtsParams,
	type EtsRun,
	type EtsState,
	etsRun,
} from "./ets.ts";
import { leastSquares, nelderMeadUnitBox } from "./optimize.ts";

/** Values to hold fixed instead of fitting. */
export interface EtsFixed {
	alpha?: number;
	beta?: number;
	gamma?: number;
	/** The state before the first observation (seasonal oldest first). */
	initial?: EtsState;
}

/** A fitted model: parameters, initial state, the run over the data, and its error variance. */
export interface EtsFit {
	model: EtsModel;
	initial: EtsState;
	run: EtsRun;
	/** SSE / n, the maximum-likelihood σ² (statsmodels' `mse`), used for the intervals. */
	sigma2: number;
	/** Corrected AIC, n·ln(SSE/n) + 2k + 2k(k+1)/(n−k−1); k counts σ, free parameters and states. */
	aicc: number;
	/** Number of parameters counted in k. */
	k: number;
}

const stateCount = (kind: EtsKind, m: number) =>
	1 + (kind === "ANN" ? 0 : 1) + (kind === "AAA" ? m - 1 : 0);

/** Initial state from θ = (l₀, b₀, s_{1−m} … s_{−1}); s₀ makes the seasonal states sum to 0. */
function stateOf(theta: readonly number[], kind: EtsKind, m: number): EtsState {
	const level = theta[0] ?? 0;
	const trend = kind === "ANN" ? 0 : (theta[1] ?? 0);
	if (kind !== "AAA") return { level, trend, seasonal: [] };
	const free = theta.slice(2, 2 + m - 1);
	const last = -free.reduce((a, b) => a + b, 0);
	return { level, trend, seasonal: [...free, last] };
}

/**
 * One-step errors as an affine function of θ: e_t(θ) = base_t + Σ_i J_{t,i} θ_i. Every state
 * carries its coefficients on (1, θ₁ … θ_p), so one pass over the data gives base and J.
 */
function affineErrors(
	y: readonly number[],
	model: EtsModel,
): { base: number[]; rows: number[][] } {
	const { alpha, beta, gamma } = model.params;
	const trend = model.kind !== "ANN";
	const season = model.kind === "AAA";
	const m = season ? model.period : 1;
	const p = stateCount(model.kind, m);
	const unit = (i: number) => {
		const v = new Float64Array(p + 1);
		v[i] = 1;
		return v;
	};
	const level = unit(1);
	const slope = trend ? unit(2) : new Float64Array(p + 1);
	const ring: Float64Array[] = [];
	if (season) {
		const last = new Float64Array(p + 1);
		for (let j = 0; j < m - 1; j++) {
			ring.push(unit(3 + j));
			last[3 + j] = -1;
		}
		ring.push(last);
	} else ring.push(new Float64Array(p + 1));
	const base: number[] = [];
	const rows: number[][] = [];
	const e = new Float64Array(p + 1);
	for (let t = 0; t < y.length; t++) {
		const s = ring[season ? t % m : 0] as Float64Array;
		for (let i = 0; i <= p; i++)
			e[i] =
				(i === 0 ? (y[t] ?? 0) : 0) -
				(level[i] ?? 0) -
				(slope[i] ?? 0) -
				(s[i] ?? 0);
		for (let i = 0; i <= p; i++) {
			const ei = e[i] ?? 0;
			level[i] = (level[i] ?? 0) + (slope[i] ?? 0) + alpha * ei;
			if (trend) slope[i] = (slope[i] ?? 0) + beta * ei;
			if (season) s[i] = (s[i] ?? 0) + gamma * ei;
		}
		base.push(e[0] ?? 0);
		rows.push(Array.from(e.subarray(1)));
	}
	return { base, rows };
}

/** The least-squares initial state for fixed smoothing parameters. */
export function bestInitialState(
	y: readonly number[],
	model: EtsModel,
): EtsState {
	const m = model.kind === "AAA" ? model.period : 1;
	const { base, rows } = affineErrors(y, model);
	// e(θ) = base + J·θ, so minimise |J·θ − (−base)|².
	const theta = leastSquares(
		rows,
		base.map((v) => -v),
	);
	return stateOf(theta, model.kind, m);
}

function checkFixed(name: string, v: number | undefined): void {
	if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= 1))
		throw new AppError(
			"config_invalid",
			`fixed ${name} must be a number from 0 to 1, got ${v}`,
		);
}

/** Maps u ∈ [0,1]^k (the free parameters) to α, β = u·α, γ = u·(1 − α), honouring fixed ones. */
function paramsFrom(
	u: readonly number[],
	kind: EtsKind,
	fixed: EtsFixed,
): EtsParams {
	let i = 0;
	const next = () => u[i++] ?? 0;
	const alpha = fixed.alpha ?? next();
	const beta = kind === "ANN" ? 0 : (fixed.beta ?? next() * alpha);
	const gamma = kind === "AAA" ? (fixed.gamma ?? next() * (1 - alpha)) : 0;
	return { alpha, beta, gamma };
}

function freeCount(kind: EtsKind, fixed: EtsFixed): number {
	let k = fixed.alpha === undefined ? 1 : 0;
	if (kind !== "ANN" && fixed.beta === undefined) k++;
	if (kind === "AAA" && fixed.gamma === undefined) k++;
	return k;
}

/** Grid of starting points; the best one seeds Nelder–Mead. */
function bestStart(k: number, sse: (u: number[]) => number): number[] {
	const grid = [0.05, 0.3, 0.6, 0.9];
	let best: number[] = new Array<number>(k).fill(0.3);
	let bestValue = Number.POSITIVE_INFINITY;
	const walk = (prefix: number[]) => {
		if (prefix.length === k) {
			const v = sse(prefix);
			if (v < bestValue) [best, bestValue] = [prefix, v];
			return;
		}
		for (const g of grid) walk([...prefix, g]);
	};
	walk([]);
	return best;
}

/**
 * Fits ETS(A,N,N), (A,A,N) or (A,A,A) to `y` by minimising the SSE of one-step errors. Needs
 * n > number of initial states (and n ≥ 2m for a season); the caller checks lengths.
 */
export function fitEts(
	y: readonly number[],
	kind: EtsKind,
	period: number,
	fixed: EtsFixed = {},
): EtsFit {
	checkFixed("alpha", fixed.alpha);
	checkFixed("beta", fixed.beta);
	checkFixed("gamma", fixed.gamma);
	const m = kind === "AAA" ? period : 1;
	if (kind === "AAA" && fixed.initial && fixed.initial.seasonal.length !== m)
		throw new AppError(
			"config_invalid",
			`fixed initial seasonal states must number ${m} (one per season), got ${fixed.initial.seasonal.length}`,
		);
	const runWith = (params: EtsParams) => {
		const model: EtsModel = { kind, period: m, params };
		const initial = fixed.initial ?? bestInitialState(y, model);
		return { model, initial, run: etsRun(y, model, initial) };
	};
	const k = freeCount(kind, fixed);
	let u: number[] = [];
	if (k > 0) {
		const sse = (v: number[]) => runWith(paramsFrom(v, kind, fixed)).run.sse;
		let min = nelderMeadUnitBox(sse, bestStart(k, sse));
		// A restart from the optimum guards against a collapsed simplex (Lagarias et al. 1998).
		min = nelderMeadUnitBox(sse, min.x, { step: 0.05 });
		u = min.x;
	}
	const { model, initial, run } = runWith(paramsFrom(u, kind, fixed));
	const n = y.length;
	const kAll = 1 + k + (fixed.initial ? 0 : stateCount(kind, m));
	const logTerm = n * Math.log(Math.max(run.sse, 1e-300) / n);
	const aicc =
		n - kAll - 1 > 0
			? logTerm + 2 * kAll + (2 * kAll * (kAll + 1)) / (n - kAll - 1)
			: Number.POSITIVE_INFINITY;
	return { model, initial, run, sigma2: run.sse / n, aicc, k: kAll };
}
