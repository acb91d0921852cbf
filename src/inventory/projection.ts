/**
 * Projected inventory under the computed (s, Q) policy, period by period over the forecast
 * horizon (`stox_future_projection`), and the one call that goes from a daily demand series
 * to those rows.
 */

import type { EtsFixed } from "./forecast/ets-fit.ts";
import {
	type DemandForecast,
	type ForecastMethod,
	forecastDemand,
} from "./forecast/select.ts";
import {
	bucketDaily,
	dayNumber,
	futurePeriods,
	type Granularity,
	isoDay,
	seasonLength,
} from "./periods.ts";
import { joinReasons } from "./policy.ts";

/** One future period, shaped like a `stox_future_projection` row (units; level in percent). */
export interface ProjectionRow {
	projectionDate: string;
	projectedDemand: number;
	projectedDemandLower: number | null;
	projectedDemandUpper: number | null;
	/** Half-width of the interval, (upper − lower) / 2. */
	confidenceInterval: number | null;
	intervalLevelPct: number;
	/** On hand at the end of the period, after its demand and receipts; negative = backorder. */
	projectedInventoryLevel: number;
	/** Order quantity placed in the period. */
	projectedOrders: number;
	forecastMethod: ForecastMethod;
	/** True on the first period whose demand takes the projected inventory to 0 or below. */
	projectedStockout: boolean;
}

/** The projection of one material. */
export interface Projection {
	rows: ProjectionRow[];
	/** Date of the first projected stock-out, or null. */
	stockoutDate: string | null;
	forecast: DemandForecast;
	reason: string | null;
}

/** The stock and policy the projection starts from. */
export interface ProjectionPolicy {
	onHand: number;
	onOrder: number;
	eoq: number | null;
	reorderPoint: number | null;
	leadTimeDays: number | null;
}

const nonNeg = (x: number | null): number =>
	x !== null && Number.isFinite(x) && x > 0 ? x : 0;

/**
 * Simulates the periods: receipts due arrive at the start of a period, its forecast demand is
 * taken, and when the position (on hand + on order) is at or below the reorder point an
 * order is placed — EOQ, or several EOQs until the position is above the reorder point; with
 * no EOQ, enough to lift the position one period's demand above it. An order arrives
 * ⌈L / period days⌉ periods later (0 = at once). On-order stock at the start counts as on hand.
 */
export function projectInventory(
	forecast: DemandForecast,
	starts: readonly string[],
	periodDays: readonly number[],
	policy: ProjectionPolicy,
): Projection {
	const reasons: (string | null)[] = [forecast.reason];
	let level = nonNeg(policy.onHand) + nonNeg(policy.onOrder);
	if (!(Number.isFinite(policy.onHand) && policy.onHand >= 0))
		reasons.push("on hand missing or negative: taken as 0");
	const rop =
		policy.reorderPoint !== null && Number.isFinite(policy.reorderPoint)
			? policy.reorderPoint
			: null;
	const q =
		policy.eoq !== null && Number.isFinite(policy.eoq) && policy.eoq > 0
			? policy.eoq
			: null;
	if (rop === null) reasons.push("no reorder point: no orders planned");
	else if (q === null)
		reasons.push("no EOQ: orders sized to one period above the reorder point");
	const meanDays =
		periodDays.length > 0
			? periodDays.reduce((a, b) => a + b, 0) / periodDays.length
			: 1;
	const lag = Math.ceil(nonNeg(policy.leadTimeDays) / meanDays);
	const due = new Array<number>(starts.length + lag + 1).fill(0);
	let pipeline = 0;
	let stockoutDate: string | null = null;
	const rows: ProjectionRow[] = starts.map((date, t) => {
		const arriving = due[t] ?? 0;
		level += arriving;
		pipeline -= arriving;
		const point = forecast.points[t] ?? { mean: 0, lower: null, upper: null };
		level -= point.mean;
		let ordered = 0;
		if (rop !== null) {
			const position = level + pipeline;
			if (position <= rop)
				ordered =
					q !== null
						? q * (Math.floor((rop - position) / q) + 1)
						: rop - position + point.mean;
		}
		if (ordered > 0 && lag === 0) level += ordered;
		else if (ordered > 0) {
			due[t + lag] = (due[t + lag] ?? 0) + ordered;
			pipeline += ordered;
		}
		const out = level <= 0 && point.mean > 0 && stockoutDate === null;
		// The day within the period the stock runs out, demand spread evenly over its days: a
		// material with 27 days of cover at the start of a monthly period runs out on day 27,
		// not on the period's first day.
		if (out) {
			const before = Math.max(0, level + point.mean);
			const days = periodDays[t] ?? meanDays;
			stockoutDate = isoDay(
				dayNumber(date) +
					Math.min(days - 1, Math.floor((before / point.mean) * days)),
			);
		}
		const half =
			point.lower !== null && point.upper !== null
				? (point.upper - point.lower) / 2
				: null;
		return {
			projectionDate: date,
			projectedDemand: point.mean,
			projectedDemandLower: point.lower,
			projectedDemandUpper: point.upper,
			confidenceInterval: half,
			intervalLevelPct: forecast.level * 100,
			projectedInventoryLevel: level,
			projectedOrders: ordered,
			forecastMethod: forecast.method,
			projectedStockout: out,
		};
	});
	return { rows, stockoutDate, forecast, reason: joinReasons(...reasons) };
}

/** Everything `projectMaterial` needs for one material. */
export interface MaterialProjectionInput extends ProjectionPolicy {
	/** Daily demand, oldest first, zeros included. */
	daily: readonly number[];
	/** Date of the first day of `daily`, YYYY-MM-DD. */
	firstDay: string;
	granularity: Granularity;
	horizon: number;
	intervalLevel: number;
	/** ETS parameters or initial state to hold fixed (tests, what-if runs). */
	fixed?: EtsFixed;
}

/**
 * Daily demand → full weeks or months → forecast (method by demand class) → projected
 * inventory. Projection periods start with the first period start after the window.
 */
export function projectMaterial(input: MaterialProjectionInput): Projection {
	const buckets = bucketDaily(input.daily, input.firstDay, input.granularity);
	const forecast = forecastDemand(buckets.totals, {
		period: seasonLength(input.granularity),
		horizon: input.horizon,
		level: input.intervalLevel,
		fixed: input.fixed,
	});
	const after = isoDay(dayNumber(input.firstDay) + input.daily.length);
	const future = futurePeriods(after, input.granularity, input.horizon);
	const projection = projectInventory(
		forecast,
		future.starts,
		future.days,
		input,
	);
	const partial =
		buckets.droppedDays > 0
			? `${buckets.droppedDays} day(s) outside full periods left out of the forecast`
			: null;
	return { ...projection, reason: joinReasons(partial, projection.reason) };
}
