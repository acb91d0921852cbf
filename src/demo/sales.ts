/**
 * SLS_INVOICE_HDR / SLS_INVOICE_LIN: one invoice or credit note at a time, written straight to
 * the batch inserters. Only a small ring of recent invoices is kept (credit notes refer back to
 * them), so memory stays flat however many lines are written.
 */
import { type Catalog, repAt } from "./catalog.ts";
import type { Calendar } from "./dates.ts";
import type { EventPlan } from "./events.ts";
import type { PriceIndex } from "./market.ts";
import {
	AFFINITY,
	BRANCHES,
	type Customer,
	digits2,
	digits7,
	INDUSTRIES,
	type Item,
	REGIONS,
	round2,
} from "./model.ts";
import { AliasTable, type Rng } from "./rng.ts";
import type { ErpTables } from "./sqlite.ts";
import type { StockSim } from "./stock.ts";

const MAX_LINES = 40;
const RING = 256;
const FREE_SAMPLE_RATE = 0.003;
const LATE_POSTING_RATE = 0.03;
/** Branches whose code is sometimes typed as e.g. "br03 " on invoices. */
const SLOPPY_BRANCHES = new Set([2, 6]);

interface RecentInvoice {
	cust: Customer | undefined;
	branchCode: string;
	n: number;
	item: Int32Array;
	qty: Float64Array;
	price: Float64Array;
	unitCost: Float64Array;
	disc: Float64Array;
}

function emptyInvoice(): RecentInvoice {
	const f = () => new Float64Array(MAX_LINES);
	return {
		cust: undefined,
		branchCode: "",
		n: 0,
		item: new Int32Array(MAX_LINES),
		qty: f(),
		price: f(),
		unitCost: f(),
		disc: f(),
	};
}

export interface SalesContext {
	catalog: Catalog;
	plan: EventPlan;
	cal: Calendar;
	prices: PriceIndex;
	stock: StockSim;
	tables: ErpTables;
	rng: Rng;
}

export class Sales {
	lines = 0;
	invoices = 0;
	creditNotes = 0;
	private readonly ctx: SalesContext;
	private readonly rng: Rng;
	private readonly items: readonly Item[];
	private readonly byIndustry: AliasTable[];
	private readonly spikeItems: AliasTable;
	private readonly ring: RecentInvoice[] = Array.from(
		{ length: RING },
		emptyInvoice,
	);
	private ringNext = 0;
	private ringFilled = 0;
	private invoiceSeq: number;
	private creditSeq: number;
	/** The invoice being built (a ring slot, reused). */
	private cur: RecentInvoice = emptyInvoice();
	/** Scratch lines for the credit note being built. */
	private readonly credit: RecentInvoice = emptyInvoice();

	constructor(ctx: SalesContext) {
		this.ctx = ctx;
		this.rng = ctx.rng;
		this.items = ctx.catalog.items;
		this.byIndustry = INDUSTRIES.map(
			(_, ind) =>
				new AliasTable(
					this.items.map(
						(it) => it.popularity * (AFFINITY[ind]?.[it.category] ?? 0),
					),
				),
		);
		const spikeCat = ctx.plan.spike.category;
		this.spikeItems = new AliasTable(
			this.items.map((it) => (it.category === spikeCat ? it.popularity : 0)),
		);
		this.invoiceSeq = 1000 + this.rng.int(0, 999);
		this.creditSeq = 100 + this.rng.int(0, 99);
	}

	/**
	 * Writes one invoice for `c` on `day` with about `c.meanLines × sizeBoost` lines. Returns its
	 * number and net total, or undefined when nothing could ship (every pick out of stock).
	 */
	invoice(
		day: number,
		c: Customer,
		sizeBoost = 1,
	): { invoiceNo: string; total: number } | undefined {
		const inv = this.ring[this.ringNext] as RecentInvoice;
		this.cur = inv;
		inv.n = 0;
		const want = Math.min(
			MAX_LINES,
			1 + Math.floor(this.rng.exp((c.meanLines - 1) * sizeBoost)),
		);
		const spiking =
			day >= this.ctx.plan.spike.from && day <= this.ctx.plan.spike.to;
		for (let k = 0; k < want; k++) this.addLine(day, c, spiking);
		if (inv.n === 0) return undefined;
		inv.cust = c;
		inv.branchCode = this.branchCode(c);
		this.ringNext = (this.ringNext + 1) % RING;
		this.ringFilled = Math.min(RING, this.ringFilled + 1);
		const invoiceNo = `INV-${digits7(++this.invoiceSeq)}`;
		this.invoices++;
		return { invoiceNo, total: this.write(invoiceNo, "INV", day, inv, 1) };
	}

	private addLine(day: number, c: Customer, spiking: boolean): void {
		const inv = this.cur;
		const i = this.pickItem(c.industry, day, spiking);
		if (i < 0) return;
		const it = this.items[i] as Item;
		const spike = this.ctx.plan.spike;
		let qty = it.baseQty * c.sizeFactor * this.rng.logNormal(1, 0.55);
		if (spiking && it.category === spike.category) qty *= spike.qtyFactor;
		qty = it.fractional
			? Math.max(0.5, Math.round(qty * 2) / 2)
			: Math.max(1, Math.round(qty));
		const free = this.rng.chance(FREE_SAMPLE_RATE);
		if (free) qty = it.fractional ? 0.5 : 1;
		qty = this.ctx.stock.take(i, qty, day);
		const region = BRANCHES[c.branch]?.region ?? 0;
		const m = this.ctx.plan.marginDrop;
		const dropped = region === m.region && day >= m.from && day <= m.to;
		const r = REGIONS[region] ?? { costFactor: 1, discountAdj: 0 };
		const y =
			(this.ctx.cal.year[day - this.ctx.cal.start] ?? 0) -
			this.ctx.prices.firstYear;
		let disc =
			c.discount +
			r.discountAdj +
			this.rng.range(-0.01, 0.03) +
			(dropped ? m.extraDiscount : 0);
		disc = free ? 1 : Math.min(0.4, Math.max(0, disc));
		const n = inv.n++;
		inv.item[n] = i;
		inv.qty[n] = qty;
		inv.disc[n] = disc;
		inv.price[n] = round2(
			it.baseList * (this.ctx.prices.price[y] ?? 1) * (1 - disc),
		);
		const costNoise = this.rng.range(0.98, 1.02) * (dropped ? m.costFactor : 1);
		inv.unitCost[n] =
			it.baseCost * (this.ctx.prices.cost[y] ?? 1) * r.costFactor * costNoise;
	}

