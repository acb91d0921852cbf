import { describe, expect, it } from "vitest";
import {
	benjaminiHochberg,
	type CorrelationReport,
	rankAgainst,
} from "../../src/analytics/correlation/index.ts";
import {
	ROBUST,
	SEASONAL,
	series,
	TREND,
	UNRELATED,
} from "./correlation-fixtures.ts";
import { expectP, expectR } from "./correlation-helpers.ts";

describe("Benjamini–Hochberg adjustment", () => {
	it("matches statsmodels on unsorted p-values with ties", () => {
		const p = [
			0.04, 0.001, 0.03, 0.04, 0.5, 0.01, 0.2, 0.03, 0.0001, 0.9, 0.03,
		];
		// statsmodels.stats.multitest.multipletests(p, alpha=0.05, method='fdr_bh')[1]
		const expected = [
			0.055, 0.0055, 0.055, 0.055, 0.55, 0.03666666666666667,
			0.24444444444444444, 0.055, 0.0011, 0.9, 0.055,
		];
		const q = benjaminiHochberg(p);
		expect(q).toHaveLength(p.length);
		q.forEach((v, i) => {
			expectP(v, expected[i] ?? Number.NaN);
		});
		// multipletests(p, alpha=0.05, method='fdr_bh')[0]: rejected at 0.05
		expect(q.map((v) => v <= 0.05)).toEqual([
			false,
			true,
			false,
			false,
			false,
			true,
			false,
			false,
			true,
			false,
			false,
		]);
	});

	it("never exceeds 1 and handles empty and single inputs", () => {
		expect(benjaminiHochberg([])).toEqual([]);
		expect(benjaminiHochberg([0.7])).toEqual([0.7]);
		expect(benjaminiHochberg([0.9, 0.95, 1])).toEqual([1, 1, 1]);
	});
});

describe("ranking metrics against a target", () => {
	const target = series("revenue", ROBUST.y, { unit: "USD" });
	const others = [
		series("unrelated_x", UNRELATED.x),
		series("customers", ROBUST.x, { unit: "customers" }),
		series("short", [1, 2, 3, 4]),
		series("trend", TREND.x),
		series("revenue", ROBUST.y, { unit: "USD" }),
		series("seasonal", SEASONAL.x),
		series("flat", Array(36).fill(5)),
		series("unrelated_y", UNRELATED.y),
	];
	const ranking = rankAgainst(target, others, {
		revenue: { label: "revenue" },
	});

	it("orders metrics by |r|, puts refusals last and skips the target itself", () => {
		expect(ranking.entries.map((e) => e.result.x.metric)).toEqual([
			"customers",
			"trend",
			"seasonal",
			"unrelated_y",
			"unrelated_x",
			"flat",
			"short",
		]);
		expect(ranking.entries.map((e) => e.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(ranking.target.label).toBe("revenue");
		expect(ranking.fdr).toBe(0.05);
	});

	it("adjusts the autocorrelation-adjusted p-values like statsmodels' fdr_bh", () => {
		// For each x: r = scipy.stats.pearsonr(x, y)[0] with y = ROBUST.y (SEASONAL.x[:36] aligned),
		// a = acf(x, nlags=1, fft=False)[1]*acf(y, nlags=1, fft=False)[1], ne = min(n, n*(1-a)/(1+a)),
		// p = 2*scipy.stats.t.sf(abs(r*np.sqrt((ne-2)/(1-r*r))), ne-2)
		const expected: Record<string, { r: number; p: number; q: number }> = {
			// q: multipletests([p of each], method='fdr_bh')[1]
			customers: {
				r: 0.861113924060865,
				p: 7.680351350884695e-11,
				q: 3.8401756754423473e-10,
			},
			trend: {
				r: 0.3912173530074865,
				p: 0.039177820942839746,
				q: 0.09794455235709935,
			},
			unrelated_x: {
				r: -0.019499696500501033,
				p: 0.9114628042621677,
				q: 0.9114628042621677,
			},
			seasonal: {
				r: -0.11284867503757741,
				p: 0.5636179821741498,
				q: 0.7711532576296376,
			},
			unrelated_y: {
				r: -0.08983745002052065,
				p: 0.6169226061037101,
				q: 0.7711532576296376,
			},
		};
		for (const e of ranking.entries.filter((x) => x.result.status === "ok")) {
			const ref = expected[e.result.x.metric];
			if (!ref) throw new Error(`unexpected ${e.result.x.metric}`);
			const res = e.result as CorrelationReport;
			expectR(res.pearson.r, ref.r);
			expectP(res.effective.p, ref.p);
			expectP(e.q ?? Number.NaN, ref.q);
		}
	});

	it("marks which survive at q = 0.05 and carries each verdict", () => {
		const byMetric = Object.fromEntries(
			ranking.entries.map((e) => [e.result.x.metric, e]),
		);
		expect(byMetric.customers?.survives).toBe(true);
		expect(byMetric.customers?.result.verdict.primary).toBe("robust");
		expect(byMetric.trend?.survives).toBe(false);
		expect(byMetric.flat?.q).toBeNull();
		expect(byMetric.flat?.survives).toBe(false);
		expect(byMetric.short?.result.verdict.sentence).toBe(
			"only 4 months overlap; need at least 6",
		);
	});

	it("uses the false discovery rate it is given", () => {
		const loose = rankAgainst(target, others, {}, 0.1);
		expect(loose.fdr).toBe(0.1);
		expect(
			loose.entries.filter((e) => e.survives).map((e) => e.result.x.metric),
		).toEqual(["customers", "trend"]);
	});
});
