import type { TimeGrain } from "./format.ts";
import type { Instant, TimePoint } from "./types.ts";

/** A time point after cleaning: epoch milliseconds, and a finite value or null for a gap. */
export interface CleanPoint {
	t: number;
	value: number | null;
}

/** Epoch milliseconds of an instant, or null when it is not a valid date. */
export function toMillis(t: Instant): number | null {
	const ms =
		t instanceof Date ? t.getTime() : typeof t === "number" ? t : Date.parse(t);
	return Number.isFinite(ms) ? ms : null;
}

/** A finite number or null: NaN, ±Infinity and non-numbers become gaps. */
export function finiteOrNull(v: unknown): number | null {
	return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** Drops points without a valid time, turns non-finite values into gaps, and sorts by time. */
export function cleanPoints(points: readonly TimePoint[]): CleanPoint[] {
	const out: CleanPoint[] = [];
	for (const p of points) {
		const t = toMillis(p.t);
		if (t !== null) out.push({ t, value: finiteOrNull(p.value) });
	}
	return out.sort((a, b) => a.t - b.t);
}

/**
 * Thins a long series for display without losing its shape: the points are cut into buckets and
 * each bucket keeps its lowest and highest point (so spikes and dips survive), plus one gap marker
 * when the bucket had missing values. The first and last points are always kept.
 */
export function downsampleMinMax(
	points: readonly CleanPoint[],
	maxPoints: number,
): CleanPoint[] {
	if (points.length <= maxPoints || maxPoints < 4) return [...points];
	// Up to three points a bucket: its low, its high and one gap marker.
	const buckets = Math.floor((maxPoints - 2) / 3);
	const inner = points.length - 2;
	const keep = new Set<number>([0, points.length - 1]);
	for (let b = 0; b < buckets; b++) {
		const from = 1 + Math.floor((b * inner) / buckets);
		const to = 1 + Math.floor(((b + 1) * inner) / buckets);
		let lo = -1;
		let hi = -1;
		let gap = -1;
		for (let i = from; i < to; i++) {
			const v = points[i]?.value ?? null;
			if (v === null) {
				if (gap < 0) gap = i;
				continue;
			}
			if (lo < 0 || v < (points[lo]?.value ?? v)) lo = i;
			if (hi < 0 || v > (points[hi]?.value ?? v)) hi = i;
		}
		for (const i of [lo, hi, gap]) if (i >= 0) keep.add(i);
	}
	return [...keep]
		.sort((a, b) => a - b)
		.map((i) => points[i])
		.filter((p): p is CleanPoint => p !== undefined);
}

/** Smallest and largest finite value, or null when there are none. */
export function extent(
	values: Iterable<number | null>,
): { min: number; max: number } | null {
	let min = Number.POSITIVE_INFINITY;
	let max = Number.NEGATIVE_INFINITY;
	for (const v of values) {
		if (v === null) continue;
		if (v < min) min = v;
		if (v > max) max = v;
	}
	return min <= max ? { min, max } : null;
}

/** The last point that has a value. */
export function lastValue(points: readonly CleanPoint[]): CleanPoint | null {
	for (let i = points.length - 1; i >= 0; i--) {
		const p = points[i];
		if (p && p.value !== null) return p;
	}
	return null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Rough length of one grain, for spacing ticks and padding a one-point axis. */
export const GRAIN_MS: Record<TimeGrain, number> = {
	hour: HOUR,
	day: DAY,
	week: 7 * DAY,
	month: 30.44 * DAY,
	quarter: 91.3 * DAY,
	year: 365.25 * DAY,
};

/** Where time-axis ticks go (a vega time interval and step) and how their labels are written. */
export interface TimeTicks {
	interval: "hour" | "day" | "week" | "month" | "year";
	step: number;
	labelGrain: TimeGrain;
}

const TICK_CHOICES: readonly TimeTicks[] = [
	{ interval: "hour", step: 1, labelGrain: "hour" },
	{ interval: "hour", step: 3, labelGrain: "hour" },
	{ interval: "hour", step: 6, labelGrain: "hour" },
	{ interval: "hour", step: 12, labelGrain: "hour" },
	{ interval: "day", step: 1, labelGrain: "day" },
	{ interval: "day", step: 2, labelGrain: "day" },
	{ interval: "week", step: 1, labelGrain: "week" },
	{ interval: "week", step: 2, labelGrain: "week" },
	{ interval: "month", step: 1, labelGrain: "month" },
	{ interval: "month", step: 3, labelGrain: "quarter" },
	{ interval: "month", step: 6, labelGrain: "quarter" },
	{ interval: "year", step: 1, labelGrain: "year" },
	{ interval: "year", step: 2, labelGrain: "year" },
	{ interval: "year", step: 5, labelGrain: "year" },
	{ interval: "year", step: 10, labelGrain: "year" },
	{ interval: "year", step: 25, labelGrain: "year" },
	{ interval: "year", step: 100, labelGrain: "year" },
];

const INTERVAL_MS: Record<TimeTicks["interval"], number> = {
	hour: HOUR,
	day: DAY,
	week: 7 * DAY,
	month: GRAIN_MS.month,
	year: GRAIN_MS.year,
};

/**
 * The finest tick spacing, no finer than the data's grain, whose labels fit side by side in
 * `plotWidth` pixels; `labelWidth` says how wide one label of a grain is (with its gap).
 */
export function timeTicks(
	spanMs: number,
	grain: TimeGrain,
	plotWidth: number,
	labelWidth: (labelGrain: TimeGrain) => number,
): TimeTicks {
	const finest = GRAIN_MS[grain];
	const usable = TICK_CHOICES.filter(
		(c) => INTERVAL_MS[c.interval] * c.step >= finest * 0.99,
	);
	for (const choice of usable) {
		// Quarter labels only for quarterly data; monthly data ticked every 3 months reads "Apr 2024".
		const c: TimeTicks =
			choice.labelGrain === "quarter" && grain !== "quarter"
				? { ...choice, labelGrain: "month" }
				: choice;
		const ticks = Math.floor(spanMs / (INTERVAL_MS[c.interval] * c.step)) + 1;
		if (ticks * labelWidth(c.labelGrain) <= plotWidth) return c;
	}
	return (
		usable[usable.length - 1] ?? {
			interval: "year",
			step: 100,
			labelGrain: "year",
		}
	);
}
