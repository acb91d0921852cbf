/**
 * Monthly series for the correlation tests, and builders for series on each grain.
 *
 * The values were drawn once with numpy and pasted here (rounded), so the tests need no Python:
 *   rng = np.random.default_rng(20240401); t36 = np.arange(36); t48 = np.arange(48)
 *   ROBUST:    c[i] = 120 + 0.5*(c[i-1] - 120) + rng.normal(0, 6); x = round(c)
 *              y = round(20000 + 1234*x + rng.normal(0, 4000, 36), 2)
 *   TREND:     x = round(100 + 3*t36 + rng.normal(0, 4, 36), 1); y = round(5000 + 80*t36 + rng.normal(0, 100, 36), 2)
 *   SEASONAL:  x = round(100 + 20*sin(2πt/12) + rng.normal(0, 2, 48), 1)
 *              y = round(300 + 50*sin(2πt/12 + 0.3) + rng.normal(0, 5, 48), 1)
 *   UNRELATED: x = round(rng.normal(50, 5, 36), 1); y = round(rng.normal(900, 40, 36), 1)
 * Reference statistics for them are in correlation-references.ts.
 */
import type { Grain, Series } from "../../src/analytics/correlation/index.ts";

/** x and y values of one test pair, in period order. */
export interface Pair {
	x: readonly number[];
	y: readonly number[];
}

/** Active customers as an AR(1) around 120 and revenue = 20,000 + 1,234·customers + noise: levels and changes both correlate. */
export const ROBUST: Pair = {
	x: [
		120, 119, 108, 121, 120, 120, 119, 112, 120, 121, 124, 119, 123, 123, 129,
		127, 117, 109, 126, 124, 120, 124, 123, 124, 126, 124, 129, 119, 123, 130,
		121, 116, 120, 124, 132, 126,
	],
	y: [
		169336.04, 163322.8, 152625.51, 166289.22, 158949.75, 168781.59, 172598.85,
		156643.47, 172131.08, 171484.78, 175872.34, 170934.49, 171887.24, 178962.42,
		177622.75, 178440.73, 164661.03, 157945.95, 173105.22, 172266.09, 160194.28,
		174082.11, 165906.33, 177263.76, 176530.41, 171050.04, 184782.11, 164903.11,
		167657.3, 186814.43, 175080.09, 162326.29, 168190.99, 173430.62, 180467.95,
		170841.71,
	],
};

/** Two independent noisy linear trends: levels correlate almost perfectly, changes do not. */
export const TREND: Pair = {
	x: [
		99.5, 102.4, 104.1, 111.5, 107.5, 116.3, 118.7, 122.4, 123.1, 131.2, 129,
		131.2, 140.2, 143.4, 137, 138.3, 149.6, 148.5, 150.8, 160.2, 160.1, 164,
		166.5, 164.2, 172, 175, 183.1, 179.8, 181.1, 189.8, 194.4, 186.8, 189.6,
		204, 200.6, 203.1,
	],
	y: [
		4961.33, 4944.27, 4969.78, 5252.23, 5240.05, 5461.48, 5478.9, 5726.56,
		5656.41, 5663.19, 5788.66, 5833.33, 6197.1, 6133.36, 6091.91, 6266.91,
		6140.96, 6305.82, 6757.36, 6507.23, 6616.72, 6753.59, 6746.29, 6651.36,
		6965.84, 6821.62, 6871.07, 7097.59, 7166.34, 7519.18, 7459.72, 7567.8,
		7391.47, 7625.93, 7881.5, 7885.72,
	],
};

/** The same 12-month sine in both, independent noise: levels and changes correlate, seasonal differences do not. */
export const SEASONAL: Pair = {
	x: [
		100.6, 107.7, 116.7, 123.6, 121.7, 110.1, 99.2, 90.8, 83.9, 75.9, 81.2, 90,
		100.4, 112.2, 116.7, 119.5, 117.5, 112.6, 100.9, 86.1, 83.7, 79.6, 82, 90.5,
		100.2, 108.7, 117.6, 119.4, 118.5, 106.5, 101.3, 87.3, 82.9, 77.4, 80.1,
		91.6, 99.7, 108.9, 118.3, 120.4, 118.6, 109.9, 99.5, 87, 88.1, 82.2, 83,
		87.7,
	],
	y: [
		320, 340.2, 340.5, 347.8, 331.4, 309.6, 287.6, 270.7, 247.8, 252.5, 265,
		284.5, 311.1, 334.5, 351.1, 347.3, 329.9, 301, 285.6, 264.3, 252.4, 244.6,
		268.1, 287.5, 314.9, 340.3, 353.2, 348.1, 325.8, 312.5, 289.7, 269.6, 258.8,
		243.7, 261.7, 282.6, 310.7, 338.9, 341.7, 340, 340.1, 306.6, 277.2, 266.6,
		254.5, 255.3, 280.3, 287.5,
	],
};

/** Independent white noise. */
export const UNRELATED: Pair = {
	x: [
		49, 61.4, 52.6, 46.3, 50.7, 48.6, 57.6, 60, 44.5, 44.7, 56.8, 51.4, 49.6,
		55.9, 51.9, 45.1, 44, 44.8, 62.4, 61.4, 57.5, 47.6, 48.8, 50.2, 52.2, 53.9,
		46.6, 47.5, 47.9, 48.9, 60.5, 41.7, 48.4, 43.4, 51.5, 51.5,
	],
	y: [
		825.3, 864.9, 886.4, 888.9, 897.5, 897.2, 878.4, 878.4, 857.8, 859.3, 900.3,
		811.6, 872.6, 826, 856.7, 873.5, 895, 924.9, 906.6, 925.5, 903.4, 872.8,
		893.1, 852.6, 947.7, 960.7, 920.3, 930.2, 875, 867.8, 952.1, 917.5, 888.5,
		978.9, 886.4, 888.2,
	],
};

/** Spearman with ties: 12 weeks of small counts where several values repeat on both sides. */
export const TIES: Pair = {
	x: [3, 5, 5, 2, 8, 8, 8, 1, 4, 5, 7, 2],
	y: [10, 12, 11, 9, 15, 15, 14, 9, 10, 12, 13, 10],
};

/** The ISO start of the i-th period after `start` on a grain (UTC, so no time zone can shift it). */
export function periodAt(start: string, grain: Grain, i: number): string {
	const d = new Date(`${start}T00:00:00Z`);
	if (grain === "month") d.setUTCMonth(d.getUTCMonth() + i);
	else d.setUTCDate(d.getUTCDate() + (grain === "week" ? 7 * i : i));
	return d.toISOString().slice(0, 10);
}

/** A series of consecutive periods from `start`; `null` values stay as gaps. */
export function series(
	metric: string,
	values: readonly (number | null)[],
	opts: { unit?: string; grain?: Grain; start?: string } = {},
): Series {
	const grain = opts.grain ?? "month";
	const start = opts.start ?? (grain === "week" ? "2024-01-01" : "2022-01-01");
	return {
		metric,
		unit: opts.unit ?? "units",
		grain,
		points: values.map((value, i) => ({
			period: periodAt(start, grain, i),
			value,
		})),
	};
}
