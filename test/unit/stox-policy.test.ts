import { describe, expect, it } from "vitest";
import {
	computePolicy,
	eoq,
	reorderPoint,
	safetyStock,
	serviceLevelZ,
} from "../../src/inventory/policy.ts";
import { workedExample } from "../fixtures/stox.ts";

describe("economic order quantity", () => {
	it("is √(2DS/H): D = 10,000, S = 100, H = 10 gives 447.21 units and 22.36 orders a year", () => {
		// √(2·10000·100/10) = √200000 = 447.2135955 (by hand; Python math.sqrt)
		const lot = eoq(10_000, 100, 10);
		expect(lot.eoq).toBeCloseTo(447.2135955, 6);
		expect(lot.ordersPerYear).toBeCloseTo(10_000 / 447.2135955, 6);
		expect(lot.reason).toBeNull();
	});

	it("is null with a reason when there is no demand in the window", () => {
		expect(eoq(0, 100, 10)).toMatchObject({
			eoq: null,
			ordersPerYear: null,
			reason: "no demand in the window",
		});
	});

	it("is null with a reason when the unit cost is zero, so holding cost is zero", () => {
		const policy = computePolicy({ ...workedExample, unitCost: 0 });
		expect(policy.lotSize.eoq).toBeNull();
		expect(policy.lotSize.reason).toMatch(
			/holding cost per unit is not positive/,
		);
	});

	it("is null with a reason for negative demand or a zero ordering cost, never NaN", () => {
		expect(eoq(-5, 100, 10).reason).toBe("annual demand is negative");
		expect(eoq(100, 0, 10).reason).toMatch(/ordering cost is 0/);
		expect(eoq(100, 10, Number.NaN).eoq).toBeNull();
	});
});

describe("safety stock and reorder point", () => {
	it("gives 140.54 units of safety stock and a reorder point of 500.54 for the worked example", () => {
		// z = norm.ppf(0.95) = 1.6448536269514722 (scipy 1.10.1)
		// σ_LT = √(9·10² + 40²·2²) = √7300 = 85.44003745
		// SS = 1.6448536 × 85.44003745 = 140.5363555; ROP = 40·9 + SS = 500.5363555
		const policy = computePolicy(workedExample);
		expect(policy.safetyStock.safetyStock).toBeCloseTo(140.5363555, 6);
		expect(policy.safetyStock.leadTimeDemandStd).toBeCloseTo(85.44003745, 7);
		expect(policy.safetyStock.method).toBe("statistical");
		expect(policy.reorderPoint.reorderPoint).toBeCloseTo(500.5363555, 6);
		expect(policy.reorderPoint.leadTimeDemand).toBe(360);
		expect(policy.reason).toBeNull();
	});

	it("treats an unknown lead-time deviation as zero and records that method", () => {
		const ss = safetyStock(serviceLevelZ(0.95), 40, 10, 9, null);
		// 1.6448536269514722 × √(9·100) = 1.6448536269514722 × 30
		expect(ss.safetyStock).toBeCloseTo(49.34560880854417, 9);
		expect(ss.method).toBe("statistical_fixed_lead_time");
		expect(ss.reason).toMatch(/lead time variability unknown/);
	});

	it("gives no safety stock or reorder point, with a reason, when the lead time is missing", () => {
		const policy = computePolicy({ ...workedExample, leadTimeDays: null });
		expect(policy.safetyStock).toMatchObject({
			safetyStock: null,
			method: "none",
		});
		expect(policy.reorderPoint.reorderPoint).toBeNull();
		expect(policy.reason).toMatch(/lead time missing/);
		expect(policy.lotSize.eoq).not.toBeNull();
	});

	it("gives no reorder point for negative demand or lead time", () => {
		expect(reorderPoint(-1, 9, 10).reorderPoint).toBeNull();
		expect(reorderPoint(40, -9, 10).reason).toMatch(/lead time/);
	});

	it("has zero safety stock for an item with no demand, not NaN", () => {
		const policy = computePolicy({
			...workedExample,
			annualDemand: 0,
			avgDailyDemand: 0,
			dailyDemandStd: 0,
			leadTimeStdDays: 0,
		});
		expect(policy.safetyStock.safetyStock).toBe(0);
		expect(policy.reorderPoint.reorderPoint).toBe(0);
		expect(policy.lotSize.reason).toBe("no demand in the window");
	});

	it("rejects a service level outside (0, 1) with a message that names the key", () => {
		for (const bad of [0, 1, 95, -0.1, Number.NaN])
			expect(() =>
				computePolicy({ ...workedExample, serviceLevel: bad }),
			).toThrow(/serviceLevel must be a probability strictly between 0 and 1/);
		expect(() => serviceLevelZ(1.5, "stox.serviceLevels.A")).toThrow(
			/^stox\.serviceLevels\.A must be/,
		);
	});
});
