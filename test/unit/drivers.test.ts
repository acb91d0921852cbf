import { describe, expect, it } from "vitest";
import {
	additiveBreakdown,
	concentration,
	rankDimensions,
	ratioBreakdown,
	typicalChange,
} from "../../src/analytics/drivers/index.ts";

/**
 * The driver engine on hand-worked examples; each expected figure is worked out in the comment
 * beside it, from the definitions in src/analytics/drivers/index.ts.
 */
describe("driver engine: additive metrics", () => {
	// Revenue by region. Totals: 170 → 140, change −30.
	// West 100 → 60 (−40), East 50 → 70 (+20), North 0 → 10 (new, +10), South 20 → 0 (gone, −20).
	const b = additiveBreakdown([
		{ member: "West", previous: 100, current: 60 },
		{ member: "East", previous: 50, current: 70 },
		{ member: "North", previous: 0, current: 10 },
		{ member: "South", previous: 20, current: 0 },
	]);

	it("gives each member its own change, ranked by size, new and gone members marked", () => {
		expect(b.total).toEqual({ previous: 170, current: 140, change: -30 });
		expect(b.members.map((m) => [m.member, m.status, m.contribution])).toEqual([
			["West", "both", -40],
			["East", "both", 20], // ties with South at 20: alphabetical
			["South", "gone", -20],
			["North", "new", 10],
		]);
		// Shares of −30: West −40/−30 = 1.333…, East 20/−30 = −0.667.
		expect(b.members[0]?.share).toBeCloseTo(4 / 3, 12);
		expect(b.members[1]?.share).toBeCloseTo(-2 / 3, 12);
	});

	it("sums the parts to the whole to the cent, with amounts in cents", () => {
		const money = additiveBreakdown([
			{ member: "a", previous: 1234.56, current: 1000.01 },
			{ member: "b", previous: 0.1, current: 0.3 },
			{ member: "c", previous: 99999.99, current: 100000.07 },
		]);
		const parts = money.members.reduce((s, m) => s + m.contribution, 0);
		expect(Math.abs(parts - money.total.change)).toBeLessThan(0.005);
		// 1000.01 + 0.3 + 100000.07 − (1234.56 + 0.1 + 99999.99) = −234.27
		expect(money.total.change).toBeCloseTo(-234.27, 8);
	});

	it("measures how concentrated the change is", () => {
		// |contributions| 40, 20, 20, 10 of 90: (40² + 20² + 20² + 10²) / 90² = 2500 / 8100.
		expect(b.concentration).toBeCloseTo(2500 / 8100, 12);
		expect(concentration([5])).toBe(1);
		expect(concentration([1, -1, 1, -1])).toBeCloseTo(0.25, 12);
		expect(concentration([0, 0])).toBe(0);
	});

	it("marks a change within the member's usual variation", () => {
		// History 100, 104, 98, 103, 99: changes 4, 6, 5, 4 → median 4.5 → typical 9.
		const history = [100, 104, 98, 103, 99];
		expect(typicalChange(history)).toBe(9);
		expect(typicalChange(history.slice(0, 4))).toBeUndefined();
		const n = additiveBreakdown([
			{ member: "steady", previous: 99, current: 94, history },
			{ member: "falling", previous: 99, current: 59, history },
		]);
		expect(n.members.map((m) => [m.member, m.withinNormal])).toEqual([
			["falling", false],
			["steady", true],
		]);
	});

	it("splits a distinct count by member and says how much the members overlap", () => {
		// Active customers: West 10 → 8, East 5 → 6; one customer buys in both regions.
		// Distinct totals 14 → 14: the members' changes (−2 + 1 = −1) exceed the total's (0) by −1.
		const d = additiveBreakdown(
			[
				{ member: "West", previous: 10, current: 8 },
				{ member: "East", previous: 5, current: 6 },
			],
			{ distinct: { previous: 14, current: 14 } },
		);
		expect(d.kind).toBe("distinct");
		expect(d.total.change).toBe(0);
		expect(d.overlap).toBe(-1);
		expect(d.members.every((m) => m.share === null)).toBe(true);
	});
});

