import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	RFM_SEGMENTS,
	type RfmSegment,
	rfmSegment,
	type Score,
} from "../../../src/analytics/compute/rfm-map.ts";
import { runCompute } from "../../../src/analytics/compute/run.ts";
import type { Pool } from "../../../src/db/pool.ts";
import { loadSqlCatalog } from "../../../src/db/sql-catalog.ts";
import { sqlDir } from "../../../src/paths.ts";
import { memoryLogger } from "../../helpers/log.ts";
import {
	freshWarehouse,
	insertLines,
	type LineSpec,
	money,
} from "./helpers.ts";

/** One (R, F, M) cell per segment, chosen so no score is used more than 5 times per dimension. */
const TARGETS: [RfmSegment, Score, Score, Score][] = [
	["Champions", 5, 5, 5],
	["Loyal", 4, 4, 4],
	["Potential Loyalist", 4, 2, 3],
	["New Customers", 5, 2, 1],
	["Promising", 4, 1, 2],
	["Need Attention", 3, 3, 3],
	["About To Sleep", 3, 2, 2],
	["At Risk", 2, 3, 3],
	["Can't Lose Them", 1, 5, 5],
	["Hibernating", 2, 2, 1],
	["Lost", 1, 1, 1],
];

interface Planned {
	id: string;
	scores: [Score, Score, Score];
}

/**
 * 25 customers whose recency, frequency and monetary values are all distinct, so with
 * n = 25 the score of the customer at rank p (1 = worst) is 1 + floor((p - 1) / 5): exactly five
 * customers per score and dimension. The 11 targets take the cells above; 14 fillers take the
 * scores still missing in each dimension.
 */
function plan(): Planned[] {
	const customers: Planned[] = TARGETS.map(([, r, f, m], i) => ({
		id: `T${String(i + 1).padStart(2, "0")}`,
		scores: [r, f, m],
	}));
	const missing = [0, 1, 2].map((d) => {
		const left: Score[] = [];
		for (const s of [1, 2, 3, 4, 5] as Score[]) {
			const used = customers.filter((c) => c.scores[d] === s).length;
			for (let k = used; k < 5; k++) left.push(s);
		}
		return left;
	});
	for (let i = 0; i < 14; i++)
		customers.push({
			id: `F${String(i + 1).padStart(2, "0")}`,
			scores: [0, 1, 2].map((d) => missing[d]?.[i]) as [Score, Score, Score],
		});
	return customers;
}

/** Position 1..25 of each customer in one dimension, worst first (by score, then id). */
function positions(customers: Planned[], d: number): Map<string, number> {
	const sorted = [...customers].sort(
		(a, b) =>
			(a.scores[d] ?? 0) - (b.scores[d] ?? 0) || a.id.localeCompare(b.id),
	);
	return new Map(sorted.map((c, i) => [c.id, i + 1]));
}

const day = (offset: number) =>
	new Date(Date.UTC(2024, 0, 1 + offset)).toISOString().slice(0, 10);

function lines(customers: Planned[]): LineSpec[] {
	const rPos = positions(customers, 0);
	const fPos = positions(customers, 1);
	const mPos = positions(customers, 2);
	const out: LineSpec[] = [];
	for (const c of customers) {
		const last = rPos.get(c.id) ?? 0; // later last order = more recent = better
		const orders = fPos.get(c.id) ?? 0; // 1..25 orders
		const cents = (mPos.get(c.id) ?? 0) * 100_000; // 1,000.00 .. 25,000.00
		const each = Math.floor(cents / orders);
		for (let k = 0; k < orders; k++) {
			const amount =
				(k === orders - 1 ? cents - each * (orders - 1) : each) / 100;
			// The biggest spender sells at cost: A by revenue, C by profit.
			const cogs = c.id === "T01" ? amount : Math.round(amount * 60) / 100;
			out.push({
				order: `${c.id}-${k}`,
				customer: c.id,
				date: day(last - (orders - 1 - k) * 30),
				net: amount,
				cogs,
			});
		}
	}
	return out;
}

