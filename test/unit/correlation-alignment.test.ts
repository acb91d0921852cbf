import { describe, expect, it } from "vitest";
import {
	alignSeries,
	correlateSeries,
	type Series,
} from "../../src/analytics/correlation/index.ts";
import { ROBUST, series } from "./correlation-fixtures.ts";
import {
	expectAllFinite,
	expectP,
	expectR,
	report,
} from "./correlation-helpers.ts";

/**
 * ROBUST.x from 2022-01 with months 5, 6 and 20 missing, against revenue from 2022-04
 * (ROBUST.y[3:] then three more months) with month 30 missing. Reference values come from
 * pandas on the calendar: X = x.reindex(full), Y = y.reindex(full) over 2022-01…2025-03 by month,
 * A = pd.concat([X, Y], axis=1, keys=["x", "y"]) with a row set to NaN when either side is.
 */
const GAPPY_X = series(
	"customers",
	ROBUST.x.map((v, i) => ([5, 6, 20].includes(i) ? null : v)),
);
const GAPPY_Y = series(
	"revenue",
	[...ROBUST.y.slice(3), 171000.5, 158000.25, 166500].map((v, i) =>
		i === 30 ? null : v,
	),
	{ start: "2022-04-01", unit: "USD" },
);

describe("aligning two series", () => {
	it("joins on the common periods, drops nulls and reports n", () => {
		const a = alignSeries(GAPPY_X, GAPPY_Y);
		if (!a.ok) throw new Error(a.reason);
		// len(A.dropna()) == 29, from 2022-04 to 2024-12
		expect(a.aligned.n).toBe(29);
		expect(a.aligned.period[0]).toBe("2022-04-01");
		expect(a.aligned.period.at(-1)).toBe("2024-12-01");
		expect(a.aligned.period).not.toContain("2022-06-01");
		expect(a.aligned.period).not.toContain("2022-07-01");
	});

	it("computes Pearson r on the joined periods only", () => {
		const r = report(correlateSeries(GAPPY_X, GAPPY_Y));
		expect(r.n).toBe(29);
		// scipy.stats.pearsonr(A.dropna().x, A.dropna().y) → (0.8523536571835847, 4.414887375045313e-09)
		expectR(r.pearson.r, 0.8523536571835847);
		expectP(r.pearson.p, 4.414887375045313e-9);
	});

	it("takes changes only between adjacent months, never across a gap", () => {
		const r = report(correlateSeries(GAPPY_X, GAPPY_Y));
		if (!r.changes.available) throw new Error(r.changes.reason);
		// dd = A.diff().dropna(); len(dd) == 25
		// scipy.stats.pearsonr(dd.x, dd.y) → (0.8438560927404303, 1.1606639017389455e-07)
		expect(r.changes.n).toBe(25);
		expectR(r.changes.r, 0.8438560927404303);
		expectP(r.changes.p, 1.1606639017389455e-7);
	});

	it("estimates lag-1 autocorrelation across gaps as statsmodels does with missing='conservative'", () => {
		const ac = report(correlateSeries(GAPPY_X, GAPPY_Y)).autocorrelation;
		if (!ac.x.available || !ac.y.available) throw new Error("no acf");
		// statsmodels.tsa.stattools.acf(A.x.values, nlags=1, missing='conservative', fft=False)[1]
		expectR(ac.x.r1, 0.15904760954784397);
		// statsmodels.tsa.stattools.acf(A.y.values, nlags=1, missing='conservative', fft=False)[1]
		expectR(ac.y.r1, 0.04421198196287328);
	});

	it("pairs lags on the calendar from each series' own periods", () => {
		const lags = report(correlateSeries(GAPPY_X, GAPPY_Y)).crossCorrelation
			.lags;
		const at = (k: number) => {
			const l = lags.find((e) => e.lag === k);
			if (!l?.available) throw new Error(`lag ${k} missing`);
			return l;
		};
		// L = pd.concat([X, Y.shift(2)], axis=1).dropna(); scipy.stats.pearsonr(L.x, L.y) → 27 pairs
		expect(at(-2).n).toBe(27);
		expectR(at(-2).r, -0.25347049554737056);
		expectP(at(-2).p, 0.20206013461694156);
		// L = pd.concat([X, Y.shift(-3)], axis=1).dropna(); scipy.stats.pearsonr(L.x, L.y) → 32 pairs
		expect(at(3).n).toBe(32);
		expectR(at(3).r, -0.018519547395050004);
		expectP(at(3).p, 0.9198658061448421);
	});

	it("gives the same result whatever order the points come in", () => {
		const shuffled: Series = {
			...GAPPY_Y,
			points: [...GAPPY_Y.points].reverse(),
		};
		expect(correlateSeries(GAPPY_X, shuffled)).toEqual(
			correlateSeries(GAPPY_X, GAPPY_Y),
		);
	});

	it("treats NaN and infinite values as missing, not as numbers", () => {
		const x = series("x", [1, 2, Number.NaN, 4, 5, 6, 7, 8]);
		const y = series("y", [2, 1, 4, 3, Number.POSITIVE_INFINITY, 5, 8, 7]);
		const r = report(correlateSeries(x, y));
		expect(r.n).toBe(6);
		expectAllFinite(r);
	});

	it("aligns weeks on their calendar, so a missing week is a gap", () => {
		const x = series("x", [5, 3, 8, null, 6, 9, 2, 7], { grain: "week" });
		const y = series("y", [4, 4, 9, 1, 5, 8, 3, 6], { grain: "week" });
		const r = report(correlateSeries(x, y));
		expect(r.n).toBe(7);
		expect(r.first).toBe("2024-01-01");
		// Weeks 3→4 and 4→5 cross the gap: 7 weeks give 5 week-to-week changes.
		expect(r.changes.available).toBe(false);
		if (!r.changes.available)
			expect(r.changes.reason).toBe(
				"only 5 week-to-week changes; need at least 6",
			);
	});
});

