import { createHash } from "node:crypto";
import {
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	type DemoSummary,
	generateDemoErp,
	type PlantedEvent,
	plantedEvents,
	TABLE_NAMES,
} from "../../src/demo/index.ts";
import { repNameKey } from "../../src/demo/names.ts";

const LINES = 20_000;
const END = "2026-10-31";

let dir: string;
let summary: DemoSummary;
let db: DatabaseSync;
const progress: number[] = [];

function sha256(file: string): string {
	return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function all<T>(sql: string, ...params: SQLInputValue[]): T[] {
	return db.prepare(sql).all(...params) as T[];
}

function one<T>(sql: string, ...params: SQLInputValue[]): T {
	return db.prepare(sql).get(...params) as T;
}

function event(type: PlantedEvent["type"]): PlantedEvent {
	const e = summary.events.find((x) => x.type === type);
	if (!e) throw new Error(`no ${type} event`);
	return e;
}

function addDays(iso: string, days: number): string {
	return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000)
		.toISOString()
		.slice(0, 10);
}

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-demo-"));
	summary = await generateDemoErp({
		file: path.join(dir, "a.sqlite"),
		lines: LINES,
		onProgress: (n) => progress.push(n),
	});
	db = new DatabaseSync(summary.file, { readOnly: true });
});

afterAll(() => {
	db?.close();
	rmSync(dir, { recursive: true, force: true });
});

