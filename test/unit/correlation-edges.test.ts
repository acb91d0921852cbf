import { describe, expect, it } from "vitest";
import { effectiveSample } from "../../src/analytics/correlation/dependence.ts";
import {
	correlateSeries,
	type EffectiveSample,
} from "../../src/analytics/correlation/index.ts";
import { ROBUST, series } from "./correlation-fixtures.ts";
import { expectAllFinite, expectP, report } from "./correlation-helpers.ts";

describe("refusing to compute a correlation", () => {
	it("says how many months overlap when there are fewer than 6", () => {
		const r = correlateSeries(
			series("x", [1, 2, 3, 4, 5, 6]),
			series("y", [null, 3, null, 5, 4, 9]),
		);
		expect(r).toMatchObject({
			status: "refused",
			code: "too_few_points",
			n: 4,
			first: "2022-02-01",
			last: "2022-06-01",
			reason: "only 4 months overlap; need at least 6",
			verdict: {
				primary: "too_few_points",
				patterns: ["too_few_points"],
				sentence: "only 4 months overlap; need at least 6",
			},
		});
		expect(r).not.toHaveProperty("pearson");
		expectAllFinite(r);
	});

	it("says when no period overlaps at all", () => {
		const r = correlateSeries(
			series("x", [1, 2, 3, 4, 5, 6], { grain: "week" }),
			series("y", [1, 2, 3, 4, 5, 6], { grain: "week", start: "2025-01-06" }),
		);
		expect(r.status === "refused" && r.reason).toBe(
			"no weeks overlap; need at least 6",
		);
		expect(r.first).toBeNull();
	});

	it("names the constant series and its value", () => {
		const r = correlateSeries(
			series("x", [120, 120, 120, 120, 120, 120, 120], { unit: "customers" }),
			series("y", [1, 5, 2, 8, 3, 9, 4]),
			{ x: { label: "active customers" } },
		);
		expect(r.status === "refused" && r.code).toBe("constant_series");
		expect(r.status === "refused" && r.reason).toBe(
			"active customers is constant (120) over the 7 months they overlap, so it cannot correlate with anything",
		);
		expect(r.verdict.primary).toBe("not_computable");
		expectAllFinite(r);
	});

	it("says when both series are constant", () => {
		const r = correlateSeries(
			series("x", [3, 3, 3, 3, 3, 3]),
			series("y", [7, 7, 7, 7, 7, 7]),
		);
		expect(r.status === "refused" && r.reason).toBe(
			"both x and y are constant over the 6 months they overlap, so there is nothing to correlate",
		);
	});

	it("is constant only over the overlap: values outside it do not count", () => {
		const r = correlateSeries(
			series("x", [9, 1, 1, 1, 1, 1, 1]),
			series("y", [null, 1, 2, 3, 4, 5, 6]),
		);
		expect(r.status === "refused" && r.code).toBe("constant_series");
	});
});

