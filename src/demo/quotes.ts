/**
 * CRM_QUOTE: quotes are numbered when they are made and written when they close. A won quote
 * becomes an invoice for that customer on its close date (the quote row carries the InvoiceNo);
 * quotes still undecided at the end are written as OPEN. Only quotes in flight (at most ~3
 * months' worth) are held in memory.
 */
import { repAt } from "./catalog.ts";
import type { Calendar } from "./dates.ts";
import { type Customer, digits7, round2, type Slot } from "./model.ts";
import { cumulative, type Rng } from "./rng.ts";
import type { Sales } from "./sales.ts";
import type { CustomerSampler } from "./sampler.ts";
import type { BatchInserter } from "./sqlite.ts";

/** Lead sources, how often each brings a quote, and how often such a quote is won. */
const SOURCES = [
	"Web",
	"Referral",
	"Trade Show",
	"Cold Call",
	"Partner",
	"Existing Account",
	"Email Campaign",
] as const;
const SOURCE_SHARE = cumulative([0.22, 0.14, 0.1, 0.12, 0.09, 0.25, 0.08]);
const WIN_RATE = [0.34, 0.55, 0.36, 0.2, 0.45, 0.52, 0.28];
/** Quotes per order line the market produces. */
const QUOTES_PER_LINE = 0.045;

export interface QuoteDeps {
	cal: Calendar;
	customers: readonly Customer[];
	slots: readonly Slot[];
	sampler: CustomerSampler;
	sales: Sales;
	out: BatchInserter;
	rng: Rng;
	/** Typical invoice value per (line × size factor) at first-year prices, to size quotes. */
	lineValue: number;
	priceIndex: (day: number) => number;
}

/** Longest time a quote stays open before it closes. */
const MAX_OPEN_DAYS = 75;

/**
 * Quotes in flight, as parallel arrays with a free list and one linked list per closing day:
 * no objects per quote, so a long run leaves nothing for the garbage collector.
 */
class PendingQuotes {
	seq = new Int32Array(1024);
	day = new Int32Array(1024);
	cust = new Int32Array(1024);
	amount = new Float64Array(1024);
	source = new Int8Array(1024);
	won = new Uint8Array(1024);
	next = new Int32Array(1024).fill(-1);
	repName: string[] = new Array<string>(1024).fill("");
	private free = 0;
	private readonly heads: Int32Array;
	private readonly tails: Int32Array;
	private readonly start: number;

	constructor(start: number, days: number) {
		this.start = start;
		this.heads = new Int32Array(days + MAX_OPEN_DAYS + 1).fill(-1);
		this.tails = new Int32Array(days + MAX_OPEN_DAYS + 1).fill(-1);
		for (let i = 0; i < 1023; i++) this.next[i] = i + 1;
	}

	/** A free slot, linked at the end of `closeDay`'s list. */
	add(closeDay: number): number {
		if (this.free < 0 || this.free >= this.seq.length) this.grow();
		const k = this.free;
		this.free = this.next[k] ?? -1;
		this.next[k] = -1;
		const d = closeDay - this.start;
		const tail = this.tails[d] ?? -1;
		if (tail < 0) this.heads[d] = k;
		else this.next[tail] = k;
		this.tails[d] = k;
		return k;
	}

	/** Detaches `closeDay`'s list; walk it with `next`, then `release` each slot. */
	take(closeDay: number): number {
		const d = closeDay - this.start;
		const head = this.heads[d] ?? -1;
		this.heads[d] = -1;
		this.tails[d] = -1;
		return head;
	}

	release(k: number): void {
		this.next[k] = this.free;
		this.free = k;
	}

	private grow(): void {
		const n = this.seq.length;
		const widen = <
			T extends Int32Array | Float64Array | Int8Array | Uint8Array,
		>(
			a: T,
			make: (n: number) => T,
		): T => {
			const b = make(n * 2);
			b.set(a);
			return b;
		};
		this.seq = widen(this.seq, (m) => new Int32Array(m));
		this.day = widen(this.day, (m) => new Int32Array(m));
		this.cust = widen(this.cust, (m) => new Int32Array(m));
		this.amount = widen(this.amount, (m) => new Float64Array(m));
		this.source = widen(this.source, (m) => new Int8Array(m));
		this.won = widen(this.won, (m) => new Uint8Array(m));
		this.next = widen(this.next, (m) => new Int32Array(m));
		this.repName.length = n * 2;
		this.repName.fill("", n);
		for (let i = n; i < n * 2; i++) this.next[i] = i + 1 < n * 2 ? i + 1 : -1;
		this.free = n;
	}
}

