/**
 * Demand statistics per material from a daily demand series, and the Syntetos–Boylan demand
 * classification (ADI / CV²) that picks the forecasting method.
 */

/** Syntetos–Boylan cut-off on the average inter-demand interval (periods per demand). */
export const ADI_CUTOFF = 1.32;
/** Syntetos–Boylan cut-off on the squared coefficient of variation of non-zero demand sizes. */
export const CV2_CUTOFF = 0.49;

/**
 * Syntetos–Boylan demand pattern. `none` means the series had no non-zero demand at all, so
 * neither ADI nor CV² exists.
 */
export type DemandClass =
	| "smooth"
	| "erratic"
	| "intermittent"
	| "lumpy"
	| "none";

/** ADI, CV² and the class they give, for one series of per-period demand. */
export interface DemandClassification {
	/** Periods in the series divided by periods with demand (≥ 1); null without demand. */
	adi: number | null;
	/** (sample sd / mean)² of the non-zero sizes; 0 with a single demand; null without demand. */
	cv2: number | null;
	demandClass: DemandClass;
	reason: string | null;
}

/** Per-material demand statistics over the window of the daily series. */
export interface DemandStatistics {
	/** Days in the window (length of the series). */
	days: number;
	/** Days with demand > 0. */
	demandDays: number;
	totalUnits: number;
	/** Mean units per day over the whole window, zero days included (d). */
	avgDailyDemand: number;
	/** Sample standard deviation of daily units (σd); 0 for a one-day window. */
	dailyDemandStd: number;
	/** Annualised demand: avgDailyDemand × 365. */
	annualDemand: number;
	/** Mean of the sums of the most recent full 7-day blocks; null under 7 days. */
	avgWeeklyDemand: number | null;
	/** Sample sd of those weekly sums; null under two full weeks. */
	weeklyDemandStd: number | null;
	/** Classification of the daily series itself (bucket the series first to classify weeks). */
	classification: DemandClassification;
	/** Why a value is a fallback (negative days clipped, too short for weeks), else null. */
	reason: string | null;
}

/** Days per year used to annualise daily rates everywhere in the Stox module. */
export const DAYS_PER_YEAR = 365;

/** Arithmetic mean; 0 for an empty list. */
export function mean(xs: readonly number[]): number {
	if (xs.length === 0) return 0;
	let s = 0;
	for (const x of xs) s += x;
	return s / xs.length;
}

/** Sample standard deviation (n − 1 denominator); 0 when fewer than two values. */
export function sampleStd(xs: readonly number[]): number {
	if (xs.length < 2) return 0;
	const m = mean(xs);
	let ss = 0;
	for (const x of xs) ss += (x - m) ** 2;
	return Math.sqrt(ss / (xs.length - 1));
}

/**
 * Replaces values that are not finite numbers ≥ 0 by 0 (returns units that arrive as negative
 * demand are not demand) and says how many were replaced.
 */
export function cleanDemand(series: readonly number[]): {
	values: number[];
	replaced: number;
} {
	let replaced = 0;
	const values = series.map((v) => {
		if (Number.isFinite(v) && v >= 0) return v;
		replaced++;
		return 0;
	});
	return { values, replaced };
}

/**
 * Syntetos–Boylan classification of per-period demand. ADI = periods / periods with demand
 * (so trailing zeros count against the item, unlike an average of gaps between demands);
 * CV² uses the sample standard deviation of the non-zero sizes, as `tsintermittent::idclass`.
 */
export function classifyDemand(
	series: readonly number[],
): DemandClassification {
	const { values } = cleanDemand(series);
	const sizes = values.filter((v) => v > 0);
	if (sizes.length === 0)
		return {
			adi: null,
			cv2: null,
			demandClass: "none",
			reason: "no demand in the window",
		};
	const adi = values.length / sizes.length;
	const m = mean(sizes);
	const cv2 = (sampleStd(sizes) / m) ** 2;
	const frequent = adi < ADI_CUTOFF;
	const steady = cv2 < CV2_CUTOFF;
	const demandClass: DemandClass = frequent
		? steady
			? "smooth"
			: "erratic"
		: steady
			? "intermittent"
			: "lumpy";
	return { adi, cv2, demandClass, reason: null };
}

/** Sums of consecutive 7-day blocks, keeping the most recent full weeks (oldest days dropped). */
export function weeklySums(daily: readonly number[]): number[] {
	const weeks = Math.floor(daily.length / 7);
	const start = daily.length - weeks * 7;
	const sums: number[] = [];
	for (let w = 0; w < weeks; w++) {
		let s = 0;
		for (let i = 0; i < 7; i++) s += daily[start + w * 7 + i] ?? 0;
		sums.push(s);
	}
	return sums;
}

/**
 * Demand statistics of one material from its daily demand (one value per calendar day of the
 * window, zeros included). Negative or non-finite days count as 0 and are reported in `reason`;
 * an empty series gives zeros and the reason "no demand data".
 */
export function demandStatistics(daily: readonly number[]): DemandStatistics {
	const { values, replaced } = cleanDemand(daily);
	const reasons: string[] = [];
	if (values.length === 0) reasons.push("no demand data");
	if (replaced > 0)
		reasons.push(`${replaced} negative or non-numeric day(s) counted as 0`);
	const weeks = weeklySums(values);
	if (values.length > 0 && weeks.length < 2)
		reasons.push("under two full weeks: weekly figures incomplete");
	const totalUnits = values.reduce((a, b) => a + b, 0);
	const avgDailyDemand = mean(values);
	return {
		days: values.length,
		demandDays: values.filter((v) => v > 0).length,
		totalUnits,
		avgDailyDemand,
		dailyDemandStd: sampleStd(values),
		annualDemand: avgDailyDemand * DAYS_PER_YEAR,
		avgWeeklyDemand: weeks.length > 0 ? mean(weeks) : null,
		weeklyDemandStd: weeks.length > 1 ? sampleStd(weeks) : null,
		classification: classifyDemand(values),
		reason: reasons.length > 0 ? reasons.join("; ") : null,
	};
}
