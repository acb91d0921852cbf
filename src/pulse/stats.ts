/** Small robust statistics used by the anomaly condition. */

/** Scales the median absolute deviation to a standard deviation for normal data. */
export const MAD_SCALE = 1.4826;
/** Scales the mean absolute deviation to a standard deviation (used only when MAD is 0). */
export const MEAN_AD_SCALE = 1.2533;

/** Median of a non-empty list; NaN when empty. */
export function median(values: readonly number[]): number {
	if (values.length === 0) return Number.NaN;
	const s = [...values].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 === 1
		? (s[mid] as number)
		: ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Centre and spread of a sample; `spread` is 0 only when every value equals the centre. */
export interface RobustScale {
	centre: number;
	spread: number;
}

/**
 * Median and MAD × 1.4826. When more than half the values are equal the MAD is 0, so the
 * mean absolute deviation × 1.2533 stands in (the usual modified z-score fallback).
 */
export function robustScale(values: readonly number[]): RobustScale {
	const centre = median(values);
	const deviations = values.map((v) => Math.abs(v - centre));
	const mad = median(deviations) * MAD_SCALE;
	if (mad > 0) return { centre, spread: mad };
	const meanAd =
		deviations.reduce((a, b) => a + b, 0) / Math.max(1, deviations.length);
	return { centre, spread: meanAd * MEAN_AD_SCALE };
}

/** (value − centre) / spread; ±Infinity when the spread is 0 and the value differs, 0 when equal. */
export function robustZ(value: number, scale: RobustScale): number {
	const d = value - scale.centre;
	if (scale.spread > 0) return d / scale.spread;
	return d === 0
		? 0
		: d > 0
			? Number.POSITIVE_INFINITY
			: Number.NEGATIVE_INFINITY;
}

/**
 * How far a signed move goes in the watched direction: up keeps the sign, down flips it,
 * either takes the size. A condition fires when this reaches its limit.
 */
export function directed(
	direction: "up" | "down" | "either",
	x: number,
): number {
	return direction === "up" ? x : direction === "down" ? -x : Math.abs(x);
}
