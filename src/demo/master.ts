/** Writes the master tables (branches, reps, customers, items) before the transactions stream. */
import type { Catalog } from "./catalog.ts";
import { isoOfDay } from "./dates.ts";
import type { EventPlan } from "./events.ts";
import type { PriceIndex } from "./market.ts";
import { BRANCHES, CATEGORIES, INDUSTRIES, REGIONS, round2 } from "./model.ts";
import type { ErpTables } from "./sqlite.ts";

export function writeMasterData(
	t: ErpTables,
	catalog: Catalog,
	plan: EventPlan,
	prices: PriceIndex,
): void {
	for (const b of BRANCHES)
		t.branches.add([b.code, b.name, REGIONS[b.region]?.name ?? "", b.office]);
	for (const r of catalog.reps) {
		t.reps.add([
			r.id,
			r.name,
			BRANCHES[r.branch]?.code ?? "",
			isoOfDay(r.hireDay),
			r.termDay === null ? null : isoOfDay(r.termDay),
		]);
	}
	for (const c of catalog.customers) {
		const b = BRANCHES[c.branch];
		t.customers.add([
			c.custNo,
			c.name,
			INDUSTRIES[c.industry] ?? "",
			REGIONS[b?.region ?? 0]?.name ?? "",
			b?.office ?? "",
			b?.code ?? "",
			isoOfDay(c.createdDay),
			c.creditLimit,
			c.churnDay === null ? "A" : "I",
			c.churnDay === null ? null : isoOfDay(c.churnDay),
		]);
	}
	// Item master shows today's prices; the stock-out item's recent lead time shows its supplier delay.
	const last = prices.price.length - 1;
	for (const it of catalog.items) {
		const cat = CATEGORIES[it.category];
		const delayed =
			it.idx === plan.stockOut.item
				? plan.stockOut.until - plan.stockOut.holdFrom
				: 0;
		t.items.add([
			it.itemNo,
			it.description,
			cat?.name ?? "",
			cat?.uom ?? "CS",
			round2(it.baseCost * (prices.cost[last] ?? 1)),
			round2(it.baseList * (prices.price[last] ?? 1)),
			Math.max(it.leadTimeDays, it.leadTimeStdDays + delayed),
			it.leadTimeStdDays,
			it.storageCostPct,
			it.orderCost,
			it.discontinueDay === Number.POSITIVE_INFINITY ? "Y" : "N",
			isoOfDay(it.launchDay),
		]);
	}
}