export class QuoteBook {
	count = 0;
	private readonly deps: QuoteDeps;
	private readonly pending: PendingQuotes;
	private seq: number;
	private due = 0;

	constructor(deps: QuoteDeps) {
		this.deps = deps;
		this.pending = new PendingQuotes(deps.cal.start, deps.cal.days);
		this.seq = 5000 + deps.rng.int(0, 999);
	}

	/** New quotes for `day`, in proportion to the day's expected order lines. */
	open(day: number, expectedLines: number): void {
		const { rng, sampler } = this.deps;
		const p = this.pending;
		this.due += expectedLines * QUOTES_PER_LINE;
		for (; this.due >= 1; this.due--) {
			const c = sampler.pick(day);
			if (!c) continue;
			const s = rng.pickCumulative(SOURCE_SHARE);
			const won = rng.chance(WIN_RATE[s] ?? 0.3);
			const k = p.add(day + (won ? rng.int(3, 40) : rng.int(7, MAX_OPEN_DAYS)));
			const value =
				c.meanLines *
				c.sizeFactor *
				this.deps.lineValue *
				this.deps.priceIndex(day);
			p.seq[k] = ++this.seq;
			p.day[k] = day;
			p.cust[k] = c.idx;
			p.repName[k] = this.repName(c, day);
			p.amount[k] = round2(value * rng.logNormal(1.1, 0.6));
			p.source[k] = s;
			p.won[k] = won ? 1 : 0;
		}
	}

	/** Quotes deciding on `day`: won ones turn into invoices (counted in the day's lines). */
	close(day: number): void {
		const p = this.pending;
		const iso = this.deps.cal.iso(day);
		for (let k = p.take(day); k >= 0; ) {
			const next = p.next[k] ?? -1;
			const c = this.deps.customers[p.cust[k] ?? 0] as Customer;
			if (p.won[k] !== 1 || !this.deps.sampler.active(c, day))
				this.write(k, "LOST", iso, null, p.amount[k] ?? 0);
			else {
				const inv = this.deps.sales.invoice(day, c, 1.5);
				const amount = inv
					? round2(inv.total * this.deps.rng.range(1, 1.06))
					: (p.amount[k] ?? 0);
				this.write(k, "WON", iso, inv?.invoiceNo ?? null, amount);
			}
			p.release(k);
			k = next;
		}
	}

	/** At the end: quotes closing after the last day are OPEN, in closing-date then quote order. */
	flushOpen(): void {
		const { cal } = this.deps;
		for (let day = cal.end + 1; day <= cal.end + MAX_OPEN_DAYS; day++) {
			for (
				let k = this.pending.take(day);
				k >= 0;
				k = this.pending.next[k] ?? -1
			)
				this.write(k, "OPEN", null, null, this.pending.amount[k] ?? 0);
		}
	}

	private write(
		k: number,
		status: string,
		closeDate: string | null,
		invoiceNo: string | null,
		amount: number,
	): void {
		const p = this.pending;
		const cust = this.deps.customers[p.cust[k] ?? 0] as Customer;
		const quoteNo = `QT-${digits7(p.seq[k] ?? 0)}`;
		const source = SOURCES[p.source[k] ?? 0] ?? "Web";
		this.deps.out.add([
			quoteNo,
			this.deps.cal.iso(p.day[k] ?? 0),
			cust.custNo,
			p.repName[k] ?? "",
			amount,
			status,
			closeDate,
			source,
			invoiceNo,
		]);
		this.count++;
	}

	private repName(c: Customer, day: number): string {
		const slot = this.deps.slots[c.slot];
		if (!slot) return "";
		const rep = repAt(slot, day);
		return (
			rep.variants[this.deps.rng.pickCumulative(rep.variantCum)] ?? rep.name
		);
	}
}
