/**
 * Inventory simulation behind IC_STOCK_SNAPSHOT: sales drain each item's stock; when on-hand
 * falls to the reorder point a purchase order (economic order quantity) is placed and lands
 * after the item's lead time, sometimes late, so stock-outs happen now and then on their own.
 * State is a few numbers per item; memory does not grow with the number of order lines.
 */
import type { Catalog } from "./catalog.ts";
import type { EventPlan } from "./events.ts";
import { CATEGORIES, type Item, round2 } from "./model.ts";
import type { Rng } from "./rng.ts";

/** Weight of the latest week in the demand forecast (exponential smoothing). */
const SMOOTHING = 0.1;
/** Service-level factor of the safety stock (not too high: the odd stock-out is part of the story). */
const SAFETY_Z = 1.2;

export type SnapshotSink = (
	item: Item,
	warehouse: string,
	onHand: number,
	onOrder: number,
) => void;

export class StockSim {
	readonly onHand: Float64Array;
	private readonly onOrder: Float64Array;
	private readonly arrival: Float64Array;
	/** Forecast demand in cases per day. */
	private readonly rate: Float64Array;
	private readonly week: Float64Array;
	/** Cases on a typical order line: slow movers still keep a couple of lines' worth on hand. */
	private readonly lineQty: Float64Array;
	private readonly items: readonly Item[];
	private readonly rng: Rng;
	private readonly out: EventPlan["stockOut"];

	/**
	 * `expectedDaily`: first guess of each item's demand (cases/day) before any sales are seen;
	 * `lineQty`: cases on a typical order line of each item.
	 */
	constructor(
		catalog: Catalog,
		plan: EventPlan,
		rng: Rng,
		expectedDaily: Float64Array,
		lineQty: Float64Array,
	) {
		const n = catalog.items.length;
		this.items = catalog.items;
		this.rng = rng;
		this.out = plan.stockOut;
		this.onHand = new Float64Array(n);
		this.onOrder = new Float64Array(n);
		this.arrival = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
		this.rate = Float64Array.from(expectedDaily, (x) => Math.max(x, 0.01));
		this.week = new Float64Array(n);
		this.lineQty = lineQty;
		for (const it of this.items)
			if (it.launchDay <= catalog.startDay)
				this.stockUp(it.idx, this.rng.next());
	}

	/** Opening stock: between the reorder point and a full order on top. */
	private stockUp(i: number, fill: number): void {
		this.onHand[i] = Math.ceil(this.reorderPoint(i) + fill * this.orderQty(i));
	}

	/**
	 * Demand over lead time plus safety days, plus safety stock for lumpy demand (orders arrive
	 * a few cases at a time: variance over the lead time ≈ rate × lead time × 2 × line size);
	 * never less than two typical order lines.
	 */
	private reorderPoint(i: number): number {
		const it = this.items[i] as Item;
		const r = this.rate[i] ?? 0;
		const line = this.lineQty[i] ?? 1;
		const safety = SAFETY_Z * Math.sqrt(2 * r * it.leadTimeDays * line);
		return Math.max(r * (it.leadTimeDays + it.safetyDays) + safety, 2 * line);
	}

	/** Economic order quantity, between two weeks' and three months' demand, at least three order lines. */
	private orderQty(i: number): number {
		const it = this.items[i] as Item;
		const r = this.rate[i] ?? 0;
		const eoq = Math.sqrt(
			(2 * r * 365 * it.orderCost) / (it.baseCost * it.storageCostPct),
		);
		return Math.ceil(
			Math.max(
				Math.min(Math.max(eoq, r * 14), r * 90),
				3 * (this.lineQty[i] ?? 1),
			),
		);
	}

	/** Start of a day: launches get their first stock, purchase orders that are due land. */
	beginDay(day: number): void {
		const out = this.out;
		for (let i = 0; i < this.items.length; i++) {
			const it = this.items[i] as Item;
			if (it.launchDay === day) this.stockUp(i, 0.5);
			if (i === out.item && day >= out.holdFrom && day < out.until) continue;
			if ((this.arrival[i] ?? 0) <= day)
				this.receive(i, day, this.onOrder[i] ?? 0);
		}
		if (day === out.from) {
			// The planted stock-out: what is left is allocated to backorders; the PO stays on order, held.
			this.onHand[out.item] = 0;
			if ((this.onOrder[out.item] ?? 0) === 0)
				this.place(out.item, day, this.orderQty(out.item));
		}
		if (day === out.until)
			this.receive(
				out.item,
				day,
				Math.max(
					this.onOrder[out.item] ?? 0,
					Math.ceil((this.rate[out.item] ?? 0) * 42),
				),
			);
	}

	private receive(i: number, day: number, qty: number): void {
		this.onHand[i] = (this.onHand[i] ?? 0) + qty;
		this.onOrder[i] = 0;
		this.arrival[i] = Number.POSITIVE_INFINITY;
		this.reorder(i, day);
	}

	private place(i: number, day: number, qty: number): void {
		const it = this.items[i] as Item;
		let lead = Math.round(it.leadTimeDays * this.rng.range(0.85, 1.15));
		const late = this.rng.next();
		if (late < 0.025) lead += this.rng.int(10, 28);
		else if (late < 0.1) lead += this.rng.int(2, 6);
		this.onOrder[i] = qty;
		this.arrival[i] = day + Math.max(1, lead);
	}

	private reorder(i: number, day: number): void {
		if ((this.onOrder[i] ?? 0) > 0) return;
		if ((this.onHand[i] ?? 0) > this.reorderPoint(i)) return;
		this.place(i, day, this.orderQty(i));
	}

	/** Ships up to `qty` and returns what shipped (0 when out of stock). */
	take(i: number, qty: number, day: number): number {
		const have = this.onHand[i] ?? 0;
		const shipped = Math.min(qty, have);
		this.onHand[i] = have - shipped;
		this.week[i] = (this.week[i] ?? 0) + shipped;
		this.reorder(i, day);
		return shipped;
	}

	/**
	 * End of a Sunday: update the demand forecasts (weeks spent wholly out of stock are skipped:
	 * they say nothing about demand) and write one snapshot row per item on sale that day.
	 */
	weekly(day: number, sink: SnapshotSink): number {
		let rows = 0;
		for (let i = 0; i < this.items.length; i++) {
			const it = this.items[i] as Item;
			const onHand = this.onHand[i] ?? 0;
			if ((onHand > 0 || (this.week[i] ?? 0) > 0) && it.launchDay <= day - 7) {
				this.rate[i] = Math.max(
					0.01,
					(1 - SMOOTHING) * (this.rate[i] ?? 0) +
						(SMOOTHING * (this.week[i] ?? 0)) / 7,
				);
			}
			this.week[i] = 0;
			if (it.launchDay > day || day >= it.discontinueDay) continue;
			sink(
				it,
				CATEGORIES[it.category]?.warehouse ?? "WH-MAIN",
				round2(onHand),
				round2(this.onOrder[i] ?? 0),
			);
			rows++;
		}
		return rows;
	}
}
