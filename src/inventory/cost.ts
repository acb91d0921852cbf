/**
 * Annual inventory cost and the working capital it ties up, from a material's policy.
 */
import { DAYS_PER_YEAR } from "./demand.ts";
import { normalLoss } from "./normal.ts";
import { joinReasons, type Policy } from "./policy.ts";

/** One material's annual cost breakdown (the `stox_annual_cost` row). */
export interface AnnualCost {
	annualDemandUnits: number;
	/** D / Q · S. */
	orderingCost: number | null;
	/** (Q/2 + SS) · H. */
	holdingCost: number | null;
	/** G(z)·σ_LT (expected units short per cycle) × D/Q cycles × cost per unit short; null without a shortage cost. */
	shortageCost: number | null;
	/** Expected units short per replenishment cycle, G(z)·σ_LT. */
	expectedShortPerCycle: number | null;
	/** Ordering + holding + shortage (shortage counted as 0 when null); null when EOQ is null. */
	totalCost: number | null;
	reason: string | null;
}

/** Working capital tied up in one material (the `stox_working_capital` row). */
export interface WorkingCapital {
	avgInventoryUnits: number | null;
	unitCost: number | null;
	/** Average inventory units × unit cost. */
	inventoryValue: number | null;
	/** Annual COGS / average inventory value, turns per year. */
	turnoverRatio: number | null;
	/** 365 / turnover (= inventory value / daily COGS). */
	daysOnHand: number | null;
	/** Where the average inventory came from. */
	basis: "observed" | "policy" | "none";
	reason: string | null;
}

/** Inputs of `workingCapital` beyond the policy. */
export interface WorkingCapitalInput {
	annualDemand: number;
	unitCost: number | null;
	/** Mean on-hand units observed over the window (stock snapshots); else Q/2 + SS is used. */
	observedAvgInventoryUnits?: number | null;
	/** Annual cost of goods sold; defaults to annual demand × unit cost. */
	annualCogs?: number | null;
}

const finite = (x: number | null | undefined): x is number =>
	x !== null && x !== undefined && Number.isFinite(x);

/**
 * Annual ordering, holding and (when `shortageCostPerUnit` is given) shortage cost under the
 * policy. Shortage per cycle is the normal loss G(z) times the lead-time demand deviation.
 */
export function annualCost(
	annualDemand: number,
	policy: Policy,
	shortageCostPerUnit: number | null = null,
): AnnualCost {
	const q = policy.lotSize.eoq;
	const h = policy.lotSize.holdingCostPerUnit;
	const ss = policy.safetyStock.safetyStock ?? 0;
	const sigma = policy.safetyStock.leadTimeDemandStd;
	const demand = finite(annualDemand) && annualDemand > 0 ? annualDemand : 0;
	if (q === null || h === null)
		return {
			annualDemandUnits: demand,
			orderingCost: null,
			holdingCost: null,
			shortageCost: null,
			expectedShortPerCycle: null,
			totalCost: null,
			reason: joinReasons("no EOQ", policy.lotSize.reason),
		};
	const cycles = demand / q;
	const ordering = cycles * policy.lotSize.orderingCostPerOrder;
	const holding = (q / 2 + ss) * h;
	const short =
		sigma === null ? null : normalLoss(policy.safetyStock.z) * sigma;
	let shortage: number | null = null;
	let reason: string | null = null;
	if (shortageCostPerUnit === null) reason = "no shortage cost given";
	else if (!(finite(shortageCostPerUnit) && shortageCostPerUnit >= 0))
		reason = "shortage cost per unit is negative or not a number";
	else if (short === null) reason = "no safety stock: shortage not estimated";
	else shortage = short * cycles * shortageCostPerUnit;
	return {
		annualDemandUnits: demand,
		orderingCost: ordering,
		holdingCost: holding,
		shortageCost: shortage,
		expectedShortPerCycle: short,
		totalCost: ordering + holding + (shortage ?? 0),
		reason: joinReasons(reason, policy.safetyStock.reason),
	};
}

/**
 * Average inventory, its value, turnover and days on hand. Uses the observed average on hand
 * when given, else the policy's Q/2 + SS. No demand gives null turnover and days on hand
 * (inventory that never turns), with a reason.
 */
export function workingCapital(
	input: WorkingCapitalInput,
	policy: Policy | null,
): WorkingCapital {
	const cost =
		finite(input.unitCost) && input.unitCost >= 0 ? input.unitCost : null;
	let units: number | null = null;
	let basis: WorkingCapital["basis"] = "none";
	if (
		finite(input.observedAvgInventoryUnits) &&
		input.observedAvgInventoryUnits >= 0
	) {
		units = input.observedAvgInventoryUnits;
		basis = "observed";
	} else if (policy?.lotSize.eoq != null) {
		units = policy.lotSize.eoq / 2 + (policy.safetyStock.safetyStock ?? 0);
		basis = "policy";
	}
	const empty = (reason: string): WorkingCapital => ({
		avgInventoryUnits: units,
		unitCost: cost,
		inventoryValue: units !== null && cost !== null ? units * cost : null,
		turnoverRatio: null,
		daysOnHand: null,
		basis,
		reason,
	});
	if (units === null)
		return empty("no average inventory: no stock snapshots and no EOQ");
	if (cost === null) return empty("unit cost missing or negative");
	const value = units * cost;
	const cogs = finite(input.annualCogs)
		? input.annualCogs
		: Math.max(0, input.annualDemand) * cost;
	if (!(cogs > 0)) return empty("no demand: inventory does not turn");
	if (value === 0)
		return empty(
			"no inventory value: turnover undefined (unit cost or stock is 0)",
		);
	const turnover = cogs / value;
	return {
		avgInventoryUnits: units,
		unitCost: cost,
		inventoryValue: value,
		turnoverRatio: turnover,
		daysOnHand: DAYS_PER_YEAR / turnover,
		basis,
		reason: null,
	};
}
