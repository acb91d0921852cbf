import { describe, expect, it } from "vitest";
import {
	correlateSeries,
	type MetricMetaMap,
} from "../../src/analytics/correlation/index.ts";
import {
	ROBUST,
	SEASONAL,
	series,
	TREND,
	UNRELATED,
} from "./correlation-fixtures.ts";
import { report } from "./correlation-helpers.ts";

const META: MetricMetaMap = {
	active_customers: {
		label: "active customers",
		unitNoun: "active customer",
	},
	revenue: { label: "revenue" },
};

const pair = (p: { x: readonly number[]; y: readonly number[] }, meta = META) =>
	report(
		correlateSeries(
			series("active_customers", p.x, { unit: "customers" }),
			series("revenue", p.y, { unit: "USD" }),
			meta,
		),
	);

/** Two 24-month random walks whose steps correlate: strong in levels and changes, but N_eff ≈ 3.5. */
const AUTOCORRELATED = {
	x: [
		101.1, 98.7, 97.5, 93.6, 91, 89.8, 89.9, 94.9, 92.8, 97.2, 95.7, 92.8, 94.4,
		96.2, 99.5, 101.7, 104.4, 107.6, 108.6, 108, 111.5, 107.7, 112, 112.6,
	],
	y: [
		48.4, 45, 46, 45.5, 42.3, 42.7, 42.5, 44.2, 42.3, 43.2, 42.5, 42.8, 44.7,
		42.7, 46, 46.3, 49.2, 52.7, 53.4, 53.4, 53.5, 50.3, 53.2, 51,
	],
};

/** Two 24-month random walks whose steps correlate but whose levels drift apart. */
const CHANGES_ONLY = {
	x: [
		97.1, 95.6, 93.3, 96.1, 100.8, 101, 97.3, 94.8, 94.1, 90.1, 91.9, 97.4,
		94.2, 93.9, 92.4, 93.9, 98.9, 102.8, 99.7, 102, 102.7, 105.1, 106.2, 104.7,
	],
	y: [
		49.7, 46, 44.1, 44.5, 48.7, 50.7, 46.9, 47.1, 46.6, 41.7, 40.8, 42.4, 40.1,
		38.2, 38.1, 38.3, 39.7, 42.7, 39.1, 39.9, 38.9, 39.9, 39.5, 40.2,
	],
};

