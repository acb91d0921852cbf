/**
 * One material end to end: demand statistics → policy → annual cost → working capital →
 * stock health → projection, with the master's gaps filled from the `stox` config. This is
 * the pure call the compute step makes per material before writing the stox_* rows.
 */
import type { AbcClass, StoxConfig } from "./config.ts";
import { serviceLevelFor } from "./config.ts";
import {
	type AnnualCost,
	annualCost,
	type WorkingCapital,
	workingCapital,
} from "./cost.ts";
import { type DemandStatistics, demandStatistics } from "./demand.ts";
import type { ItemSummaryInput } from "./enterprise.ts";
import { observedFillRate, type StockHealth, stockHealth } from "./health.ts";
import { computePolicy, joinReasons, type Policy } from "./policy.ts";
import { type Projection, projectMaterial } from "./projection.ts";

/** One material's master data, stock and daily history, as the compute step reads them. */
export interface MaterialInput {
	materialNumber: string;
	/** Units demanded per day over the window, oldest first, zeros included. */
	daily: readonly number[];
	/** Date of the first entry of `daily`, YYYY-MM-DD. */
	firstDay: string;
	/** On hand at the start of each day of the window (aligned with `daily`); null = no snapshot. */
	onHandDaily: readonly (number | null)[];
	/** Latest on-hand and on-order units. */
	currentOnHand: number | null;
	onOrder: number | null;
	unitCost: number | null;
	leadTimeDays: number | null;
	leadTimeStdDays: number | null;
	/** Null = the config's `holdingCostPct`. */
	storageCostPct: number | null;
	/** Null = the config's `orderingCost`. */
	orderingCost: number | null;
	abcClass: AbcClass | null;
}

/** Every per-material result, one part per stox_* table. */
export interface MaterialAnalysis {
	materialNumber: string;
	demand: DemandStatistics;
	policy: Policy;
	cost: AnnualCost;
	capital: WorkingCapital;
	health: StockHealth;
	projection: Projection;
	/** This material's contribution to the enterprise summary. */
	summary: ItemSummaryInput;
	reason: string | null;
}

const given = (x: number | null): x is number =>
	x !== null && Number.isFinite(x);

/** Mean of the snapshots that exist, or null when there are none. */
function meanOnHand(onHand: readonly (number | null)[]): number | null {
	const known = onHand.filter(given).map((v) => Math.max(0, v));
	return known.length > 0
		? known.reduce((a, b) => a + b, 0) / known.length
		: null;
}

/** Runs every Stox calculation for one material. Throws only on an invalid service level. */
export function analyseMaterial(
	input: MaterialInput,
	config: StoxConfig,
): MaterialAnalysis {
	const demand = demandStatistics(input.daily);
	const policy = computePolicy({
		annualDemand: demand.annualDemand,
		avgDailyDemand: demand.avgDailyDemand,
		dailyDemandStd: demand.dailyDemandStd,
		leadTimeDays: input.leadTimeDays,
		leadTimeStdDays: input.leadTimeStdDays,
		unitCost: input.unitCost,
		orderingCost: input.orderingCost ?? config.orderingCost,
		storageCostPct: input.storageCostPct ?? config.holdingCostPct,
		serviceLevel: serviceLevelFor(config, input.abcClass),
	});
	const cost = annualCost(
		demand.annualDemand,
		policy,
		config.shortageCostPerUnit ?? null,
	);
	const capital = workingCapital(
		{
			annualDemand: demand.annualDemand,
			unitCost: input.unitCost,
			observedAvgInventoryUnits: meanOnHand(input.onHandDaily),
		},
		policy,
	);
	const history = { demand: input.daily, onHand: input.onHandDaily };
	const onHand = given(input.currentOnHand) ? input.currentOnHand : 0;
	const health = stockHealth(
		{
			currentOnHand: onHand,
			unitCost: input.unitCost,
			avgDailyDemand: demand.avgDailyDemand,
			excessCoverDays: config.excessCoverDays,
			obsoleteDays: config.obsoleteDays,
		},
		policy,
		history,
	);
	const projection = projectMaterial({
		daily: input.daily,
		firstDay: input.firstDay,
		granularity: config.projection.granularity,
		horizon: config.projection.horizon,
		intervalLevel: config.projection.intervalLevel,
		onHand,
		onOrder: given(input.onOrder) ? input.onOrder : 0,
		eoq: policy.lotSize.eoq,
		reorderPoint: policy.reorderPoint.reorderPoint,
		leadTimeDays: input.leadTimeDays,
	});
	const fill = observedFillRate(history);
	const summary: ItemSummaryInput = {
		materialNumber: input.materialNumber,
		currentInventoryValue: given(input.unitCost)
			? onHand * input.unitCost
			: null,
		workingCapital: capital.inventoryValue,
		annualCogs: given(input.unitCost)
			? demand.annualDemand * input.unitCost
			: null,
		unitsDemanded: fill.value === null ? null : fill.demanded,
		unitsServed: fill.value === null ? null : fill.served,
	};
	return {
		materialNumber: input.materialNumber,
		demand,
		policy,
		cost,
		capital,
		health,
		projection,
		summary,
		reason: joinReasons(
			given(input.currentOnHand) ? null : "current on hand missing: taken as 0",
			demand.reason,
			policy.reason,
		),
	};
}
