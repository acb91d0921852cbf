/**
 * Additive exponential smoothing in the error-correction (innovations state space) form of
 * Hyndman, Koehler, Ord & Snyder (2008), "Forecasting with Exponential Smoothing":
 *
 *   ŷ_t = l_{t−1} + b_{t−1} + s_{t−m},  e_t = y_t − ŷ_t
 *   l_t = l_{t−1} + b_{t−1} + α e_t,  b_t = b_{t−1} + β e_t,  s_t = s_{t−m} + γ e_t
 *
 * ETS(A,N,N) is simple exponential smoothing, ETS(A,A,N) Holt's linear method and ETS(A,A,A)
 * additive Holt–Winters. β here is the ETS β = α·β* of the Holt–Winters form, as in
 * statsmodels' `ETSModel`.
 */

/** Which additive model: no trend/no season, trend, trend and season. */
export type EtsKind = "ANN" | "AAN" | "AAA";

/** Smoothing parameters; β and γ are 0 for models without trend or season. */
export interface EtsParams {
	alpha: number;
	beta: number;
	gamma: number;
}

/**
 * States just before the first observation. `seasonal` holds s_{1−m} … s_0, oldest first
 * (the order statsmodels' `initial_seasonal` takes); empty without a season.
 */
export interface EtsState {
	level: number;
	trend: number;
	seasonal: number[];
}

/** A model: its kind, season length m (1 without a season), and parameters. */
export interface EtsModel {
	kind: EtsKind;
	period: number;
	params: EtsParams;
}

/** One-step-ahead fitted values, residuals, SSE and the state after the last observation. */
export interface EtsRun {
	fitted: number[];
	residuals: number[];
	sse: number;
	final: EtsState;
}

/** A forecast with its prediction interval. */
export interface ForecastPoint {
	mean: number;
	lower: number | null;
	upper: number | null;
}

const hasTrend = (kind: EtsKind) => kind !== "ANN";
const hasSeason = (kind: EtsKind) => kind === "AAA";

/** Runs the model over `y` from `initial`. The state after y_n comes back in the same layout. */
export function etsRun(
	y: readonly number[],
	model: EtsModel,
	initial: EtsState,
): EtsRun {
	const { alpha, beta, gamma } = model.params;
	const trend = hasTrend(model.kind);
	const season = hasSeason(model.kind);
	const m = season ? model.period : 1;
	let level = initial.level;
	let slope = trend ? initial.trend : 0;
	// ring[(t) mod m] holds s_{t+1−m} before step t (0-based); oldest first at t = 0.
	const ring = season ? initial.seasonal.slice(0, m) : [0];
	const fitted = new Array<number>(y.length);
	const residuals = new Array<number>(y.length);
	let sse = 0;
	for (let t = 0; t < y.length; t++) {
		const slot = season ? t % m : 0;
		const s = ring[slot] ?? 0;
		const yhat = level + slope + s;
		const e = (y[t] ?? 0) - yhat;
		fitted[t] = yhat;
		residuals[t] = e;
		sse += e * e;
		level = level + slope + alpha * e;
		if (trend) slope += beta * e;
		if (season) ring[slot] = s + gamma * e;
	}
	// Re-order the ring so the final seasonal states read oldest first again.
	const start = season ? y.length % m : 0;
	const seasonal = season ? ring.map((_, i) => ring[(start + i) % m] ?? 0) : [];
	return { fitted, residuals, sse, final: { level, trend: slope, seasonal } };
}

/** Point forecasts ŷ_{n+h} = l_n + h·b_n + s_{n+h−m(k+1)}, h = 1 … horizon. */
export function etsPointForecast(
	final: EtsState,
	model: EtsModel,
	horizon: number,
): number[] {
	const trend = hasTrend(model.kind) ? final.trend : 0;
	const season = hasSeason(model.kind);
	const out: number[] = [];
	for (let h = 1; h <= horizon; h++) {
		const s = season ? (final.seasonal[(h - 1) % model.period] ?? 0) : 0;
		out.push(final.level + h * trend + s);
	}
	return out;
}

/**
 * Forecast variance v_h = σ²·(1 + Σ_{j=1}^{h−1} c_j²) of the class 1 (linear homoscedastic)
 * models, Hyndman et al. (2008) Table 6.1: c_j = α (A,N,N); α + jβ (A,A,N);
 * α + jβ + γ·[j mod m = 0] (A,A,A).
 */
export function etsForecastVariance(
	model: EtsModel,
	sigma2: number,
	horizon: number,
): number[] {
	const { alpha, beta, gamma } = model.params;
	const out: number[] = [];
	let sum = 0;
	for (let h = 1; h <= horizon; h++) {
		out.push(sigma2 * (1 + sum));
		const j = h;
		let c = alpha;
		if (hasTrend(model.kind)) c += j * beta;
		if (hasSeason(model.kind) && j % model.period === 0) c += gamma;
		sum += c * c;
	}
	return out;
}

/** Point forecasts with symmetric normal intervals mean ± z·√v_h. */
export function etsForecast(
	final: EtsState,
	model: EtsModel,
	sigma2: number,
	horizon: number,
	z: number,
): ForecastPoint[] {
	const means = etsPointForecast(final, model, horizon);
	const variances = etsForecastVariance(model, sigma2, horizon);
	return means.map((mean, i) => {
		const half = z * Math.sqrt(variances[i] ?? 0);
		return { mean, lower: mean - half, upper: mean + half };
	});
}