describe("statistics that cannot all be computed", () => {
	const x = [3, 7, 2, 9, 4, 8, 5, 6];
	const y = [2, 6, 3, 8, 5, 9, 4, 7];
	const r = report(correlateSeries(series("x", x), series("y", y)));

	it("skips lags longer than the series allows, and counts only the lags tried", () => {
		const missing = r.crossCorrelation.lags.filter((l) => !l.available);
		expect(missing.map((l) => l.lag)).toEqual([-6, -5, -4, -3, 3, 4, 5, 6]);
		expect(missing[3]).toEqual({
			lag: -3,
			available: false,
			reason: "only 5 pairs 3 months apart; need at least 6",
		});
		expect(r.crossCorrelation.best?.tries).toBe(5);
		const best = r.crossCorrelation.best;
		expect(best?.bonferroniP).toBeCloseTo(Math.min(1, (best?.p ?? 0) * 5), 15);
	});

	it("computes the 7 changes of 8 months but does not check seasonality", () => {
		expect(r.changes.available && r.changes.n).toBe(7);
		expect(r.seasonal).toEqual({
			available: false,
			reason: "seasonality needs at least 24 months; there are 8",
		});
	});

	it("keeps every number finite", () => {
		expectAllFinite(r);
	});

	it("reports no changes correlation when one series changes by the same amount every month", () => {
		const linear = report(
			correlateSeries(
				series("x", [1, 2, 3, 4, 5, 6, 7, 8]),
				series("y", [2, 1, 4, 3, 6, 5, 8, 9]),
			),
		);
		expect(linear.changes).toEqual({
			available: false,
			reason: "the month-to-month changes do not vary on one side",
		});
	});

	it("handles a perfect correlation without NaN or infinity", () => {
		const sq = [1, 4, 9, 16, 25, 36, 49, 64];
		const perfect = report(
			correlateSeries(
				series("x", sq),
				series(
					"y",
					sq.map((v) => 2 * v + 1),
				),
			),
		);
		expect(perfect.pearson.r).toBe(1);
		expect(perfect.pearson.p).toBe(0);
		expect(perfect.pearson.ci).toEqual({ level: 0.95, lower: 1, upper: 1 });
		expect(perfect.regression.slope).toBeCloseTo(2, 12);
		expectAllFinite(perfect);
	});
});

describe("the effective sample size", () => {
	const ac = (x: number, y: number) => ({
		x: { available: true as const, r1: x },
		y: { available: true as const, r1: y },
	});

	it("follows Bretherton et al. 1999 when it lies between 2 and N", () => {
		const e = effectiveSample(36, 0.5, ac(0.6, 0.5));
		// 36*(1 - 0.3)/(1 + 0.3)
		expect(e.nEff).toBeCloseTo(19.384615384615383, 12);
		expect(e.clamped).toBeNull();
		expect(e.note).toBeNull();
		// 2*scipy.stats.t.sf(abs(0.5*np.sqrt((36*0.7/1.3 - 2)/(1 - 0.25))), 36*0.7/1.3 - 2) → 0.027439155389837513
		expectP(e.p, 0.027439155389837513);
	});

	it("raises N_eff to just above 2 and says so when autocorrelation leaves nothing", () => {
		const e: EffectiveSample = effectiveSample(36, 0.9, ac(0.99, 0.99));
		expect(e.unclamped).toBeCloseTo((36 * (1 - 0.9801)) / 1.9801, 12);
		expect(e.clamped).toBe("low");
		expect(e.nEff).toBe(2.001);
		expect(e.df).toBeCloseTo(0.001, 12);
		expect(e.note).toBe(
			"N_eff (0.36) is at or below 2, so it is raised to 2.001: the series carry almost no independent information",
		);
		expect(e.p).toBeGreaterThan(0.99);
		expectAllFinite(e);
	});

	it("caps N_eff at N when the autocorrelations have opposite signs", () => {
		const e = effectiveSample(20, 0.5, ac(0.5, -0.4));
		expect(e.unclamped).toBeCloseTo((20 * 1.2) / 0.8, 12);
		expect(e.nEff).toBe(20);
		expect(e.clamped).toBe("high");
		expect(e.note).toBe(
			"N_eff (30.0) exceeds the 20 points, so it is capped at 20",
		);
	});

	it("leaves p unadjusted, and says so, when an autocorrelation is missing", () => {
		const e = effectiveSample(10, 0.7, {
			x: { available: false, reason: "no two consecutive periods to compare" },
			y: { available: true, r1: 0.3 },
		});
		expect(e.nEff).toBe(10);
		expect(e.note).toMatch(/not adjusted/);
	});

	it("keeps the regression in business units", () => {
		const r = report(
			correlateSeries(
				series("active_customers", ROBUST.x, { unit: "customers" }),
				series("revenue", ROBUST.y, { unit: "USD" }),
				{ active_customers: { unitNoun: "active customer" } },
			),
		);
		expect(r.regression.sentence).toBe(
			"each extra active customer ≈ $1,274 revenue per month",
		);
	});
});