describe("RFM scores, segments and ABC classes on a crafted warehouse", () => {
	const { log } = memoryLogger();
	const sql = loadSqlCatalog(sqlDir);
	const customers = plan();
	let pool: Pool;
	let drop: () => Promise<void>;

	beforeAll(async () => {
		({ pool, drop } = await freshWarehouse("compute_segments", log));
		await insertLines(pool, lines(customers));
		await runCompute(pool, sql, { trigger: "test", wait: false, log });
	});
	afterAll(async () => drop?.());

	it("gives each crafted customer the R, F and M scores it was built for", async () => {
		const { rows } = await pool.query<{ customer: string; rfm_score: string }>(
			"select customer, rfm_score from customer_master order by customer",
		);
		expect(rows).toHaveLength(25);
		const want = new Map(customers.map((c) => [c.id, c.scores.join("")]));
		for (const r of rows) expect(r.rfm_score).toBe(want.get(r.customer));
	});

	it("reaches every one of the 11 segments, each target in the segment its cell names", async () => {
		for (const [segment, r, f, m] of TARGETS)
			expect(rfmSegment(r, f, m)).toBe(segment);
		const { rows } = await pool.query<{
			customer: string;
			rfm_segment: string;
		}>(
			"select customer, rfm_segment from customer_master where customer like 'T%' order by customer",
		);
		expect(rows.map((r) => r.rfm_segment)).toEqual(TARGETS.map((t) => t[0]));
		const perf = await pool.query<{
			segment_name: string;
			customer_count: number;
		}>(
			"select segment_name, customer_count from segment_performance where segment_type = 'RFM_Segment'",
		);
		expect(perf.rows.map((r) => r.segment_name).sort()).toEqual(
			[...RFM_SEGMENTS].sort(),
		);
		for (const r of perf.rows) expect(r.customer_count).toBeGreaterThan(0);
	});

	it("classes revenue A up to and including the customer that crosses 80 %, B up to the one crossing 95 %", async () => {
		const { rows } = await pool.query<{
			customer: string;
			monetary: string;
			abc_revenue: string;
		}>(
			"select customer, monetary, abc_revenue from customer_master order by monetary desc",
		);
		const total = rows.reduce((s, r) => s + Number(r.monetary), 0);
		let before = 0;
		for (const r of rows) {
			const expected =
				before / total < 0.8 ? "A" : before / total < 0.95 ? "B" : "C";
			expect(r.abc_revenue, r.customer).toBe(expected);
			before += Number(r.monetary);
		}
		// 25,000 + 24,000 + … : the top 14 hold 259,000 of 325,000 (79.7 %), so the 15th (11,000)
		// crosses 80 % and is still A; the 20th has 304,000 ahead of it and crosses 95 %: still B.
		const classes = rows.map((r) => r.abc_revenue).join("");
		expect(classes).toBe(`${"A".repeat(15)}${"B".repeat(5)}${"C".repeat(5)}`);
		const perf = await pool.query<{
			segment_name: string;
			revenue_percentage: string;
		}>(
			"select segment_name, revenue_percentage from segment_performance where segment_type = 'ABC_Revenue' order by 1",
		);
		expect(perf.rows.map((r) => Number(r.revenue_percentage))).toEqual([
			83.0769, 12.3077, 4.6154,
		]);
	});

	it("classes profit on margin, and takes the worse class as the combined one", async () => {
		const { rows } = await pool.query(
			"select abc_revenue, abc_profit, abc_combined, profitability, margin_percent from customer_master where customer = 'T01'",
		);
		expect(rows[0]).toEqual({
			abc_revenue: "A",
			abc_profit: "C",
			abc_combined: "C",
			profitability: "0.00",
			margin_percent: "0.00",
		});
		const other = await pool.query<{ n: number }>(
			"select count(*)::int as n from customer_master where abc_combined <> greatest(abc_revenue, abc_profit)",
		);
		expect(other.rows[0]?.n).toBe(0);
	});

	it("makes the RFM segment rows add up to every customer and all customer revenue", async () => {
		const { rows } = await pool.query<{
			n: number;
			revenue: string;
			pct: string;
		}>(
			`select sum(customer_count)::int as n, sum(monetary_sum) as revenue, sum(revenue_percentage) as pct
			 from segment_performance where segment_type = 'RFM_Segment'`,
		);
		expect(rows[0]?.n).toBe(25);
		expect(money(rows[0]?.revenue)).toBe(325_000);
		expect(Number(rows[0]?.pct)).toBeCloseTo(100, 2);
	});
});
