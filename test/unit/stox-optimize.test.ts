import { describe, expect, it } from "vitest";
import {
	leastSquares,
	nelderMeadUnitBox,
} from "../../src/inventory/forecast/optimize.ts";

describe("Nelder–Mead on the unit box", () => {
	it("finds an interior minimum", () => {
		const min = nelderMeadUnitBox(
			([a = 0, b = 0]) => (a - 0.3) ** 2 + 2 * (b - 0.7) ** 2,
			[0.5, 0.5],
		);
		expect(min.x[0]).toBeCloseTo(0.3, 5);
		expect(min.x[1]).toBeCloseTo(0.7, 5);
	});

	it("settles on a bound when the minimum lies outside the box", () => {
		const min = nelderMeadUnitBox(([a = 0]) => (a + 1) ** 2, [0.5]);
		expect(min.x[0]).toBe(0);
		expect(min.value).toBe(1);
	});
});

describe("least squares by QR", () => {
	it("fits a line through noisy points like the normal equations", () => {
		// y = 1 + 2x at x = 0…3 with residuals +0.1, −0.1, −0.1, +0.1: intercept 1, slope 2.
		const rows = [0, 1, 2, 3].map((x) => [1, x]);
		const theta = leastSquares(rows, [1.1, 2.9, 4.9, 7.1]);
		expect(theta[0]).toBeCloseTo(1, 12);
		expect(theta[1]).toBeCloseTo(2, 12);
	});

	it("gives a dependent column a zero coefficient instead of blowing up", () => {
		const theta = leastSquares(
			[
				[1, 2],
				[2, 4],
				[3, 6],
			],
			[1, 2, 3],
		);
		expect(theta[0]).toBeCloseTo(1, 12);
		expect(theta[1]).toBe(0);
	});
});