describe("refusing series that cannot be aligned", () => {
	const ok = series("x", [1, 2, 3, 4, 5, 6]);

	it("refuses series on different grains", () => {
		const r = correlateSeries(ok, series("y", [1, 2, 3], { grain: "week" }));
		expect(r.status).toBe("refused");
		if (r.status === "refused") {
			expect(r.code).toBe("grain_mismatch");
			expect(r.reason).toBe(
				"x is by month but y is by week; compare them on one grain",
			);
			expect(r.verdict.primary).toBe("not_computable");
		}
	});

	it.each([
		["2024-1-01", /not an ISO date/],
		["2024-02-30", /not a calendar date/],
		["2024-03-15", /not the start of a month/],
	])("refuses the monthly period %s", (period, message) => {
		const bad: Series = {
			...ok,
			metric: "y",
			points: [...ok.points.slice(1), { period, value: 1 }],
		};
		const r = correlateSeries(ok, bad);
		expect(r.status === "refused" && r.code).toBe("invalid_period");
		expect(r.status === "refused" && r.reason).toMatch(message);
	});

	it("refuses a series with two values for one period", () => {
		const dup: Series = {
			...ok,
			metric: "y",
			points: [...ok.points, { period: "2022-03-01", value: 9 }],
		};
		const r = correlateSeries(ok, dup);
		expect(r.status === "refused" && r.reason).toBe(
			"y has more than one value for 2022-03-01",
		);
	});

	it("refuses weeks that start on different weekdays", () => {
		const weeks = series("w", [1, 2, 3, 4, 5, 6], { grain: "week" });
		const odd: Series = {
			...weeks,
			points: [...weeks.points, { period: "2024-02-13", value: 7 }],
		};
		const r = correlateSeries(odd, weeks);
		expect(r.status === "refused" && r.code).toBe("invalid_period");
		expect(r.status === "refused" && r.reason).toMatch(
			/2024-02-13 starts on a different weekday/,
		);
	});
});