describe("driver engine: ratio metrics (rate vs mix)", () => {
	const r = (numerator: number, denominator: number) => ({
		numerator,
		denominator,
	});

	it("puts a member's own fall in rate, with no mix when weights do not move", () => {
		// A 30/100 → 20/100 (30% → 20%), B 10/100 → 10/100 (10%). R 40/200 = 20% → 30/200 = 15%.
		// Weights 0.5 and 0.5 both periods: mix 0. Rate A = 0.5 × (0.20 − 0.30) = −0.05.
		const b = ratioBreakdown([
			{ member: "A", previous: r(30, 100), current: r(20, 100) },
			{ member: "B", previous: r(10, 100), current: r(10, 100) },
		]);
		expect(b.total.change).toBeCloseTo(-0.05, 12);
		expect(b.rate).toBeCloseTo(-0.05, 12);
		expect(b.mix).toBeCloseTo(0, 12);
		expect(b.dominant).toBe("rate");
		expect(b.members[0]).toMatchObject({ member: "A", previous: 0.3 });
		expect(b.members[0]?.rate).toBeCloseTo(-0.05, 12);
	});

	it("puts a shift of weight towards the low-ratio member in mix, with no rate change", () => {
		// A 30/100 → 15/50 (30% both), B 10/100 → 15/150 (10% both). R 20% → 15%, change −0.05.
		// Weights A 0.5 → 0.25, B 0.5 → 0.75; R̄ = 0.175.
		// Mix A = (0.30 − 0.175) × (−0.25) = −0.03125; mix B = (0.10 − 0.175) × 0.25 = −0.01875.
		const b = ratioBreakdown([
			{ member: "A", previous: r(30, 100), current: r(15, 50) },
			{ member: "B", previous: r(10, 100), current: r(15, 150) },
		]);
		expect(b.total.change).toBeCloseTo(-0.05, 12);
		expect(b.rate).toBeCloseTo(0, 12);
		expect(b.mix).toBeCloseTo(-0.05, 12);
		expect(b.dominant).toBe("mix");
		const byName = Object.fromEntries(b.members.map((m) => [m.member, m]));
		expect(byName.A?.mix).toBeCloseTo(-0.03125, 12);
		expect(byName.B?.mix).toBeCloseTo(-0.01875, 12);
		expect(b.members.map((m) => m.member)).toEqual(["A", "B"]);
	});

	it("attributes a new member wholly to mix, and the parts sum to the change", () => {
		// A 20/100 → 20/100 (20%); C new at 50/100 (50%). R 20% → 70/200 = 35%, change +0.15.
		// Weights A 1 → 0.5, C 0 → 0.5; C's earlier rate is taken as its current 50%. R̄ = 0.275.
		// Mix A = (0.20 − 0.275) × (−0.5) = 0.0375; mix C = (0.50 − 0.275) × 0.5 = 0.1125.
		const b = ratioBreakdown([
			{ member: "A", previous: r(20, 100), current: r(20, 100) },
			{ member: "C", previous: r(0, 0), current: r(50, 100) },
		]);
		expect(b.total.change).toBeCloseTo(0.15, 12);
		const c = b.members.find((m) => m.member === "C");
		expect(c).toMatchObject({ status: "new", previous: null, current: 0.5 });
		expect(c?.mix).toBeCloseTo(0.1125, 12);
		expect(c?.rate).toBe(0);
		const parts = b.members.reduce((s, m) => s + m.contribution, 0);
		expect(parts).toBeCloseTo(b.total.change, 12);
		expect((b.rate ?? 0) + (b.mix ?? 0)).toBeCloseTo(b.total.change, 12);
	});

	it("sums exactly on an uneven mix of rate and mix across five members", () => {
		const b = ratioBreakdown([
			{ member: "a", previous: r(12.5, 40), current: r(3, 25) },
			{ member: "b", previous: r(7, 90), current: r(21, 80) },
			{ member: "c", previous: r(0, 10), current: r(0, 0) },
			{ member: "d", previous: r(44, 100), current: r(61, 130) },
			{ member: "e", previous: r(-5, 20), current: r(2, 35) },
		]);
		// R0 = 58.5 / 260 = 0.225; R1 = 87 / 270 = 0.32222…
		expect(b.total.previous).toBeCloseTo(0.225, 12);
		expect(b.total.current).toBeCloseTo(87 / 270, 12);
		const parts = b.members.reduce((s, m) => s + m.contribution, 0);
		expect(parts).toBeCloseTo(b.total.change, 12);
		expect(b.members.find((m) => m.member === "c")?.status).toBe("gone");
	});

	it("says nothing when a period has no volume at all", () => {
		const b = ratioBreakdown([
			{ member: "A", previous: r(0, 0), current: r(5, 10) },
		]);
		expect(b.total).toEqual({ previous: null, current: 0.5, change: 0 });
		expect(b.members).toEqual([]);
	});
});

