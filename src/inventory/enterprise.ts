/**
 * Enterprise roll-up of per-material results (`stox_enterprise_summary`). Totals are plain
 * sums of the item figures, so the items always add up to the enterprise.
 */

/** What the roll-up needs from one material; nulls are left out of sums and averages. */
export interface ItemSummaryInput {
	materialNumber: string;
	/** Current on-hand value (latest snapshot units × unit cost). */
	currentInventoryValue: number | null;
	/** Average inventory value (working capital). */
	workingCapital: number | null;
	/** Annual cost of goods sold of the item. */
	annualCogs: number | null;
	/** Units demanded and units served from stock over the window (observed fill). */
	unitsDemanded: number | null;
	unitsServed: number | null;
}

/** The enterprise summary row (fractions; the integrator writes percent). */
export interface EnterpriseSummary {
	totalSkuCount: number;
	totalInventoryValue: number;
	totalWorkingCapital: number;
	/** Σ annual COGS / Σ working capital over items that have both: the enterprise's turns. */
	avgTurnoverRatio: number | null;
	/** Σ served / Σ demanded over items with both: the unit fill rate achieved. */
	serviceLevelAchievement: number | null;
	reason: string | null;
}

const usable = (x: number | null): x is number =>
	x !== null && Number.isFinite(x);

/**
 * Sums and demand- or value-weighted averages of the items. Turnover and service level are
 * ratios of sums rather than means of ratios, so a tiny item cannot swing the figure.
 */
export function enterpriseSummary(
	items: readonly ItemSummaryInput[],
): EnterpriseSummary {
	let inventory = 0;
	let capital = 0;
	let cogs = 0;
	let capitalWithCogs = 0;
	let demanded = 0;
	let served = 0;
	for (const item of items) {
		if (usable(item.currentInventoryValue))
			inventory += item.currentInventoryValue;
		if (usable(item.workingCapital)) capital += item.workingCapital;
		if (usable(item.annualCogs) && usable(item.workingCapital)) {
			cogs += item.annualCogs;
			capitalWithCogs += item.workingCapital;
		}
		if (usable(item.unitsDemanded) && usable(item.unitsServed)) {
			demanded += item.unitsDemanded;
			served += item.unitsServed;
		}
	}
	const reasons: string[] = [];
	if (items.length === 0) reasons.push("no materials");
	if (capitalWithCogs <= 0)
		reasons.push("no working capital with COGS: turnover undefined");
	if (demanded <= 0)
		reasons.push("no observed demand: service level undefined");
	return {
		totalSkuCount: new Set(items.map((i) => i.materialNumber)).size,
		totalInventoryValue: inventory,
		totalWorkingCapital: capital,
		avgTurnoverRatio: capitalWithCogs > 0 ? cogs / capitalWithCogs : null,
		serviceLevelAchievement: demanded > 0 ? served / demanded : null,
		reason: reasons.length > 0 ? reasons.join("; ") : null,
	};
}
