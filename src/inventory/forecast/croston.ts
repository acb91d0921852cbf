/**
 * Croston's method and the Syntetos–Boylan approximation (SBA) for intermittent demand.
 *
 * Demands occur at periods t₁ < t₂ < … (1-based); the inter-demand intervals are q₁ = t₁ and
 * q_i = t_i − t_{i−1}. Sizes z and intervals p are smoothed separately with one α, each
 * started at its first value (as R `forecast::croston`, which runs `ses(..., initial =
 * "simple")` on both): z ← z + α(y_{t_i} − z), p ← p + α(q_i − p) for i ≥ 2.
 * Forecast per period: z / p (Croston 1972); (1 − α/2)·z / p (Syntetos & Boylan 2005), which
 * removes Croston's positive bias.
 *
 * Interval: Croston has no underlying stochastic model with a forecast variance, so we use a
 * simple empirical one. σ̂² is the mean squared one-step in-sample error of the per-period
 * forecast (every period after the first demand, zeros included), and the interval is
 * forecast ± z·σ̂, floored at 0, the same width at every horizon because the forecast is flat.
 */
import type { ForecastPoint } from "./ets.ts";

/** Which intermittent-demand estimator. */
export type CrostonVariant = "croston" | "sba";

/** Croston/SBA result for one series. */
export interface CrostonFit {
	variant: CrostonVariant;
	alpha: number;
	/** Smoothed demand size at the end of the series. */
	size: number | null;
	/** Smoothed inter-demand interval at the end of the series, periods. */
	interval: number | null;
	/** Forecast demand per period (flat over the horizon). */
	rate: number | null;
	/** Mean squared one-step in-sample error; null when no period follows the first demand. */
	mse: number | null;
	reason: string | null;
}

/** Default smoothing constant; 0.05–0.2 is the range Syntetos & Boylan recommend. */
export const DEFAULT_CROSTON_ALPHA = 0.1;

/** Fits Croston or SBA to per-period demand (zeros included). */
export function croston(
	y: readonly number[],
	variant: CrostonVariant = "sba",
	alpha = DEFAULT_CROSTON_ALPHA,
): CrostonFit {
	const factor = variant === "sba" ? 1 - alpha / 2 : 1;
	let size: number | null = null;
	let interval: number | null = null;
	let last = 0;
	let sq = 0;
	let count = 0;
	for (let t = 1; t <= y.length; t++) {
		const v = y[t - 1] ?? 0;
		if (size !== null && interval !== null) {
			const e = v - (factor * size) / interval;
			sq += e * e;
			count++;
		}
		if (v <= 0) continue;
		const q = t - last;
		last = t;
		if (size === null || interval === null) {
			size = v;
			interval = q;
		} else {
			size += alpha * (v - size);
			interval += alpha * (q - interval);
		}
	}
	if (size === null || interval === null)
		return {
			variant,
			alpha,
			size: null,
			interval: null,
			rate: null,
			mse: null,
			reason: "no demand in the window",
		};
	return {
		variant,
		alpha,
		size,
		interval,
		rate: (factor * size) / interval,
		mse: count > 0 ? sq / count : null,
		reason: count > 0 ? null : "no period after the first demand: no interval",
	};
}

/** Flat forecast over `horizon` periods with the empirical interval described above. */
export function crostonForecast(
	fit: CrostonFit,
	horizon: number,
	z: number,
): ForecastPoint[] {
	const mean = fit.rate ?? 0;
	const half = fit.mse === null ? null : z * Math.sqrt(fit.mse);
	return Array.from({ length: horizon }, () => ({
		mean,
		lower: half === null ? null : Math.max(0, mean - half),
		upper: half === null ? null : mean + half,
	}));
}