	/** A sellable item for this industry: launched, not discontinued, in stock, not already on the invoice. */
	private pickItem(industry: number, day: number, spiking: boolean): number {
		const inv = this.cur;
		const table = this.byIndustry[industry] as AliasTable;
		for (let tries = 0; tries < 8; tries++) {
			const i =
				spiking && this.rng.chance(this.ctx.plan.spike.categoryShare)
					? this.spikeItems.sample(this.rng)
					: table.sample(this.rng);
			const it = this.items[i] as Item;
			if (
				it.launchDay > day ||
				day >= it.discontinueDay ||
				(this.ctx.stock.onHand[i] ?? 0) <= 0
			)
				continue;
			let dup = false;
			for (let k = 0; k < inv.n; k++) if (inv.item[k] === i) dup = true;
			if (!dup) return i;
		}
		return -1;
	}

	/**
	 * A credit note against a recent invoice: some of its lines come back with negative
	 * quantities at the original prices. Returns the lines written (0 if there was nothing to credit).
	 */
	creditNote(
		day: number,
		silent: (c: Customer, day: number) => boolean,
	): number {
		if (this.ringFilled < 16) return 0;
		const src = this.ring[
			(this.ringNext - 1 - this.rng.int(0, this.ringFilled - 2) + RING) % RING
		] as RecentInvoice;
		const c = src.cust;
		if (!c || src.n === 0 || silent(c, day) || day >= c.stopDay) return 0;
		const out = this.credit;
		const k = this.rng.int(1, Math.min(3, src.n));
		const first = this.rng.int(0, src.n - k);
		for (let j = 0; j < k; j++) {
			const from = first + j;
			const q = src.qty[from] ?? 1;
			const part = q * this.rng.range(0.2, 1);
			const back = (this.items[src.item[from] ?? 0] as Item).fractional
				? Math.max(0.5, Math.round(part * 2) / 2)
				: Math.max(1, Math.round(part));
			out.item[j] = src.item[from] ?? 0;
			out.qty[j] = -Math.min(q, back);
			out.price[j] = src.price[from] ?? 0;
			out.unitCost[j] = src.unitCost[from] ?? 0;
			out.disc[j] = src.disc[from] ?? 0;
		}
		out.n = k;
		const creditNo = `CRN-${digits7(++this.creditSeq)}`;
		this.creditNotes++;
		this.write(creditNo, "CRN", day, out, -1, c, src.branchCode);
		return k;
	}

	/** Writes the header and lines; returns the net total. */
	private write(
		no: string,
		docType: string,
		day: number,
		inv: RecentInvoice,
		sign: number,
		cust?: Customer,
		branchCode?: string,
	): number {
		const c = (cust ?? inv.cust) as Customer;
		const t = this.ctx.tables;
		let total = 0;
		for (let k = 0; k < inv.n; k++) {
			const qty = inv.qty[k] ?? 0;
			const ext = round2(qty * (inv.price[k] ?? 0));
			total += ext;
			const it = this.items[inv.item[k] ?? 0] as Item;
			t.lines.add([
				no,
				k + 1,
				it.itemNo,
				qty,
				inv.price[k] ?? 0,
				ext,
				round2(qty * (inv.unitCost[k] ?? 0)),
				round2((inv.disc[k] ?? 0) * 100),
			]);
		}
		this.lines += inv.n;
		const rep = repAt(
			this.ctx.catalog.slots[c.slot] ?? { branch: 0, reps: [] },
			day,
		);
		const repName =
			rep.variants[this.rng.pickCumulative(rep.variantCum)] ?? rep.name;
		t.headers.add([
			no,
			this.ctx.cal.iso(day),
			c.custNo,
			repName,
			branchCode ?? inv.branchCode,
			docType,
			"USD",
			this.postedAt(day),
		]);
		return sign > 0 ? round2(total) : -round2(-total);
	}

	private branchCode(c: Customer): string {
		const code = BRANCHES[c.branch]?.code ?? "BR01";
		return SLOPPY_BRANCHES.has(c.branch) && this.rng.chance(0.04)
			? `${code.toLowerCase()} `
			: code;
	}

	/** Posting timestamp: office hours on the invoice day, a few posted 1–4 days late (never after the end). */
	private postedAt(day: number): string {
		let posted = day;
		if (this.rng.chance(LATE_POSTING_RATE))
			posted = Math.min(this.ctx.cal.end, day + this.rng.int(1, 4));
		const secs = 7 * 3600 + this.rng.int(0, 11 * 3600 + 3599);
		return `${this.ctx.cal.iso(posted)} ${digits2(Math.floor(secs / 3600))}:${digits2(Math.floor(secs / 60) % 60)}:${digits2(secs % 60)}`;
	}
}
