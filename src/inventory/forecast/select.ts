/**
 * Per-item demand forecast: the method is chosen from the Syntetos–Boylan class of the
 * per-period series — ETS for smooth and erratic demand, SBA for intermittent and lumpy —
 * and the forecast comes with a prediction interval at the requested coverage.
 */
import { AppError } from "../../errors.ts";
import { classifyDemand, cleanDemand, type DemandClass } from "../demand.ts";
import { normalInverse } from "../normal.ts";
import { joinReasons } from "../policy.ts";
import { type CrostonFit, croston, crostonForecast } from "./croston.ts";
import { type EtsKind, etsForecast, type ForecastPoint } from "./ets.ts";
import { type EtsFit, type EtsFixed, fitEts } from "./ets-fit.ts";

/** Forecast model used for an item, as written to `stox_future_projection.forecast_method`. */
export type ForecastMethod =
	| "ses"
	| "holt"
	| "holt_winters"
	| "croston"
	| "sba"
	| "naive"
	| "none";

/** How to forecast one per-period demand series. */
export interface ForecastOptions {
	/** Season length m in periods (12 for months, 52 for weeks). */
	period: number;
	horizon: number;
	/** Coverage of the prediction interval, strictly between 0 and 1 (0.95 = 95 %). */
	level: number;
	/** Force a method instead of choosing by demand class; falls back when the data cannot carry it. */
	method?: ForecastMethod;
	/** ETS parameters or initial state to hold fixed. */
	fixed?: EtsFixed;
	/** Croston/SBA smoothing constant. */
	crostonAlpha?: number;
}

/** One item's forecast. Means and bounds are floored at 0 (demand cannot be negative). */
export interface DemandForecast {
	method: ForecastMethod;
	demandClass: DemandClass;
	points: ForecastPoint[];
	level: number;
	ets: EtsFit | null;
	croston: CrostonFit | null;
	reason: string | null;
}

/** Holt needs n − k − 1 > 0 for its AICc, with k = 5 (σ, α, β, l₀, b₀). */
const MIN_FOR_HOLT = 7;

const ETS_KIND: Partial<Record<ForecastMethod, EtsKind>> = {
	ses: "ANN",
	holt: "AAN",
	holt_winters: "AAA",
};

/** Two-sided normal multiplier for a central interval of coverage `level`. */
export function intervalZ(level: number, key = "intervalLevel"): number {
	if (!(Number.isFinite(level) && level > 0 && level < 1))
		throw new AppError(
			"config_invalid",
			`${key} must be a probability strictly between 0 and 1 (e.g. 0.95 for a 95 % interval), got ${level}`,
		);
	return normalInverse((1 + level) / 2);
}

const flat = (horizon: number, mean: number): ForecastPoint[] =>
	Array.from({ length: horizon }, () => ({ mean, lower: null, upper: null }));

/** The ETS method the data can carry: Holt–Winters from two full seasons, else SES or Holt by AICc. */
function chooseEts(
	y: readonly number[],
	period: number,
	wanted: ForecastMethod | undefined,
	fixed: EtsFixed,
): { method: ForecastMethod; fit: EtsFit; note: string | null } {
	const n = y.length;
	const seasonal = period >= 2 && n >= 2 * period;
	let note: string | null = null;
	if (wanted === "holt_winters" && !seasonal)
		note = `holt_winters needs two full seasons (${2 * period} periods), have ${n}`;
	if (wanted === "holt" && n < 3) note = `holt needs 3 periods, have ${n}`;
	const usable = note === null ? wanted : undefined;
	if (usable && ETS_KIND[usable])
		return {
			method: usable,
			fit: fitEts(y, ETS_KIND[usable] as EtsKind, period, fixed),
			note,
		};
	if (seasonal)
		return {
			method: "holt_winters",
			fit: fitEts(y, "AAA", period, fixed),
			note,
		};
	const ses = fitEts(y, "ANN", period, fixed);
	if (n < MIN_FOR_HOLT) return { method: "ses", fit: ses, note };
	const holt = fitEts(y, "AAN", period, fixed);
	return holt.aicc < ses.aicc
		? { method: "holt", fit: holt, note }
		: { method: "ses", fit: ses, note };
}

/** Floors means and bounds at 0 and says whether anything was floored. */
function floorAtZero(points: ForecastPoint[]): {
	points: ForecastPoint[];
	floored: boolean;
} {
	let floored = false;
	const clip = (v: number | null) => {
		if (v === null || v >= 0) return v;
		floored = true;
		return 0;
	};
	const out = points.map((p) => ({
		mean: clip(p.mean) ?? 0,
		lower: clip(p.lower),
		upper: clip(p.upper),
	}));
	return { points: out, floored };
}

/**
 * Forecasts one per-period demand series (oldest first, zeros included) `horizon` periods
 * ahead. Never throws on data: empty, all-zero, single-point and negative series get a
 * documented fallback and a reason. Throws only on a bad interval level or fixed parameter.
 */
export function forecastDemand(
	series: readonly number[],
	options: ForecastOptions,
): DemandForecast {
	const z = intervalZ(options.level);
	const { values: y, replaced } = cleanDemand(series);
	const cleaned =
		replaced > 0
			? `${replaced} negative or non-numeric period(s) counted as 0`
			: null;
	const { demandClass } = classifyDemand(y);
	const base = { demandClass, level: options.level, ets: null, croston: null };
	const h = options.horizon;
	if (y.length === 0)
		return {
			...base,
			method: "none",
			points: flat(h, 0),
			reason: "no demand history: forecast 0",
		};
	if (demandClass === "none")
		return {
			...base,
			method: "none",
			points: flat(h, 0),
			reason: joinReasons(cleaned, "no demand in the window: forecast 0"),
		};
	if (y.length === 1)
		return {
			...base,
			method: "naive",
			points: flat(h, y[0] ?? 0),
			reason: joinReasons(
				cleaned,
				"a single data point: naive forecast without an interval",
			),
		};
	const wanted = options.method;
	const intermittent =
		demandClass === "intermittent" || demandClass === "lumpy";
	if (wanted === "croston" || wanted === "sba" || (!wanted && intermittent)) {
		const variant = wanted === "croston" ? "croston" : "sba";
		const fit = croston(y, variant, options.crostonAlpha);
		return {
			...base,
			method: variant,
			croston: fit,
			points: crostonForecast(fit, h, z),
			reason: joinReasons(cleaned, fit.reason),
		};
	}
	const chosen = chooseEts(y, options.period, wanted, options.fixed ?? {});
	const raw = etsForecast(
		chosen.fit.run.final,
		chosen.fit.model,
		chosen.fit.sigma2,
		h,
		z,
	);
	const { points, floored } = floorAtZero(raw);
	return {
		...base,
		method: chosen.method,
		ets: chosen.fit,
		points,
		reason: joinReasons(
			cleaned,
			chosen.note,
			floored ? "negative forecast values set to 0" : null,
		),
	};
}
