import { describe, expect, it } from "vitest";
import {
	correlateSeries,
	formatCorrelation,
	formatRanking,
	rankAgainst,
} from "../../src/analytics/correlation/index.ts";
import { ROBUST, series, TREND } from "./correlation-fixtures.ts";

const META = {
	active_customers: { label: "active customers", unitNoun: "active customer" },
	revenue: { label: "revenue" },
};

describe("plain-text rendering", () => {
	it("renders a report as a title, the verdict, then one statistic a line", () => {
		const text = formatCorrelation(
			correlateSeries(
				series("active_customers", TREND.x, { unit: "customers" }),
				series("revenue", TREND.y, { unit: "USD" }),
				META,
			),
		);
		expect(text).toBe(
			[
				"revenue (USD) vs active customers (customers): 36 months, 2022-01-01 to 2024-12-01",
				"Verdict: shared trend",
				"  r = 0.99 on 36 months, but the month-to-month changes correlate at 0.12: most of it is a shared trend",
				"  - Allowing for autocorrelation (lag 1: active customers 0.91, revenue 0.89), the 36 months count as about 3.8 independent points (Bretherton et al. 1999): p = 0.022.",
				"",
				"Pearson r         0.99  95% CI 0.97 to 0.99  p = 2.5e−28",
				"Spearman ρ        0.99  p = 8.6e−28",
				"Changes r         0.12  p = 0.507 (35 pairs)",
				"Best lag          0 (same month)  r = 0.99  p = 2.5e−28, one of 13 tries: Bonferroni p = 3.3e−27",
				"Autocorrelation   lag 1: revenue 0.89, active customers 0.91",
				"Effective n       3.8 of 36 (Bretherton et al. 1999)  p = 0.022",
				"Seasonality       lag 12: changes autocorrelate revenue 0.07, active customers −0.18; seasonal differences r = −0.05  p = 0.824",
				"Regression        each extra active customer ≈ $27 revenue per month (R² = 0.97)",
			].join("\n"),
		);
	});

	it("renders a refusal as the title and the reason", () => {
		const text = formatCorrelation(
			correlateSeries(
				series("active_customers", [1, 2, 3, 4], { unit: "customers" }),
				series("revenue", [5, 6, 7, 8], { unit: "USD" }),
				META,
			),
		);
		expect(text).toBe(
			"revenue (USD) vs active customers (customers)\nNot computed: only 4 months overlap; need at least 6",
		);
	});

	it("renders a ranking with q-values, survival and verdicts", () => {
		const text = formatRanking(
			rankAgainst(
				series("revenue", ROBUST.y, { unit: "USD" }),
				[
					series("trend", TREND.x),
					series("active_customers", ROBUST.x, { unit: "customers" }),
					series("short", [1, 2, 3]),
				],
				META,
			),
		);
		expect(text).toBe(
			[
				"Metrics against revenue (USD): q = Benjamini–Hochberg adjusted p, FDR 0.05",
				"  1. active customers  r = 0.86  q = 1.5e−10  survives  robust",
				"  2. trend             r = 0.39  q = 0.039  survives  shared trend",
				"  3. short             not computed: only 3 months overlap; need at least 6",
			].join("\n"),
		);
	});
});
