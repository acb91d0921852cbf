import { describe, expect, it } from "vitest";
import {
	croston,
	crostonForecast,
} from "../../src/inventory/forecast/croston.ts";
import { intervalZ } from "../../src/inventory/forecast/select.ts";

// An intermittent series worked by hand, α = 0.2:
//   y = 0 0 6 0 0 0 4 0 5 0 0 3   (periods 1 … 12)
//   demands at t = 3, 7, 9, 12 → sizes 6, 4, 5, 3; intervals q = 3, 4, 2, 3
//   start:  z = 6,                              p = 3
//   t = 7:  z = 6 + 0.2(4 − 6) = 5.6,           p = 3 + 0.2(4 − 3) = 3.2
//   t = 9:  z = 5.6 + 0.2(5 − 5.6) = 5.48,      p = 3.2 + 0.2(2 − 3.2) = 2.96
//   t = 12: z = 5.48 + 0.2(3 − 5.48) = 4.984,   p = 2.96 + 0.2(3 − 2.96) = 2.968
//   Croston = z/p = 4.984 / 2.968 = 1.6792453;  SBA = (1 − 0.2/2)·z/p = 0.9 × 1.6792453 = 1.5113208
// One-step in-sample forecasts after the first demand (Croston): t = 4–7: 6/3 = 2; t = 8–9:
// 5.6/3.2 = 1.75; t = 10–12: 5.48/2.96 = 1.8513514. Squared errors over t = 4 … 12:
//   3·2² + (4−2)² + 1.75² + (5−1.75)² + 2·1.8513514² + (3−1.8513514)² = 37.7994 → MSE = 37.7994/9 = 4.1999330
// SBA multiplies each forecast by 0.9 → MSE 4.0114202 (Python: sum((y - 0.9*f)**2)/9).
const y = [0, 0, 6, 0, 0, 0, 4, 0, 5, 0, 0, 3];

describe("Croston and SBA", () => {
	it("smooths sizes and intervals separately, as worked by hand", () => {
		const fit = croston(y, "croston", 0.2);
		expect(fit.size).toBeCloseTo(4.984, 12);
		expect(fit.interval).toBeCloseTo(2.968, 12);
		expect(fit.rate).toBeCloseTo(4.984 / 2.968, 12);
		expect(fit.mse).toBeCloseTo(4.199933041149257, 10);
		expect(fit.reason).toBeNull();
	});

	it("scales Croston's rate by 1 − α/2 for the Syntetos–Boylan approximation", () => {
		const fit = croston(y, "sba", 0.2);
		expect(fit.rate).toBeCloseTo(1.5113207547169811, 12);
		expect(fit.mse).toBeCloseTo(4.011420237805373, 10);
	});

	it("gives a flat forecast with a ± z·√MSE interval floored at zero", () => {
		const fit = croston(y, "sba", 0.2);
		const points = crostonForecast(fit, 3, intervalZ(0.8));
		// z = norm.ppf(0.9) = 1.2815515655446004; half = 1.28155 × √4.0114202 = 2.5667653
		for (const p of points) {
			expect(p.mean).toBeCloseTo(1.5113207547169811, 12);
			expect(p.lower).toBe(0);
			expect(p.upper).toBeCloseTo(
				1.5113207547169811 + 1.2815515655446004 * Math.sqrt(4.011420237805373),
				10,
			);
		}
	});

	it("has no rate and says why when there is no demand", () => {
		expect(croston([0, 0, 0])).toMatchObject({
			rate: null,
			reason: "no demand in the window",
		});
	});

	it("has a rate but no interval when the only demand is in the last period", () => {
		const fit = croston([0, 0, 4], "croston", 0.1);
		expect(fit.rate).toBeCloseTo(4 / 3, 12);
		expect(fit.mse).toBeNull();
		expect(crostonForecast(fit, 1, 1.96)[0]).toEqual({
			mean: 4 / 3,
			lower: null,
			upper: null,
		});
	});
});