describe("the verdict", () => {
	it("calls a pair robust when levels and changes correlate and survive N_eff", () => {
		const v = pair(ROBUST).verdict;
		expect(v.primary).toBe("robust");
		expect(v.patterns).toEqual(["robust"]);
		expect(v.sentence).toBe(
			"r = 0.86 on 36 months, and the month-to-month changes correlate too (0.84): the link holds after allowing for autocorrelation (p = 7.7e−11 with N_eff ≈ 33.7)",
		);
	});

	it("calls two independent trends a shared trend, not a link", () => {
		const r = pair(TREND);
		expect(r.pearson.r).toBeGreaterThan(0.98);
		expect(r.verdict.primary).toBe("shared_trend");
		expect(r.verdict.patterns).toEqual(["shared_trend"]);
		expect(r.verdict.sentence).toBe(
			"r = 0.99 on 36 months, but the month-to-month changes correlate at 0.12: most of it is a shared trend",
		);
		expect(r.verdict.details[0]).toBe(
			"Allowing for autocorrelation (lag 1: active customers 0.91, revenue 0.89), the 36 months count as about 3.8 independent points (Bretherton et al. 1999): p = 0.022.",
		);
	});

	it("calls a shared 12-month cycle seasonal even though the changes correlate", () => {
		const r = pair(SEASONAL);
		expect(r.changes.available && r.changes.r).toBeGreaterThan(0.8);
		expect(r.verdict.primary).toBe("seasonal");
		expect(r.verdict.sentence).toBe(
			"r = 0.93 on 48 months, but both series repeat every 12 months and the year-over-year changes correlate at −0.09: most of it is shared seasonality",
		);
		expect(r.verdict.details).toContain(
			"The strongest lag has revenue 1 month before active customers (r = 0.96), but it is the best of 13 tries: p = 1.4e−26, 1.8e−25 after Bonferroni.",
		);
	});

	it("uses a 7-day season for daily series", () => {
		const week = [0, 5, 6, 6, 7, 9, -12];
		let s = 7;
		const noise = () => {
			s = (s * 1103515245 + 12345) % 2147483648;
			return s / 2147483648 - 0.5;
		};
		const x = week.flatMap(() => week.map((w) => 100 + 3 * w + 4 * noise()));
		const y = week.flatMap(() => week.map((w) => 40 + w + 1.5 * noise()));
		const r = report(
			correlateSeries(
				series("x", x, { grain: "day", start: "2024-03-04" }),
				series("y", y, { grain: "day", start: "2024-03-04" }),
			),
		);
		expect(r.seasonal.available && r.seasonal.lag).toBe(7);
		expect(r.verdict.primary).toBe("seasonal");
		expect(r.verdict.sentence).toMatch(
			/both series repeat every 7 days and the week-over-week changes correlate at/,
		);
	});

	it("does not check seasonality without two full seasons", () => {
		const r = pair({ x: SEASONAL.x.slice(0, 23), y: SEASONAL.y.slice(0, 23) });
		expect(r.seasonal).toEqual({
			available: false,
			reason: "seasonality needs at least 24 months; there are 23",
		});
		expect(r.verdict.patterns).not.toContain("seasonal");
	});

	it("finds nothing in unrelated noise", () => {
		const v = pair(UNRELATED).verdict;
		expect(v.primary).toBe("none");
		expect(v.sentence).toBe(
			"r = 0.01 on 36 months (p = 0.934): no sign of a link",
		);
	});

	it("calls a strong r weak when autocorrelation leaves too few independent points", () => {
		const r = pair(AUTOCORRELATED);
		expect(r.pearson.p).toBeLessThan(1e-10);
		expect(r.verdict.primary).toBe("weak");
		expect(r.verdict.sentence).toBe(
			"r = 0.94 on 24 months (p = 8.0e−12), but only p = 0.107 after allowing for autocorrelation (N_eff ≈ 3.5): weak evidence of a link",
		);
	});

	it("calls it weak when only the changes correlate, and says so", () => {
		const v = pair(CHANGES_ONLY).verdict;
		expect(v.primary).toBe("weak");
		expect(v.sentence).toBe(
			"r = −0.06 on 24 months (p = 0.781), though the month-to-month changes correlate at 0.80 (p = 5.4e−6): weak evidence of a link",
		);
	});
});

describe("definitional overlap", () => {
	const built = (revenue: string[], customers: string[] = []) => ({
		...META,
		revenue: { ...META.revenue, builtFrom: revenue },
		active_customers: { ...META.active_customers, builtFrom: customers },
		orders: { label: "orders" },
	});

	it("is the primary pattern when one metric is built from the other", () => {
		const r = pair(ROBUST, built(["active_customers", "revenue_per_customer"]));
		expect(r.overlap).toEqual({
			description: "revenue is built from active customers",
			shared: ["active_customers"],
		});
		expect(r.verdict.primary).toBe("definitional_overlap");
		expect(r.verdict.patterns).toEqual(["definitional_overlap"]);
		expect(r.verdict.sentence).toBe(
			"r = 0.86 on 36 months, but revenue is built from active customers: the correlation is at least partly arithmetic, not evidence of a link",
		);
	});

	it("is found from either side and from a shared component", () => {
		expect(pair(ROBUST, built([], ["revenue"])).overlap?.description).toBe(
			"active customers is built from revenue",
		);
		expect(
			pair(ROBUST, built(["orders", "price"], ["orders"])).overlap,
		).toEqual({
			description: "both are built from orders",
			shared: ["orders"],
		});
	});

	it("names every caveat that applies, primary first", () => {
		const v = pair(TREND, built(["active_customers"])).verdict;
		expect(v.patterns).toEqual(["definitional_overlap", "shared_trend"]);
		expect(v.details[0]).toBe(
			"The month-to-month changes correlate at only 0.12: much of it is a shared trend.",
		);
	});

	it("stays a caveat when the levels do not correlate", () => {
		const v = pair(UNRELATED, built(["active_customers"])).verdict;
		expect(v.primary).toBe("none");
		expect(v.patterns).toEqual(["none", "definitional_overlap"]);
		expect(v.details[0]).toBe(
			"Revenue is built from active customers, so part of any correlation between them is arithmetic.",
		);
	});
});

describe("the verdict's determinism", () => {
	it("gives identical results, and identical JSON, for identical input", () => {
		const a = pair(SEASONAL);
		const b = pair(SEASONAL);
		expect(a).toEqual(b);
		expect(JSON.parse(JSON.stringify(a))).toEqual(a);
	});
});
