import { describe, expect, it } from "vitest";
import {
	correlateSeries,
	type Grain,
} from "../../src/analytics/correlation/index.ts";
import {
	type Pair,
	ROBUST,
	SEASONAL,
	series,
	TIES,
	TREND,
	UNRELATED,
} from "./correlation-fixtures.ts";
import {
	expectAllFinite,
	expectP,
	expectR,
	expectRelative,
	report,
	VALUE_REL,
} from "./correlation-helpers.ts";
import {
	ROBUST_REF,
	SEASONAL_REF,
	TIES_REF,
	TREND_REF,
	UNRELATED_REF,
} from "./correlation-references.ts";

type Reference = typeof ROBUST_REF | typeof TIES_REF;

const CASES: { name: string; pair: Pair; ref: Reference; grain: Grain }[] = [
	{ name: "a robust pair", pair: ROBUST, ref: ROBUST_REF, grain: "month" },
	{ name: "a shared-trend pair", pair: TREND, ref: TREND_REF, grain: "month" },
	{
		name: "a seasonal pair",
		pair: SEASONAL,
		ref: SEASONAL_REF,
		grain: "month",
	},
	{
		name: "an unrelated pair",
		pair: UNRELATED,
		ref: UNRELATED_REF,
		grain: "month",
	},
	{ name: "a pair with ties", pair: TIES, ref: TIES_REF, grain: "week" },
];

describe.each(CASES)("statistics on $name", ({ pair, ref, grain }) => {
	const result = report(
		correlateSeries(
			series("x", pair.x, { grain }),
			series("y", pair.y, { grain }),
		),
	);

	it("uses every period", () => {
		expect(result.n).toBe(pair.x.length);
		expect(result.pearson.n).toBe(pair.x.length);
	});

	it("matches scipy's Pearson r, p-value and 95% Fisher-z interval", () => {
		expectR(result.pearson.r, ref.pearson.r);
		expectP(result.pearson.p, ref.pearson.p);
		expect(result.pearson.ci.level).toBe(0.95);
		expectR(result.pearson.ci.lower, ref.ci.lower);
		expectR(result.pearson.ci.upper, ref.ci.upper);
	});

	it("matches scipy's Spearman ρ and p-value", () => {
		expectR(result.spearman.r, ref.spearman.r);
		expectP(result.spearman.p, ref.spearman.p);
	});

	it("matches scipy on the correlation of first differences", () => {
		if (!result.changes.available) throw new Error(result.changes.reason);
		expect(result.changes.n).toBe(pair.x.length - 1);
		expectR(result.changes.r, ref.changes.r);
		expectP(result.changes.p, ref.changes.p);
	});

	it("matches scipy at every lag from −6 to +6 and flags the best as one of 13 tries", () => {
		const cc = result.crossCorrelation;
		expect(cc.lags.map((l) => l.lag)).toEqual([
			-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6,
		]);
		cc.lags.forEach((l, i) => {
			if (!l.available) throw new Error(l.reason);
			expect(l.n).toBe(pair.x.length - Math.abs(l.lag));
			expectR(l.r, ref.lagR[i] ?? Number.NaN);
			expectP(l.p, ref.lagP[i] ?? Number.NaN);
		});
		const absR = ref.lagR.map(Math.abs);
		const bestIndex = absR.indexOf(Math.max(...absR));
		expect(cc.best?.lag).toBe(bestIndex - 6);
		expect(cc.best?.tries).toBe(13);
		expectP(cc.best?.p ?? 0, ref.lagP[bestIndex] ?? 0);
		expectP(
			cc.best?.bonferroniP ?? 0,
			Math.min(1, 13 * (ref.lagP[bestIndex] ?? 0)),
		);
	});

	it("matches statsmodels' lag-1 autocorrelations and the Bretherton effective sample size", () => {
		const ac = result.autocorrelation;
		if (!ac.x.available || !ac.y.available) throw new Error("no lag-1 acf");
		expectR(ac.x.r1, ref.r1x);
		expectR(ac.y.r1, ref.r1y);
		const e = result.effective;
		expectRelative(e.unclamped, ref.nEff, VALUE_REL);
		if (ref.nEff > pair.x.length) {
			// Negative autocorrelation product: N_eff above N is capped at N, and p is the plain one.
			expect(e.clamped).toBe("high");
			expect(e.nEff).toBe(pair.x.length);
			expect(e.note).toMatch(/capped at 12/);
			expectP(e.p, ref.pearson.p);
			return;
		}
		expect(e.clamped).toBeNull();
		expectRelative(e.nEff, ref.nEff, VALUE_REL);
		expectRelative(e.df, ref.nEff - 2, VALUE_REL);
		expectP(e.p, ref.pEff);
	});

	it("matches scipy's linregress slope, intercept, R² and slope standard error", () => {
		const g = result.regression;
		expectRelative(g.slope, ref.regression.slope, VALUE_REL);
		expectRelative(g.intercept, ref.regression.intercept, VALUE_REL);
		expectR(g.rSquared, ref.regression.rSquared);
		expectRelative(g.slopeStdErr, ref.regression.slopeStdErr, VALUE_REL);
	});

	it("checks seasonality against statsmodels and scipy when there are two full seasons", () => {
		if (!("seasonalAcf" in ref)) {
			expect(result.seasonal.available).toBe(false);
			return;
		}
		const s = result.seasonal;
		if (!s.available) throw new Error(s.reason);
		expect(s.lag).toBe(12);
		expectR(s.acfX, ref.seasonalAcf.x);
		expectR(s.acfY, ref.seasonalAcf.y);
		const sd = s.seasonalDifferences;
		if (!sd.available) throw new Error(sd.reason);
		expect(sd.n).toBe(pair.x.length - 12);
		expectR(sd.r, ref.seasonalDifferences.r);
		expectP(sd.p, ref.seasonalDifferences.p);
	});

	it("has no NaN or infinite number anywhere in the result", () => {
		expectAllFinite(result);
	});
});
