import { describe, expect, it } from "vitest";
import {
	bigPhi,
	normalInverse,
	normalLoss,
} from "../../src/inventory/normal.ts";

describe("standard normal helpers", () => {
	it("gives the loss function G(z) that scipy gives", () => {
		// scipy 1.10.1: norm.pdf(z) - z*norm.sf(z)
		const reference: [number, number][] = [
			[-3, 3.0003821543170477],
			[-1, 1.0833154705876864],
			[0, 0.3989422804014327],
			[0.5, 0.19779655740130603],
			[1.2815515655446004, 0.04734317537802668],
			[1.6448536269514722, 0.02089295902779771],
			[2.0537489106318225, 0.007343157668105595],
			[3, 0.00038215431704772835],
			[6, 1.5635697959711905e-10],
		];
		for (const [z, g] of reference)
			expect(Math.abs(normalLoss(z) - g)).toBeLessThanOrEqual(
				1e-12 * Math.max(1, g),
			);
		expect(normalLoss(6) / 1.5635697959711905e-10).toBeCloseTo(1, 9);
	});

	it("inverts the distribution function like scipy's norm.ppf to 1e-9", () => {
		// scipy 1.10.1: norm.ppf(p)
		const reference: [number, number][] = [
			[0.5, 0],
			[0.9, 1.2815515655446004],
			[0.95, 1.6448536269514722],
			[0.975, 1.959963984540054],
			[0.98, 2.0537489106318225],
			[0.99, 2.3263478740408408],
			[0.999, 3.090232306167813],
			[1e-6, -4.753424308822899],
		];
		for (const [p, z] of reference)
			expect(Math.abs(normalInverse(p) - z)).toBeLessThan(1e-9);
		// scipy: norm.cdf(0.5)
		expect(bigPhi(0.5)).toBeCloseTo(0.6914624612740131, 14);
	});
});
