/**
 * Replenishment policy per material: economic order quantity, safety stock at a cycle service
 * level, and reorder point. Formulas only; bad inputs give null and a reason, never NaN.
 */
import { AppError } from "../errors.ts";
import { normalInverse } from "./normal.ts";

/** How the safety stock was obtained, as written to `stox_safety_stock.calculation_method`. */
export type SafetyStockMethod =
	| "statistical"
	| "statistical_fixed_lead_time"
	| "none";

/** What one material's policy needs. Costs in currency units, times in days. */
export interface PolicyInput {
	/** D: annual demand, units per year. */
	annualDemand: number;
	/** d: mean daily demand, units per day. */
	avgDailyDemand: number;
	/** σd: standard deviation of daily demand, units. */
	dailyDemandStd: number;
	/** L: mean lead time in days; null when the master has none. */
	leadTimeDays: number | null;
	/** σL: lead time standard deviation in days; null = unknown, treated as 0 (fixed lead time). */
	leadTimeStdDays: number | null;
	/** Cost per unit; null when unknown. */
	unitCost: number | null;
	/** S: fixed cost per purchase order. */
	orderingCost: number;
	/** Annual holding cost as percent of unit cost (25 = 25 % per year), as in the master. */
	storageCostPct: number;
	/** Cycle service level, a probability strictly between 0 and 1 (0.95 = 95 %). */
	serviceLevel: number;
}

/** EOQ and its order frequency; null with a reason when it cannot be computed. */
export interface LotSize {
	/** Q* = √(2DS/H), units. */
	eoq: number | null;
	/** D / Q*, orders per year. */
	ordersPerYear: number | null;
	/** H = storageCostPct / 100 × unitCost, currency per unit-year. */
	holdingCostPerUnit: number | null;
	/** S, the cost per order the EOQ was computed with. */
	orderingCostPerOrder: number;
	reason: string | null;
}

/** Safety stock and the lead-time demand spread it protects against. */
export interface SafetyStock {
	safetyStock: number | null;
	/** z = Φ⁻¹(service level). */
	z: number;
	/** σ_LT = √(L·σd² + d²·σL²), units over the lead time. */
	leadTimeDemandStd: number | null;
	method: SafetyStockMethod;
	reason: string | null;
}

/** Reorder point = lead-time demand + safety stock. */
export interface ReorderPoint {
	reorderPoint: number | null;
	/** d · L, units. */
	leadTimeDemand: number | null;
	reason: string | null;
}

/** The whole policy of one material. */
export interface Policy {
	lotSize: LotSize;
	safetyStock: SafetyStock;
	reorderPoint: ReorderPoint;
	serviceLevel: number;
	reason: string | null;
}

const isNonNegative = (x: number | null): x is number =>
	x !== null && Number.isFinite(x) && x >= 0;

/**
 * z = Φ⁻¹(level) for a cycle service level. A level outside (0, 1) is a configuration
 * mistake, not data noise, so it throws `config_invalid` naming `key`.
 */
export function serviceLevelZ(level: number, key = "serviceLevel"): number {
	if (!(Number.isFinite(level) && level > 0 && level < 1))
		throw new AppError(
			"config_invalid",
			`${key} must be a probability strictly between 0 and 1 (e.g. 0.95 for 95 %), got ${level}`,
		);
	return normalInverse(level);
}

/** Economic order quantity √(2DS/H) from annual demand D, cost per order S and holding cost H. */
export function eoq(
	annualDemand: number,
	orderingCost: number,
	holdingCostPerUnit: number,
): LotSize {
	const none = (reason: string): LotSize => ({
		eoq: null,
		ordersPerYear: null,
		holdingCostPerUnit: isNonNegative(holdingCostPerUnit)
			? holdingCostPerUnit
			: null,
		orderingCostPerOrder: isNonNegative(orderingCost) ? orderingCost : 0,
		reason,
	});
	if (!isNonNegative(annualDemand)) return none("annual demand is negative");
	if (annualDemand === 0) return none("no demand in the window");
	if (!isNonNegative(orderingCost)) return none("ordering cost is negative");
	if (orderingCost === 0)
		return none("ordering cost is 0: EOQ is undefined (order every day)");
	if (!(Number.isFinite(holdingCostPerUnit) && holdingCostPerUnit > 0))
		return none(
			"holding cost per unit is not positive (unit cost or storage cost % missing or 0)",
		);
	const q = Math.sqrt((2 * annualDemand * orderingCost) / holdingCostPerUnit);
	return {
		eoq: q,
		ordersPerYear: annualDemand / q,
		holdingCostPerUnit,
		orderingCostPerOrder: orderingCost,
		reason: null,
	};
}

