/**
 * One analysed material → one row per stox_* table, as arrays in the column order of the
 * `sql/stox/write-*.sql` statements. Pure. Numbers that are not finite become null (with a
 * reason), money that is summed into the enterprise summary is rounded to cents here, so the
 * item rows and the enterprise totals are the same numbers.
 */
import type { ItemSummaryInput } from "./enterprise.ts";
import type { GatheredMaterial } from "./gather.ts";
import type { MaterialAnalysis } from "./material.ts";
import { joinReasons } from "./policy.ts";

/** Why stox_performance_metrics.inventory_accuracy_pct is always null. */
export const ACCURACY_REASON =
	"inventory accuracy not measured: no physical counts are ingested";

/** Largest magnitude written to a numeric(18, 2) column (and safely below the others' limits). */
const NUMERIC_LIMIT = 1e15;

/** The per-table rows of one material. */
export interface MaterialRows {
	lotSize: unknown[];
	safetyStock: unknown[];
	reorderPoint: unknown[];
	annualCost: unknown[];
	workingCapital: unknown[];
	performance: unknown[];
	projection: unknown[][];
	/** Its part of the enterprise summary, money in cents-rounded currency. */
	summary: ItemSummaryInput;
}

/** Collects the values of one row, turning non-finite or out-of-range numbers into null. */
function rowValues() {
	let dropped = false;
	const num = (x: number | null | undefined): number | null => {
		if (x === null || x === undefined) return null;
		if (!Number.isFinite(x) || Math.abs(x) >= NUMERIC_LIMIT) {
			dropped = true;
			return null;
		}
		return x;
	};
	return {
		num,
		/** Rounded to cents, so sums of stored values equal sums of these values. */
		money: (x: number | null | undefined): number | null => {
			const v = num(x);
			return v === null ? null : Math.round(v * 100) / 100;
		},
		pct: (x: number | null | undefined): number | null =>
			num(x === null || x === undefined ? null : x * 100),
		reason: (...reasons: (string | null | undefined)[]) =>
			joinReasons(
				...reasons,
				dropped
					? "a value that was not a finite number was written as null"
					: null,
			),
	};
}

/** Current on hand ÷ average daily demand, or null without demand or stock figure. */
export function daysOfCover(
	onHand: number | null,
	avgDailyDemand: number,
): number | null {
	if (onHand === null || !Number.isFinite(onHand)) return null;
	if (!(Number.isFinite(avgDailyDemand) && avgDailyDemand > 0)) return null;
	return Math.max(0, onHand) / avgDailyDemand;
}

/** Builds every stox_* row of one material. */
export function materialRows(
	m: GatheredMaterial,
	a: MaterialAnalysis,
): MaterialRows {
	const key = [m.source, a.materialNumber];
	const { input } = m;
	const notes = joinReasons(...m.notes, a.reason);
	const { policy, cost, capital, health, demand, projection } = a;

	const lot = rowValues();
	const lotSize = [
		...key,
		lot.num(policy.lotSize.eoq),
		lot.num(policy.lotSize.ordersPerYear),
		lot.num(cost.orderingCost),
		lot.num(cost.holdingCost),
		lot.num(policy.lotSize.holdingCostPerUnit),
		lot.num(policy.lotSize.orderingCostPerOrder),
	];
	lotSize.push(lot.reason(policy.lotSize.reason));

	const ss = rowValues();
	const safetyStock = [
		...key,
		ss.num(policy.safetyStock.safetyStock),
		ss.pct(policy.serviceLevel),
		ss.num(demand.dailyDemandStd),
		ss.num(input.leadTimeDays),
		ss.num(input.leadTimeStdDays),
		policy.safetyStock.method,
		input.abcClass,
	];
	safetyStock.push(
		ss.reason(
			input.abcClass
				? null
				: "no revenue in the window: no ABC class, default service level",
			policy.safetyStock.reason,
			demand.reason,
		),
	);

	const rop = rowValues();
	const reorderPoint = [
		...key,
		rop.num(policy.reorderPoint.reorderPoint),
		rop.num(demand.avgDailyDemand),
		rop.num(policy.safetyStock.safetyStock),
		rop.num(policy.reorderPoint.leadTimeDemand),
		rop.num(input.leadTimeDays),
		rop.num(input.currentOnHand),
		rop.num(input.onOrder),
		m.onOrderSince,
		rop.num(daysOfCover(input.currentOnHand, demand.avgDailyDemand)),
		projection.stockoutDate,
	];
	reorderPoint.push(rop.reason(policy.reorderPoint.reason, notes));

	const ac = rowValues();
	const annualCost = [
		...key,
		ac.num(cost.annualDemandUnits),
		ac.num(cost.orderingCost),
		ac.num(cost.holdingCost),
		ac.num(cost.shortageCost),
		ac.num(cost.totalCost),
	];
	annualCost.push(ac.reason(cost.reason));

	const wc = rowValues();
	const currentValue = wc.money(a.summary.currentInventoryValue);
	const averageValue = wc.money(capital.inventoryValue);
	const workingCapital = [
		...key,
		wc.num(capital.avgInventoryUnits),
		wc.num(capital.unitCost),
		averageValue,
		wc.num(capital.turnoverRatio),
		wc.num(capital.daysOnHand),
		wc.num(input.currentOnHand),
		currentValue,
		capital.basis,
	];
	workingCapital.push(
		wc.reason(
			capital.reason,
			input.currentOnHand === null ? "no current on hand: valued at 0" : null,
		),
	);

	const pm = rowValues();
	const performance = [
		...key,
		pm.pct(health.observedFillRate),
		pm.pct(health.expectedFillRate),
		pm.num(health.stockoutIncidents),
		pm.money(health.excessValue),
		pm.money(health.obsoleteValue),
	];
	performance.push(pm.reason(health.reason, ACCURACY_REASON));

	const projectionRows = projection.rows.map((r) => {
		const p = rowValues();
		const row: unknown[] = [
			...key,
			r.projectionDate,
			p.num(r.projectedDemand),
			p.num(r.projectedDemandLower),
			p.num(r.projectedDemandUpper),
			p.num(r.confidenceInterval),
			p.num(r.intervalLevelPct),
			p.num(r.projectedInventoryLevel),
			p.num(r.projectedOrders),
			r.forecastMethod,
			r.projectedStockout,
		];
		row.push(p.reason(projection.reason));
		return row;
	});

	return {
		lotSize,
		safetyStock,
		reorderPoint,
		annualCost,
		workingCapital,
		performance,
		projection: projectionRows,
		summary: {
			...a.summary,
			materialNumber: `${m.source}\u0000${a.materialNumber}`,
			currentInventoryValue: currentValue,
			workingCapital: averageValue,
		},
	};
}
