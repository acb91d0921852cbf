/**
 * Stock health of one material from its policy and its daily demand and on-hand history:
 * fill rates, stock-out incidents, excess and obsolete value (`stox_performance_metrics`).
 */
import { normalLoss } from "./normal.ts";
import { joinReasons, type Policy } from "./policy.ts";

/** A value with the reason it is a fallback (null) or approximate. */
export interface Measured<T> {
	value: T;
	reason: string | null;
}

/** Observed fill rate with the units behind it (for demand-weighted roll-ups). */
export interface ObservedFill extends Measured<number | null> {
	/** Units demanded on days with a snapshot. */
	demanded: number;
	/** Of those, units the start-of-day stock could serve. */
	served: number;
}

/** Which zero-stock runs count as a stock-out incident. */
export type StockoutRule = "with_demand" | "any_zero";

/** Daily history of one material, oldest first, one entry per day of the window. */
export interface StockHistory {
	/** Units demanded per day. */
	demand: readonly number[];
	/** Units on hand at the start of each day (before that day's demand); null = no snapshot. */
	onHand: readonly (number | null)[];
}

/** Inputs of `stockHealth` beyond the policy and history. */
export interface StockHealthInput {
	/** Current (latest) on-hand units. */
	currentOnHand: number;
	unitCost: number | null;
	avgDailyDemand: number;
	/** Stock above this many days of average demand is excess. */
	excessCoverDays: number;
	/** No demand in this many most recent days makes all stock obsolete. */
	obsoleteDays: number;
	stockoutRule?: StockoutRule;
}

/** One material's stock health (the `stox_performance_metrics` row, fractions not percents). */
export interface StockHealth {
	/** 1 − G(z)·σ_LT / Q: share of demand met from stock under the policy. */
	expectedFillRate: number | null;
	/** Units served from stock / units demanded, over days with a snapshot. */
	observedFillRate: number | null;
	stockoutIncidents: number | null;
	excessValue: number | null;
	obsoleteValue: number | null;
	reason: string | null;
}

const finite = (x: number | null | undefined): x is number =>
	x !== null && x !== undefined && Number.isFinite(x);

/** Expected fill rate of an (s, Q) policy with normal lead-time demand: 1 − G(z)σ_LT/Q, in [0, 1]. */
export function expectedFillRate(policy: Policy): Measured<number | null> {
	const q = policy.lotSize.eoq;
	const sigma = policy.safetyStock.leadTimeDemandStd;
	if (q === null || q <= 0)
		return { value: null, reason: "no EOQ: fill rate per cycle undefined" };
	if (sigma === null)
		return { value: null, reason: "no lead-time demand deviation" };
	const rate = 1 - (normalLoss(policy.safetyStock.z) * sigma) / q;
	return { value: Math.min(1, Math.max(0, rate)), reason: null };
}

/**
 * Observed fill rate: each day serves min(demand, on hand at the start of the day). Days
 * without a snapshot are skipped; no demand on the remaining days gives null.
 */
export function observedFillRate(history: StockHistory): ObservedFill {
	let demanded = 0;
	let served = 0;
	for (let i = 0; i < history.demand.length; i++) {
		const d = history.demand[i];
		const s = history.onHand[i];
		if (!finite(d) || d <= 0 || !finite(s)) continue;
		demanded += d;
		served += Math.min(d, Math.max(0, s));
	}
	if (demanded === 0)
		return {
			value: null,
			reason: "no demand on days with a stock snapshot",
			demanded,
			served,
		};
	return { value: served / demanded, reason: null, demanded, served };
}

/**
 * Stock-out incidents: distinct runs of consecutive days with on hand ≤ 0. Under
 * `with_demand` (default) a run counts only if some day in it had demand > 0 (demand was
 * lost or back-ordered); under `any_zero` every run counts. A day without a snapshot ends a run.
 */
export function stockoutIncidents(
	history: StockHistory,
	rule: StockoutRule = "with_demand",
): Measured<number | null> {
	if (!history.onHand.some(finite))
		return { value: null, reason: "no stock snapshots" };
	let incidents = 0;
	let inRun = false;
	let runCounts = false;
	const close = () => {
		if (inRun && runCounts) incidents++;
		inRun = false;
		runCounts = false;
	};
	for (let i = 0; i < history.onHand.length; i++) {
		const s = history.onHand[i];
		if (!finite(s) || s > 0) {
			close();
			continue;
		}
		inRun = true;
		const d = history.demand[i];
		if (rule === "any_zero" || (finite(d) && d > 0)) runCounts = true;
	}
	close();
	return { value: incidents, reason: null };
}

/**
 * Excess and obsolete value of the current stock. All stock is obsolete when the last
 * `obsoleteDays` days had no demand; otherwise the units above `excessCoverDays` of average
 * demand are excess. The two are exclusive, so they never count the same unit twice.
 */
export function excessAndObsolete(
	input: StockHealthInput,
	demand: readonly number[],
): {
	excessValue: number | null;
	obsoleteValue: number | null;
	reason: string | null;
} {
	if (!finite(input.unitCost) || input.unitCost < 0)
		return {
			excessValue: null,
			obsoleteValue: null,
			reason: "unit cost missing or negative",
		};
	const onHand = finite(input.currentOnHand)
		? Math.max(0, input.currentOnHand)
		: 0;
	const noteOnHand =
		finite(input.currentOnHand) && input.currentOnHand >= 0
			? null
			: "current on hand missing or negative: taken as 0";
	const recent = demand.slice(Math.max(0, demand.length - input.obsoleteDays));
	const longEnough = demand.length >= input.obsoleteDays;
	const idle = longEnough && recent.every((d) => !(finite(d) && d > 0));
	if (idle)
		return {
			excessValue: 0,
			obsoleteValue: onHand * input.unitCost,
			reason: noteOnHand,
		};
	const daily = finite(input.avgDailyDemand)
		? Math.max(0, input.avgDailyDemand)
		: 0;
	const excessUnits = Math.max(0, onHand - input.excessCoverDays * daily);
	return {
		excessValue: excessUnits * input.unitCost,
		obsoleteValue: 0,
		reason: joinReasons(
			noteOnHand,
			longEnough
				? null
				: `window shorter than ${input.obsoleteDays} days: obsolescence not judged`,
		),
	};
}

/** All stock-health figures of one material. */
export function stockHealth(
	input: StockHealthInput,
	policy: Policy | null,
	history: StockHistory,
): StockHealth {
	const expected = policy
		? expectedFillRate(policy)
		: { value: null, reason: "no policy" };
	const observed = observedFillRate(history);
	const stockouts = stockoutIncidents(history, input.stockoutRule);
	const value = excessAndObsolete(input, history.demand);
	return {
		expectedFillRate: expected.value,
		observedFillRate: observed.value,
		stockoutIncidents: stockouts.value,
		excessValue: value.excessValue,
		obsoleteValue: value.obsoleteValue,
		reason: joinReasons(
			expected.reason,
			observed.reason,
			stockouts.reason,
			value.reason,
		),
	};
}