describe("demo-data generator", () => {
	it("writes the same bytes for the same seed and options, other bytes for another seed", async () => {
		const again = await generateDemoErp({
			file: path.join(dir, "a2.sqlite"),
			lines: LINES,
		});
		const other = await generateDemoErp({
			file: path.join(dir, "b.sqlite"),
			lines: LINES,
			seed: 7,
		});
		expect(sha256(again.file)).toBe(sha256(summary.file));
		expect(sha256(other.file)).not.toBe(sha256(summary.file));
		expect(readdirSync(dir).sort()).toEqual([
			"a.sqlite",
			"a2.sqlite",
			"b.sqlite",
		]);
	});

	it("opens read-only and has the ERP's tables", () => {
		const tables = all<{ name: string }>(
			"select name from sqlite_master where type = 'table' order by name",
		).map((r) => r.name);
		expect(tables).toEqual([...TABLE_NAMES].sort());
		expect(() => db.exec("delete from SYS_BRANCH")).toThrow(/readonly/i);
		expect(one<{ n: number }>("select count(*) n from SYS_BRANCH").n).toBe(10);
		expect(
			one<{ n: number }>("select count(distinct Region) n from SYS_BRANCH").n,
		).toBe(5);
	});

	it("writes the requested number of order lines (±2%) and reports what it wrote", () => {
		const count = (table: string) =>
			one<{ n: number }>(`select count(*) n from ${table}`).n;
		expect(Math.abs(summary.lines - LINES) / LINES).toBeLessThan(0.02);
		expect(count("SLS_INVOICE_LIN")).toBe(summary.lines);
		expect(count("SLS_INVOICE_HDR")).toBe(summary.invoices);
		expect(count("AR_CUSTOMER")).toBe(summary.customers);
		expect(count("IC_ITEM")).toBe(summary.items);
		expect(count("CRM_QUOTE")).toBe(summary.quotes);
		expect(count("IC_STOCK_SNAPSHOT")).toBe(summary.stockSnapshots);
		expect(progress.at(-1)).toBe(summary.lines);
		expect(summary.events).toEqual(plantedEvents(42, END, LINES));
		const orphans = one<{ n: number }>(
			"select count(*) n from SLS_INVOICE_HDR h where not exists (select 1 from SLS_INVOICE_LIN l where l.InvoiceNo = h.InvoiceNo)",
		);
		expect(orphans.n).toBe(0);
		const badExt = one<{ n: number }>(
			"select count(*) n from SLS_INVOICE_LIN where abs(ExtPrice - round(QtyCases * UnitPrice, 2)) > 0.011",
		);
		expect(badExt.n).toBe(0);
	});

	it("spans 12 years of history ending at endDate, with growth, seasonality and quiet weekends", () => {
		const span = one<{ first: string; last: string; posted: string }>(
			"select min(InvoiceDate) first, max(InvoiceDate) last, max(PostedAt) posted from SLS_INVOICE_HDR",
		);
		expect(summary.startDate).toBe("2014-11-01");
		expect(span.first >= "2014-11-01" && span.first <= "2014-11-07").toBe(true);
		expect(span.last >= addDays(END, -3) && span.last <= END).toBe(true);
		expect(span.posted <= `${END} 23:59:59`).toBe(true);
		const revenue = (year: string) =>
			one<{ r: number }>(
				"select sum(ExtPrice) r from SLS_INVOICE_LIN l join SLS_INVOICE_HDR h using (InvoiceNo) where substr(InvoiceDate, 1, 4) = ?",
				year,
			).r;
		const cagr = (revenue("2025") / revenue("2016")) ** (1 / 9) - 1;
		expect(cagr).toBeGreaterThan(0.04);
		expect(cagr).toBeLessThan(0.1);
		const byQuarter = all<{ q: number; n: number }>(
			"select (cast(substr(InvoiceDate, 6, 2) as integer) + 2) / 3 q, count(*) n from SLS_INVOICE_HDR where InvoiceDate between '2015-01-01' and '2025-12-31' group by 1 order by 1",
		);
		expect(byQuarter[3]?.n).toBeGreaterThan(
			byQuarter[2]?.n ?? Number.POSITIVE_INFINITY,
		);
		const weekend = one<{ share: number }>(
			"select avg(strftime('%w', InvoiceDate) in ('0', '6')) share from SLS_INVOICE_HDR",
		);
		expect(weekend.share).toBeLessThan(0.06);
	});

	it("spells salespeople and a few branch codes in several ways", () => {
		const reps = new Set(
			all<{ RepName: string }>("select RepName from HR_SALESREP").map((r) =>
				repNameKey(r.RepName),
			),
		);
		const spellings = new Map<string, Set<string>>();
		for (const { name } of all<{ name: string }>(
			"select distinct SalesRepName name from SLS_INVOICE_HDR union select distinct SalesRepName from CRM_QUOTE",
		)) {
			const key = repNameKey(name);
			expect(reps.has(key)).toBe(true);
			spellings.set(key, (spellings.get(key) ?? new Set()).add(name));
		}
		const multi = [...spellings.values()].filter((s) => s.size >= 2);
		expect(multi.length).toBeGreaterThan(0);
		expect(
			[...spellings.values()].some((s) => [...s].some((n) => n.includes(","))),
		).toBe(true);
		expect(
			[...spellings.values()].some((s) => [...s].some((n) => n.endsWith(" "))),
		).toBe(true);
		const branchCodes = all<{ code: string }>(
			"select distinct BranchCode code from SLS_INVOICE_HDR",
		).map((r) => r.code);
		expect(branchCodes.some((c) => c !== c.trim().toUpperCase())).toBe(true);
	});

	it("keeps weekly stock snapshots that run out now and then on their own", () => {
		const out = event("stock_out");
		const natural = one<{ n: number }>(
			"select count(*) n from IC_STOCK_SNAPSHOT where OnHandQty = 0 and not (ItemNo = ? and SnapshotDate between ? and ?)",
			out.entityIds[0] ?? "",
			out.from,
			out.to,
		);
		expect(natural.n).toBeGreaterThan(0);
		const shape = one<{ days: number; negative: number }>(
			"select count(distinct strftime('%w', SnapshotDate)) days, sum(OnHandQty < 0 or OnOrderQty < 0) negative from IC_STOCK_SNAPSHOT",
		);
		expect(shape).toEqual({ days: 1, negative: 0 });
	});

	it("plants the margin drop in one region for the last full month", () => {
		const e = event("margin_drop");
		const stmt = db.prepare(
			`select c.Region Region,
			   1 - sum(case when InvoiceDate < $from then ExtCost end) / sum(case when InvoiceDate < $from then ExtPrice end) base,
			   1 - sum(case when InvoiceDate >= $from then ExtCost end) / sum(case when InvoiceDate >= $from then ExtPrice end) hit
			 from SLS_INVOICE_HDR h join SLS_INVOICE_LIN l using (InvoiceNo) join AR_CUSTOMER c using (CustNo)
			 where InvoiceDate between $baseFrom and $to group by 1`,
		);
		const margins = stmt.all({
			$from: e.from,
			$to: e.to,
			$baseFrom: addDays(e.from, -183),
		}) as { Region: string; base: number; hit: number }[];
		expect(margins).toHaveLength(5);
		for (const m of margins) {
			expect(m.base).toBeGreaterThan(0.24);
			expect(m.base).toBeLessThan(0.36);
			if (m.Region === e.entityIds[0]) {
				expect(m.hit).toBeLessThan(0.2);
				expect(m.base - m.hit).toBeGreaterThan(0.09);
			} else expect(m.base - m.hit).toBeLessThan(0.07);
		}
	});

	it("plants the stock-out: zero on hand for five Sundays, no sales, then restocked", () => {
		const e = event("stock_out");
		const item = e.entityIds[0] ?? "";
		const snaps = all<{
			SnapshotDate: string;
			OnHandQty: number;
			OnOrderQty: number;
		}>(
			"select SnapshotDate, OnHandQty, OnOrderQty from IC_STOCK_SNAPSHOT where ItemNo = ? and SnapshotDate between ? and ? order by 1",
			item,
			e.from,
			e.to,
		);
		expect(snaps).toHaveLength(5);
		for (const s of snaps) {
			expect(s.OnHandQty).toBe(0);
			expect(s.OnOrderQty).toBeGreaterThan(0);
		}
		const after = one<{ OnHandQty: number }>(
			"select OnHandQty from IC_STOCK_SNAPSHOT where ItemNo = ? and SnapshotDate = ?",
			item,
			addDays(e.to, 7),
		);
		expect(after.OnHandQty).toBeGreaterThan(0);
		const sold = (from: string, to: string) =>
			one<{ n: number }>(
				"select count(*) n from SLS_INVOICE_LIN l join SLS_INVOICE_HDR h using (InvoiceNo) where ItemNo = ? and DocType = 'INV' and InvoiceDate between ? and ?",
				item,
				from,
				to,
			).n;
		expect(sold(e.from, e.to)).toBe(0);
		expect(sold(addDays(e.from, -180), addDays(e.from, -15))).toBeGreaterThan(
			2,
		);
		const master = one<{
			LeadTimeDays: number;
			LeadTimeStdDays: number;
			ActiveFlag: string;
		}>(
			"select LeadTimeDays, LeadTimeStdDays, ActiveFlag from IC_ITEM where ItemNo = ?",
			item,
		);
		expect(master.ActiveFlag).toBe("Y");
		expect(master.LeadTimeDays).toBeGreaterThan(master.LeadTimeStdDays + 14);
	});

	it("plants the silent top-10 customer, still active in AR_CUSTOMER", () => {
		const e = event("silent_customer");
		const cust = e.entityIds[0] ?? "";
		const last = one<{ d: string }>(
			"select max(InvoiceDate) d from SLS_INVOICE_HDR where CustNo = ?",
			cust,
		).d;
		expect(last < e.from).toBe(true);
		const before = one<{ n: number }>(
			"select count(*) n from SLS_INVOICE_HDR where CustNo = ? and InvoiceDate >= ?",
			cust,
			addDays(e.from, -180),
		).n;
		expect(before).toBeGreaterThanOrEqual(3);
		expect(
			one("select Status, ChurnDate from AR_CUSTOMER where CustNo = ?", cust),
		).toEqual({ Status: "A", ChurnDate: null });
		const ranking = all<{ CustNo: string }>(
			"select CustNo from SLS_INVOICE_HDR h join SLS_INVOICE_LIN l using (InvoiceNo) where InvoiceDate >= ? and InvoiceDate < ? group by 1 order by sum(ExtPrice) desc limit 10",
			addDays(e.from, -365),
			e.from,
		).map((r) => r.CustNo);
		expect(ranking).toContain(cust);
		const quotes = one<{ n: number }>(
			"select count(*) n from CRM_QUOTE where CustNo = ? and (QuoteDate >= ? or (Status = 'WON' and CloseDate >= ?))",
			cust,
			e.from,
			e.from,
		);
		expect(quotes.n).toBe(0);
	});

	it("plants the one-week demand spike in one category", () => {
		const e = event("demand_spike");
		const weekly = all<{ wk: number; n: number }>(
			`select cast((julianday(InvoiceDate) - julianday(?)) / 7 + 100 as integer) - 100 wk, count(*) n
			 from SLS_INVOICE_LIN l join SLS_INVOICE_HDR h using (InvoiceNo) join IC_ITEM i using (ItemNo)
			 where Category = ? and DocType = 'INV' and InvoiceDate >= ? and InvoiceDate <= ? group by 1`,
			e.from,
			e.entityIds[0] ?? "",
			addDays(e.from, -56),
			e.to,
		);
		const spike = weekly.find((w) => w.wk === 0)?.n ?? 0;
		const usual =
			weekly
				.filter((w) => w.wk >= -8 && w.wk < 0)
				.reduce((sum, w) => sum + w.n, 0) / 8;
		expect(spike / usual).toBeGreaterThan(2);
	});

	it("has won, lost and open quotes; won ones point at that customer's invoice", () => {
		const status = Object.fromEntries(
			all<{ Status: string; n: number }>(
				"select Status, count(*) n from CRM_QUOTE group by 1",
			).map((r) => [r.Status, r.n]),
		);
		const winRate =
			(status.WON ?? 0) / ((status.WON ?? 0) + (status.LOST ?? 0));
		expect(winRate).toBeGreaterThan(0.35);
		expect(winRate).toBeLessThan(0.45);
		expect(status.OPEN).toBeGreaterThan(0);
		const linked = one<{ won: number; ok: number }>(
			`select count(*) won, sum(h.CustNo = q.CustNo and h.InvoiceDate = q.CloseDate) ok
			 from CRM_QUOTE q left join SLS_INVOICE_HDR h using (InvoiceNo) where q.Status = 'WON'`,
		);
		expect(linked.ok / linked.won).toBeGreaterThan(0.9);
		expect(
			one<{ n: number }>(
				"select count(*) n from CRM_QUOTE where (Status = 'OPEN') != (CloseDate is null)",
			).n,
		).toBe(0);
		const sources = all<{ s: string }>(
			"select distinct LeadSource s from CRM_QUOTE",
		).map((r) => r.s);
		expect(sources).toEqual(
			expect.arrayContaining([
				"Web",
				"Referral",
				"Trade Show",
				"Cold Call",
				"Partner",
			]),
		);
	});

	it("has credit notes against earlier invoices of the same customer, and free samples", () => {
		const crn = one<{ n: number; positive: number }>(
			"select count(*) n, sum(QtyCases >= 0 or ExtPrice > 0) positive from SLS_INVOICE_LIN l join SLS_INVOICE_HDR h using (InvoiceNo) where DocType = 'CRN'",
		);
		expect(crn.n).toBeGreaterThan(0);
		expect(crn.positive).toBe(0);
		const unmatched = one<{ n: number }>(
			`select count(*) n from SLS_INVOICE_LIN cl join SLS_INVOICE_HDR ch using (InvoiceNo)
			 where ch.DocType = 'CRN' and not exists (
			   select 1 from SLS_INVOICE_LIN il join SLS_INVOICE_HDR ih using (InvoiceNo)
			   where ih.DocType = 'INV' and ih.CustNo = ch.CustNo and il.ItemNo = cl.ItemNo
			     and il.UnitPrice = cl.UnitPrice and il.QtyCases >= -cl.QtyCases and ih.InvoiceDate <= ch.InvoiceDate)`,
		);
		expect(unmatched.n).toBe(0);
		expect(
			one<{ n: number }>(
				"select count(*) n from SLS_INVOICE_LIN where UnitPrice = 0 and QtyCases > 0",
			).n,
		).toBeGreaterThan(0);
	});

	it("rejects bad options before writing anything", async () => {
		const file = path.join(dir, "bad.sqlite");
		await expect(generateDemoErp({ file, lines: 500 })).rejects.toThrow(
			/"lines" must be an integer from 1,000 to 10,000,000, got 500/,
		);
		await expect(
			generateDemoErp({ file, endDate: "2026-13-01" }),
		).rejects.toThrow(/"endDate"/);
		expect(existsSync(file)).toBe(false);
	});
});
