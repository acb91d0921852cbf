/**
 * The streaming writer: master data first, then 12 years of history day by day — purchase
 * orders landing, quotes closing and opening, invoices and credit notes until the day's
 * order-line target is met, stock snapshots every Sunday. Rows go straight to batched prepared
 * inserts in transactions of ~25k lines; nothing per invoice is kept beyond a small ring.
 */
import { mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { threadId } from "node:worker_threads";
import { buildCatalog, type Catalog } from "./catalog.ts";
import { Calendar, isoOfDay } from "./dates.ts";
import {
	describeEvents,
	type EventPlan,
	itemDemandShares,
	type PlantedEvent,
	planEvents,
} from "./events.ts";
import { lineTargets, type PriceIndex, priceIndex } from "./market.ts";
import { writeMasterData } from "./master.ts";
import type { Item } from "./model.ts";
import {
	type DemoOptions,
	type ResolvedOptions,
	resolveOptions,
} from "./options.ts";
import { QuoteBook } from "./quotes.ts";
import { Rng } from "./rng.ts";
import { Sales } from "./sales.ts";
import { CustomerSampler } from "./sampler.ts";
import {
	checkpoint,
	createErpFile,
	type ErpTables,
	finishErpFile,
} from "./sqlite.ts";
import { StockSim } from "./stock.ts";

export interface DemoSummary {
	file: string;
	seed: number;
	/** Order lines written (invoice and credit-note lines). */
	lines: number;
	/** Invoices plus credit notes. */
	invoices: number;
	creditNotes: number;
	customers: number;
	items: number;
	quotes: number;
	stockSnapshots: number;
	startDate: string;
	endDate: string;
	events: PlantedEvent[];
}

const CREDIT_NOTE_RATE = 0.012;
const LINES_PER_TRANSACTION = 25_000;
/** Mean of the log-normal quantity noise in sales.ts (exp(σ²/2), σ = 0.55). */
const QTY_NOISE_MEAN = Math.exp(0.55 ** 2 / 2);

interface Sim {
	cal: Calendar;
	targets: Float64Array;
	stock: StockSim;
	sampler: CustomerSampler;
	sales: Sales;
	quotes: QuoteBook;
	rng: Rng;
}

/**
 * Writes the demo ERP to `opts.file` in this thread (atomically: a temp file next to it, renamed
 * at the end). `generateDemoErp` runs this in a worker thread with a capped young generation.
 */
export async function writeDemoErp(opts: DemoOptions): Promise<DemoSummary> {
	const o = resolveOptions(opts);
	const file = path.resolve(o.file);
	mkdirSync(path.dirname(file), { recursive: true });
	const tmp = `${file}.tmp-${process.pid}-${threadId}`;
	rmSync(tmp, { force: true });
	const catalog = buildCatalog(o.seed, o.lines, o.endDay);
	const plan = planEvents(catalog);
	const cal = new Calendar(catalog.startDay, catalog.endDay);
	const years = [cal.year[0] ?? 0, cal.year[cal.days - 1] ?? 0] as const;
	const prices = priceIndex(o.seed, years[0], years[1]);
	let tables: ErpTables | undefined;
	try {
		tables = createErpFile(tmp);
		writeMasterData(tables, catalog, plan, prices);
		const sim = createSim(o, catalog, plan, cal, prices, tables);
		const stockSnapshots = await streamHistory(sim, tables, o.onProgress);
		finishErpFile(tables);
		tables = undefined;
		renameSync(tmp, file);
		const { sales, quotes } = sim;
		return {
			file,
			seed: o.seed,
			lines: sales.lines,
			invoices: sales.invoices + sales.creditNotes,
			creditNotes: sales.creditNotes,
			customers: catalog.customers.length,
			items: catalog.items.length,
			quotes: quotes.count,
			stockSnapshots,
			startDate: isoOfDay(catalog.startDay),
			endDate: o.endDate,
			events: describeEvents(catalog, plan),
		};
	} catch (err) {
		if (tables?.db.isOpen) tables.db.close();
		rmSync(tmp, { force: true });
		throw err;
	}
}

function createSim(
	o: ResolvedOptions,
	catalog: Catalog,
	plan: EventPlan,
	cal: Calendar,
	prices: PriceIndex,
	tables: ErpTables,
): Sim {
	const targets = lineTargets(o.seed, cal, o.lines, plan);
	const shares = itemDemandShares(catalog);
	const avgSize = weightedSize(catalog);
	const linesPerDay =
		(targets[Math.min(364, cal.days - 1)] ?? 0) / Math.min(365, cal.days);
	const qtyPerLine = (it: Item) => it.baseQty * avgSize * QTY_NOISE_MEAN;
	const expected = Float64Array.from(
		catalog.items,
		(it) => linesPerDay * (shares[it.idx] ?? 0) * qtyPerLine(it),
	);
	let lineValue = 0;
	for (const it of catalog.items)
		lineValue +=
			(shares[it.idx] ?? 0) * it.baseList * it.baseQty * QTY_NOISE_MEAN * 0.93;
	const rng = new Rng(o.seed, "sales");
	const lineQty = Float64Array.from(catalog.items, qtyPerLine);
	const stock = new StockSim(
		catalog,
		plan,
		new Rng(o.seed, "stock"),
		expected,
		lineQty,
	);
	const sampler = new CustomerSampler(catalog.customers, plan.silent, rng);
	const sales = new Sales({ catalog, plan, cal, prices, stock, tables, rng });
	const yearIndex = (day: number) =>
		prices.price[(cal.year[day - cal.start] ?? 0) - prices.firstYear] ?? 1;
	const quotes = new QuoteBook({
		cal,
		customers: catalog.customers,
		slots: catalog.slots,
		sampler,
		sales,
		out: tables.quotes,
		rng: new Rng(o.seed, "quotes"),
		lineValue,
		priceIndex: yearIndex,
	});
	return { cal, targets, stock, sampler, sales, quotes, rng };
}

/** Average quantity multiplier of an order line (big accounts order more lines and more cases). */
function weightedSize(catalog: Catalog): number {
	let w = 0;
	let s = 0;
	for (const c of catalog.customers) {
		w += c.weight * c.meanLines;
		s += c.weight * c.meanLines * c.sizeFactor;
	}
	return w > 0 ? s / w : 1;
}

/** The day loop. Returns the number of stock snapshot rows written. */
async function streamHistory(
	sim: Sim,
	tables: ErpTables,
	onProgress: ((lines: number) => void) | undefined,
): Promise<number> {
	const { cal, targets, stock, sampler, sales, quotes, rng } = sim;
	const isSilent = (
		c: Parameters<CustomerSampler["isSilent"]>[0],
		day: number,
	) => sampler.isSilent(c, day);
	let snapshots = 0;
	let committed = 0;
	for (let day = cal.start; day <= cal.end; day++) {
		const i = day - cal.start;
		const target = targets[i] ?? 0;
		stock.beginDay(day);
		sampler.beginDay(day, cal.monthDay[i] ?? 1);
		quotes.close(day);
		quotes.open(day, target - (targets[i - 1] ?? 0));
		for (let fails = 0; sales.lines < target && fails < 500; ) {
			if (rng.chance(CREDIT_NOTE_RATE) && sales.creditNote(day, isSilent) > 0)
				continue;
			const c = sampler.pick(day);
			if (c && sales.invoice(day, c)) fails = 0;
			else fails++;
		}
		if (cal.weekday[i] === 0) {
			const iso = cal.iso(day);
			snapshots += stock.weekly(day, (it, wh, onHand, onOrder) =>
				tables.snapshots.add([iso, it.itemNo, wh, onHand, onOrder]),
			);
		}
		if (sales.lines - committed >= LINES_PER_TRANSACTION) {
			committed = sales.lines;
			checkpoint(tables);
			onProgress?.(sales.lines);
			await new Promise<void>((resolve) => setImmediate(resolve));
		}
	}
	quotes.flushOpen();
	onProgress?.(sales.lines);
	return snapshots;
}