describe("ranking dimensions", () => {
	it("puts the dimension whose change sits in the fewest members first", () => {
		const region = additiveBreakdown([
			{ member: "West", previous: 100, current: 50 },
			{ member: "East", previous: 100, current: 98 },
		]);
		const category = additiveBreakdown([
			{ member: "x", previous: 50, current: 37 },
			{ member: "y", previous: 50, current: 37 },
			{ member: "z", previous: 100, current: 74 },
		]);
		expect(
			rankDimensions([
				{ dimension: "category", breakdown: category },
				{ dimension: "region", breakdown: region },
			]).map((d) => d.dimension),
		).toEqual(["region", "category"]);
	});
});

describe("surprise and specificity", () => {
	it("measures what each member did beyond moving like everyone else (worked by hand)", () => {
		// Δ = −52; mid-period weights 150/348 and 198/348.
		// West: −50 − (150/348)(−52) = −27.5862…; East: −2 − (198/348)(−52) = +27.5862…
		const b = additiveBreakdown([
			{ member: "West", previous: 100, current: 50 },
			{ member: "East", previous: 100, current: 98 },
		]);
		const west = b.members.find((m) => m.member === "West");
		const east = b.members.find((m) => m.member === "East");
		expect(west?.surprise).toBeCloseTo(-50 + (150 / 348) * 52, 12);
		expect(east?.surprise).toBeCloseTo(-2 + (198 / 348) * 52, 12);
		expect((west?.surprise ?? 0) + (east?.surprise ?? 0)).toBeCloseTo(0, 12);
		// Σ|surprise| ÷ 2|Δ| = 55.1724… ÷ 104.
		expect(b.specificity).toBeCloseTo((2 * (50 - (150 / 348) * 52)) / 104, 12);
	});

	it("gives no surprise when every member moved in proportion, however big one is", () => {
		const b = additiveBreakdown([
			{ member: "Champions", previous: 900, current: 810 },
			{ member: "Others", previous: 100, current: 90 },
		]);
		for (const m of b.members) expect(m.surprise).toBeCloseTo(0, 12);
		expect(b.specificity).toBeCloseTo(0, 12);
	});

	it("makes a ratio's surprises sum to zero too, and a member that vanished is never 'within normal'", () => {
		const b = ratioBreakdown([
			{
				member: "West",
				previous: { numerator: 30, denominator: 100 },
				current: { numerator: 15, denominator: 100 },
			},
			{
				member: "East",
				previous: { numerator: 35, denominator: 100 },
				current: { numerator: 34, denominator: 100 },
			},
		]);
		expect(b.members.reduce((s, m) => s + m.surprise, 0)).toBeCloseTo(0, 12);
		const gone = additiveBreakdown([
			{
				member: "C1",
				previous: 30,
				current: 0,
				history: [10, 40, 5, 35, 12, 38],
			},
			{ member: "C2", previous: 50, current: 60 },
		]);
		expect(gone.members.find((m) => m.member === "C1")).toMatchObject({
			status: "gone",
			withinNormal: false,
		});
	});
});

/**
 * The engine against an independent calculation: pandas 1.5.3 (Debian's python3-pandas) working
 * the same definitions out with its own vectorised arithmetic. The script, run with
 * `python3 drivers_reference.py`, printed the values pasted below:
 *
 *   r = pd.DataFrame({member, n0, d0, n1, d1})          # the ratio members below
 *   R0, R1 = r.n0.sum() / r.d0.sum(), r.n1.sum() / r.d1.sum()
 *   r["w0"], r["w1"] = r.d0 / r.d0.sum(), r.d1 / r.d1.sum()
 *   r["r0"] = (r.n0 / r.d0).where(r.d0 > 0); r["r1"] = (r.n1 / r.d1).where(r.d1 > 0)
 *   r["r0"] = r.r0.fillna(r.r1); r["r1"] = r.r1.fillna(r.r0)   # one period only: all mix
 *   wbar, rbar, Rbar = (r.w0 + r.w1) / 2, (r.r0 + r.r1) / 2, (R0 + R1) / 2
 *   r["rate"] = wbar * (r.r1 - r.r0); r["mix"] = (rbar - Rbar) * (r.w1 - r.w0)
 *   r["contribution"] = r.rate + r.mix; r["surprise"] = r.contribution - wbar * (R1 - R0)
 *
 *   a = pd.DataFrame({member, c0, c1})                   # the additive members below
 *   a["contribution"] = a.c1 - a.c0; a["share"] = a.contribution / (T1 - T0)
 *   a["surprise"] = a.contribution - (a.c0 + a.c1) / (T0 + T1) * (T1 - T0)
 *   s = a.contribution.abs() / a.contribution.abs().sum()
 *   concentration = (s ** 2).sum(); specificity = a.surprise.abs().sum() / (2 * abs(T1 - T0))
 */
