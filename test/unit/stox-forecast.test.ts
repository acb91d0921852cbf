import { describe, expect, it } from "vitest";
import { forecastDemand } from "../../src/inventory/forecast/select.ts";
import {
	randomWalkSeasonal40,
	trendSeasonal48,
} from "../fixtures/stox-series.ts";

const opts = { period: 12, horizon: 6, level: 0.9 };

describe("choosing the forecast method by demand class", () => {
	it("uses Holt–Winters for smooth demand with two full seasons", () => {
		const f = forecastDemand(trendSeasonal48, opts);
		expect(f.demandClass).toBe("smooth");
		expect(f.method).toBe("holt_winters");
		expect(f.points).toHaveLength(6);
		for (const p of f.points)
			expect(p.lower ?? Number.NaN).toBeLessThan(p.upper ?? Number.NaN);
		expect(f.reason).toBeNull();
	});

	it("uses SES or Holt, by AICc, with less than two seasons", () => {
		const f = forecastDemand(randomWalkSeasonal40.slice(0, 20), opts);
		expect(["ses", "holt"]).toContain(f.method);
		const ses = forecastDemand(randomWalkSeasonal40.slice(0, 20), {
			...opts,
			method: "ses",
		});
		const holt = forecastDemand(randomWalkSeasonal40.slice(0, 20), {
			...opts,
			method: "holt",
		});
		const best = (ses.ets?.aicc ?? 0) <= (holt.ets?.aicc ?? 0) ? "ses" : "holt";
		expect(f.method).toBe(best);
	});

	it("uses SBA for intermittent and lumpy demand", () => {
		const intermittent = [0, 0, 6, 0, 0, 0, 4, 0, 5, 0, 0, 3];
		const f = forecastDemand(intermittent, opts);
		expect(f.demandClass).toBe("intermittent");
		expect(f.method).toBe("sba");
		expect(forecastDemand([0, 1, 0, 0, 40, 0, 0, 2], opts).demandClass).toBe(
			"lumpy",
		);
		expect(forecastDemand([0, 1, 0, 0, 40, 0, 0, 2], opts).method).toBe("sba");
	});

	it("honours a requested method and says why when the data cannot carry it", () => {
		const f = forecastDemand(randomWalkSeasonal40.slice(0, 12), {
			...opts,
			method: "holt_winters",
		});
		expect(f.method).not.toBe("holt_winters");
		expect(f.reason).toMatch(
			/holt_winters needs two full seasons \(24 periods\), have 12/,
		);
		expect(
			forecastDemand(trendSeasonal48, { ...opts, method: "croston" }).method,
		).toBe("croston");
	});
});

describe("forecasts from bad input", () => {
	it("forecasts zero with a reason for an empty series", () => {
		const f = forecastDemand([], opts);
		expect(f).toMatchObject({
			method: "none",
			reason: "no demand history: forecast 0",
		});
		expect(f.points[0]).toEqual({ mean: 0, lower: null, upper: null });
	});

	it("forecasts zero with a reason when every period is zero", () => {
		expect(forecastDemand([0, 0, 0, 0], opts).reason).toBe(
			"no demand in the window: forecast 0",
		);
	});

	it("repeats a single data point without an interval", () => {
		const f = forecastDemand([7], opts);
		expect(f.method).toBe("naive");
		expect(f.points.every((p) => p.mean === 7 && p.lower === null)).toBe(true);
	});

	it("counts negative periods as zero, says so, and never returns NaN or a negative forecast", () => {
		const f = forecastDemand([10, -4, 12, Number.NaN, 11, 9, 13, 1, 0.5, 0.2], {
			...opts,
			horizon: 24,
		});
		expect(f.reason).toMatch(
			/2 negative or non-numeric period\(s\) counted as 0/,
		);
		for (const p of f.points) {
			expect(Number.isFinite(p.mean)).toBe(true);
			expect(p.mean).toBeGreaterThanOrEqual(0);
			expect(p.lower ?? 0).toBeGreaterThanOrEqual(0);
		}
	});

	it("handles a constant series with a zero-width interval", () => {
		const f = forecastDemand([5, 5, 5, 5, 5, 5, 5, 5], opts);
		for (const p of f.points) {
			expect(p.mean).toBeCloseTo(5, 9);
			expect((p.upper ?? 0) - (p.lower ?? 0)).toBeCloseTo(0, 6);
		}
	});

	it("rejects an interval level outside (0, 1), naming the key", () => {
		expect(() => forecastDemand([1, 2], { ...opts, level: 95 })).toThrow(
			/^intervalLevel must be a probability strictly between 0 and 1/,
		);
	});
});