/**
 * Safety stock z·√(L·σd² + d²·σL²) (demand and lead time both normal and independent).
 * Unknown σL is taken as 0 and the method says so; a missing or negative lead time gives null.
 */
export function safetyStock(
	z: number,
	avgDailyDemand: number,
	dailyDemandStd: number,
	leadTimeDays: number | null,
	leadTimeStdDays: number | null,
): SafetyStock {
	const none = (reason: string): SafetyStock => ({
		safetyStock: null,
		z,
		leadTimeDemandStd: null,
		method: "none",
		reason,
	});
	if (!isNonNegative(leadTimeDays))
		return none("lead time missing or negative");
	if (!isNonNegative(avgDailyDemand) || !isNonNegative(dailyDemandStd))
		return none("demand statistics missing or negative");
	const fixedLead = !isNonNegative(leadTimeStdDays);
	const sL = fixedLead ? 0 : leadTimeStdDays;
	const sigma = Math.sqrt(
		leadTimeDays * dailyDemandStd ** 2 + avgDailyDemand ** 2 * sL ** 2,
	);
	return {
		safetyStock: Math.max(0, z * sigma),
		z,
		leadTimeDemandStd: sigma,
		method: fixedLead ? "statistical_fixed_lead_time" : "statistical",
		reason: fixedLead ? "lead time variability unknown: taken as 0" : null,
	};
}

/** Reorder point d·L + SS. */
export function reorderPoint(
	avgDailyDemand: number,
	leadTimeDays: number | null,
	safety: number | null,
): ReorderPoint {
	if (!isNonNegative(leadTimeDays))
		return {
			reorderPoint: null,
			leadTimeDemand: null,
			reason: "lead time missing or negative",
		};
	if (!isNonNegative(avgDailyDemand))
		return {
			reorderPoint: null,
			leadTimeDemand: null,
			reason: "average daily demand missing or negative",
		};
	const leadTimeDemand = avgDailyDemand * leadTimeDays;
	if (safety === null)
		return {
			reorderPoint: null,
			leadTimeDemand,
			reason: "safety stock unavailable",
		};
	return {
		reorderPoint: leadTimeDemand + safety,
		leadTimeDemand,
		reason: null,
	};
}

/** Joins the non-null reasons of parts into one string, or null when all are null. */
export function joinReasons(
	...reasons: (string | null | undefined)[]
): string | null {
	const kept = [...new Set(reasons.filter((r): r is string => !!r))];
	return kept.length > 0 ? kept.join("; ") : null;
}

/** EOQ, safety stock and reorder point of one material. Throws only on a bad service level. */
export function computePolicy(input: PolicyInput): Policy {
	const z = serviceLevelZ(input.serviceLevel);
	const holding =
		isNonNegative(input.unitCost) && isNonNegative(input.storageCostPct)
			? (input.storageCostPct / 100) * input.unitCost
			: Number.NaN;
	const lotSize = eoq(input.annualDemand, input.orderingCost, holding);
	const ss = safetyStock(
		z,
		input.avgDailyDemand,
		input.dailyDemandStd,
		input.leadTimeDays,
		input.leadTimeStdDays,
	);
	const rop = reorderPoint(
		input.avgDailyDemand,
		input.leadTimeDays,
		ss.safetyStock,
	);
	return {
		lotSize,
		safetyStock: ss,
		reorderPoint: rop,
		serviceLevel: input.serviceLevel,
		reason: joinReasons(lotSize.reason, ss.reason, rop.reason),
	};
}
