/**
 * Planted events: anomalies the generator writes into the demo ERP on purpose, so monitors have
 * something real to find. All are deterministic for (seed, lines, endDate) and sit in the last
 * ~3 months of history:
 *
 * 1. margin_drop — one region (picked by seed) loses ~12 points of gross margin for the last
 *    full calendar month (the month of endDate when endDate is a month end): deeper discounts
 *    (+7 points) and landed costs up 10%, for that region's invoices only.
 * 2. stock_out — a popular long-running item: its inbound purchase orders are held at the
 *    supplier two weeks before, its stock is zero from a Monday ~12 weeks before endDate for
 *    5 weeks (five Sunday snapshots with OnHandQty = 0, no sales lines), then a large delayed PO lands.
 * 3. silent_customer — a top-10 customer by revenue (a key account that existed before the
 *    history starts) places no invoices, credit notes or won quotes in the last 60–85 days;
 *    AR_CUSTOMER still shows it active (Status 'A', no ChurnDate).
 * 4. demand_spike — one week (Monday–Sunday, ~8 weeks before endDate) when one category
 *    (not the stock-out item's) gets ~3x its usual weekly order lines: 40% more orders that
 *    week, over a third of all picks forced into that category, 20% larger quantities.
 */
import { buildCatalog, type Catalog } from "./catalog.ts";
import { isoOfDay, lastFullMonth, onOrAfterWeekday } from "./dates.ts";
import {
	AFFINITY,
	CATEGORIES,
	type Customer,
	INDUSTRIES,
	REGIONS,
} from "./model.ts";
import { resolveOptions } from "./options.ts";
import { Rng } from "./rng.ts";

export type PlantedEventType =
	| "margin_drop"
	| "stock_out"
	| "silent_customer"
	| "demand_spike";

export interface PlantedEvent {
	type: PlantedEventType;
	description: string;
	entityType: "region" | "item" | "customer" | "category";
	/** Region name, ItemNo, CustNo or category name as they appear in the ERP tables. */
	entityIds: string[];
	/** Inclusive ISO date range. */
	from: string;
	to: string;
	details: Record<string, string | number>;
}

/** What the generator needs to plant the events: indices into the catalog and epoch days. */
export interface EventPlan {
	marginDrop: {
		region: number;
		from: number;
		to: number;
		extraDiscount: number;
		costFactor: number;
	};
	/** Arrivals blocked from `holdFrom`; stock forced to 0 on `from`; the delayed PO lands on `until` (exclusive end). */
	stockOut: { item: number; holdFrom: number; from: number; until: number };
	silent: { customer: number; from: number };
	spike: {
		category: number;
		from: number;
		to: number;
		volumeFactor: number;
		categoryShare: number;
		qtyFactor: number;
	};
}

export function planEvents(catalog: Catalog): EventPlan {
	const rng = new Rng(catalog.seed, "events");
	const end = catalog.endDay;
	const month = lastFullMonth(end);
	const region = rng.int(0, REGIONS.length - 1);
	const outFrom = onOrAfterWeekday(end - 84, 1);
	const item = pickStockOutItem(rng, catalog, outFrom);
	const itemCategory = catalog.items[item]?.category ?? 0;
	const spikeChoices = [2, 3, 4].filter((c) => c !== itemCategory);
	const spikeFrom = onOrAfterWeekday(end - 60, 1);
	const silentFrom = end - rng.int(60, 85) + 1;
	return {
		marginDrop: {
			region,
			from: month.from,
			to: month.to,
			extraDiscount: 0.07,
			costFactor: 1.1,
		},
		stockOut: {
			item,
			holdFrom: outFrom - 14,
			from: outFrom,
			until: outFrom + 35,
		},
		silent: {
			customer: pickSilentCustomer(rng, catalog, silentFrom),
			from: silentFrom,
		},
		spike: {
			category: rng.pick(spikeChoices),
			from: spikeFrom,
			to: spikeFrom + 6,
			volumeFactor: 1.4,
			categoryShare: 0.35,
			qtyFactor: 1.2,
		},
	};
}

/** Demand weight of each item summed over industries (what an item's share of lines is, roughly). */
export function itemDemandShares(catalog: Catalog): Float64Array {
	const byIndustry = new Float64Array(INDUSTRIES.length);
	for (const c of catalog.customers)
		byIndustry[c.industry] =
			(byIndustry[c.industry] ?? 0) + c.weight * c.meanLines;
	const shares = new Float64Array(catalog.items.length);
	for (let ind = 0; ind < INDUSTRIES.length; ind++) {
		const aff = AFFINITY[ind] ?? [];
		let total = 0;
		for (const it of catalog.items)
			total += it.popularity * (aff[it.category] ?? 0);
		for (const it of catalog.items) {
			shares[it.idx] =
				(shares[it.idx] ?? 0) +
				((byIndustry[ind] ?? 0) * it.popularity * (aff[it.category] ?? 0)) /
					total;
		}
	}
	let sum = 0;
	for (const s of shares) sum += s;
	for (let i = 0; i < shares.length; i++) shares[i] = (shares[i] ?? 0) / sum;
	return shares;
}

