import { describe, expect, it } from "vitest";
import {
	parseStoxConfig,
	serviceLevelFor,
} from "../../src/inventory/config.ts";

describe("stox config block", () => {
	it("defaults service levels to A 98 %, B 95 %, C 90 %", () => {
		const config = parseStoxConfig(undefined);
		expect(config.serviceLevels).toEqual({
			A: 0.98,
			B: 0.95,
			C: 0.9,
			default: 0.95,
		});
		expect(config.projection).toEqual({
			granularity: "month",
			horizon: 12,
			intervalLevel: 0.95,
		});
		expect(serviceLevelFor(config, "C")).toBe(0.9);
		expect(serviceLevelFor(config, null)).toBe(0.95);
	});

	it("rejects a service level outside (0, 1) naming the key", () => {
		expect(() => parseStoxConfig({ serviceLevels: { A: 98 } })).toThrow(
			"stox.serviceLevels.A: expected a number strictly between 0 and 1, e.g. 0.95",
		);
		expect(() => parseStoxConfig({ projection: { intervalLevel: 1 } })).toThrow(
			/^stox\.projection\.intervalLevel: /,
		);
	});

	it("names unknown keys and bad day counts", () => {
		expect(() =>
			parseStoxConfig({ obsoleteDay: 3, excessCoverDays: 0 }),
		).toThrow(
			"stox.excessCoverDays: expected at least 1 day\nstox.obsoleteDay: unknown key; remove it or check its spelling",
		);
	});
});