describe("driver engine against pandas", () => {
	it("gives every member's rate, mix, contribution and surprise as pandas does (margin by region, a new region)", () => {
		const rows: [string, number, number, number, number][] = [
			["North", 336, 1000, 318, 1000],
			["South", 287, 1000, 282, 1005],
			["East", 339, 1000, 332, 1100],
			["West", 228, 800, 110, 800],
			["Central", 312, 1000, 303, 1000],
			["Online", 0, 0, 45, 150],
		];
		// pandas: member → [rate, mix, contribution, surprise]
		const pandas: Record<string, [number, number, number, number]> = {
			North: [
				-0.003655415430267066, -0.00034737791868575286, -0.004002793348952819,
				0.0037022932889061097,
			],
			South: [
				-0.0013034761282607666, 9.660664742142064e-5, -0.001206869480839346,
				0.006516981447157443,
			],
			East: [
				-0.007918605566046224, 0.0002453924478097287, -0.007673213118236495,
				0.00040715932237964103,
			],
			West: [
				-0.023963278931750733, 0.000695267793636957, -0.023268011138113776,
				-0.017103941827826635,
			],
			Central: [
				-0.001827707715133533, -0.00014244468426438773, -0.0019701523993979207,
				0.0057349342384610084,
			],
			Online: [
				0, 0.00017964482678665307, 0.00017964482678665307,
				0.0007425735309224652,
			],
		};
		const b = ratioBreakdown(
			rows.map(([member, n0, d0, n1, d1]) => ({
				member,
				previous: { numerator: n0, denominator: d0 },
				current: { numerator: n1, denominator: d1 },
			})),
		);
		// pandas: R0 0.3129166666666667, R1 0.27497527200791294
		expect(b.total.previous).toBeCloseTo(0.3129166666666667, 14);
		expect(b.total.current).toBeCloseTo(0.27497527200791294, 14);
		for (const [member, [rate, mix, contribution, surprise]] of Object.entries(
			pandas,
		)) {
			const m = b.members.find((x) => x.member === member);
			expect(m?.rate, `${member} rate`).toBeCloseTo(rate, 14);
			expect(m?.mix, `${member} mix`).toBeCloseTo(mix, 14);
			expect(m?.contribution, `${member} contribution`).toBeCloseTo(
				contribution,
				14,
			);
			expect(m?.surprise, `${member} surprise`).toBeCloseTo(surprise, 14);
		}
		// pandas: sum rate -0.038668483771458324, sum mix 0.0007270891127046188
		expect(b.rate).toBeCloseTo(-0.038668483771458324, 14);
		expect(b.mix).toBeCloseTo(0.0007270891127046188, 14);
		expect(b.members[0]?.member).toBe("West");
	});

	it("gives every member's contribution, share and surprise, the concentration and the specificity as pandas does (revenue by category)", () => {
		const rows: [string, number, number][] = [
			["Janitorial", 41200, 61380.25],
			["Paper", 38950.5, 37100],
			["Frozen", 22010, 21000],
			["Dairy", 15000, 0],
			["Beverages", 0, 4200],
		];
		// pandas: member → [contribution, share, surprise]
		const pandas: Record<string, [number, number, number]> = {
			Janitorial: [20180.25, 3.095249050960543, 17403.3213243606],
			Paper: [-1850.5, -0.2838299014532766, -3909.2473148750782],
			Frozen: [-1010, -0.154913915410867, -2174.314790997786],
			Dairy: [-15000, -2.300701714022777, -15406.061889443543],
			Beverages: [4200, 0.6441964799263775, 4086.302670955808],
		};
		const b = additiveBreakdown(
			rows.map(([member, previous, current]) => ({
				member,
				previous,
				current,
			})),
		);
		for (const [member, [contribution, share, surprise]] of Object.entries(
			pandas,
		)) {
			const m = b.members.find((x) => x.member === member);
			expect(m?.contribution, `${member} contribution`).toBeCloseTo(
				contribution,
				9,
			);
			expect(m?.share, `${member} share`).toBeCloseTo(share, 12);
			expect(m?.surprise, `${member} surprise`).toBeCloseTo(surprise, 8);
		}
		// pandas: concentration 0.3667174367573935, specificity 3.296080983981964
		expect(b.concentration).toBeCloseTo(0.3667174367573935, 14);
		expect(b.specificity).toBeCloseTo(3.296080983981964, 12);
		expect(b.members.find((m) => m.member === "Dairy")?.status).toBe("gone");
		expect(b.members.find((m) => m.member === "Beverages")?.status).toBe("new");
	});
});