function pickStockOutItem(rng: Rng, catalog: Catalog, from: number): number {
	const shares = itemDemandShares(catalog);
	const eligible = catalog.items
		.filter(
			(it) =>
				it.launchDay < from - 730 &&
				it.discontinueDay === Number.POSITIVE_INFINITY &&
				it.category !== 8,
		)
		.sort(
			(a, b) => (shares[b.idx] ?? 0) - (shares[a.idx] ?? 0) || a.idx - b.idx,
		);
	return rng.pick(eligible.slice(0, 5)).idx;
}

/** Expected revenue in the year before `from`, for ranking customers without simulating. */
function expectedRevenue(
	c: Customer,
	basket: Float64Array,
	from: number,
): number {
	const days = Math.max(
		0,
		Math.min(from, c.stopDay) - Math.max(from - 365, c.createdDay),
	);
	return (
		days * c.weight * c.meanLines * c.sizeFactor * (basket[c.industry] ?? 0)
	);
}

function pickSilentCustomer(rng: Rng, catalog: Catalog, from: number): number {
	const basket = new Float64Array(INDUSTRIES.length);
	for (let ind = 0; ind < INDUSTRIES.length; ind++) {
		const aff = AFFINITY[ind] ?? [];
		let w = 0;
		let v = 0;
		for (const it of catalog.items) {
			const p = it.popularity * (aff[it.category] ?? 0);
			w += p;
			v += p * it.baseList * it.baseQty;
		}
		basket[ind] = v / w;
	}
	const ranked = catalog.customers
		.map((c) => ({ c, rev: expectedRevenue(c, basket, from) }))
		.sort((a, b) => b.rev - a.rev || a.c.idx - b.c.idx);
	const keyAccount = (c: Customer) =>
		c.createdDay < catalog.startDay && c.stopDay === Number.POSITIVE_INFINITY;
	const candidates = ranked.slice(2, 6).filter((r) => keyAccount(r.c));
	const chosen =
		candidates.length > 0
			? rng.pick(candidates)
			: ranked.find((r) => keyAccount(r.c));
	return (chosen ?? ranked[0])?.c.idx ?? 0;
}

function planted(
	type: PlantedEventType,
	entityType: PlantedEvent["entityType"],
	id: string,
	range: [number, number],
	description: string,
	details: PlantedEvent["details"],
): PlantedEvent {
	const [from, to] = range.map(isoOfDay) as [string, string];
	return {
		type,
		description: `${description} from ${from} to ${to}`,
		entityType,
		entityIds: [id],
		from,
		to,
		details,
	};
}

/** The events as data, for the CLI, tests and monitors. */
export function describeEvents(
	catalog: Catalog,
	plan: EventPlan,
): PlantedEvent[] {
	const { marginDrop: m, stockOut: s, silent, spike } = plan;
	const region = REGIONS[m.region]?.name ?? "?";
	const item = catalog.items[s.item];
	const itemNo = item?.itemNo ?? "?";
	const cust = catalog.customers[silent.customer];
	const category = CATEGORIES[spike.category]?.name ?? "?";
	return [
		planted(
			"margin_drop",
			"region",
			region,
			[m.from, m.to],
			`margin drop: ${region} region gross margin falls ~12 points (deeper discounts, +10% landed cost)`,
			{
				extraDiscountPct: Math.round(m.extraDiscount * 100),
				costIncreasePct: Math.round((m.costFactor - 1) * 100),
			},
		),
		planted(
			"stock_out",
			"item",
			itemNo,
			[s.from, s.until - 1],
			`stock-out: ${itemNo} (${item?.description}) has no stock (supplier delay)`,
			{
				holdFrom: isoOfDay(s.holdFrom),
				restockDate: isoOfDay(s.until),
				category: CATEGORIES[item?.category ?? 0]?.name ?? "?",
			},
		),
		planted(
			"silent_customer",
			"customer",
			cust?.custNo ?? "?",
			[silent.from, catalog.endDay],
			`silent top customer: ${cust?.custNo} (${cust?.name}) places no orders (AR_CUSTOMER still shows it active)`,
			{
				silentDays: catalog.endDay - silent.from + 1,
				customerName: cust?.name ?? "?",
			},
		),
		planted(
			"demand_spike",
			"category",
			category,
			[spike.from, spike.to],
			`demand spike: ${category} gets ~3x its usual weekly order lines (and larger quantities)`,
			{
				volumeFactor: spike.volumeFactor,
				categoryShare: spike.categoryShare,
				qtyFactor: spike.qtyFactor,
			},
		),
	];
}

/**
 * The events `generateDemoErp` plants for these options (`lines` matters: it sizes the customer
 * and item lists the entities are picked from). Defaults and validation match `generateDemoErp`'s.
 */
export function plantedEvents(
	seed?: number,
	endDate?: string,
	lines?: number,
): PlantedEvent[] {
	const o = resolveOptions({ seed, endDate, lines }, false);
	const catalog = buildCatalog(o.seed, o.lines, o.endDay);
	return describeEvents(catalog, planEvents(catalog));
}
