import { describe, expect, it } from "vitest";
import { annualCost, workingCapital } from "../../src/inventory/cost.ts";
import { computePolicy } from "../../src/inventory/policy.ts";
import { workedExample } from "../fixtures/stox.ts";

// Worked example: D = 40·365 = 14,600, S = 100, H = 25 % × 40 = 10, SS = 140.536, z = 1.64485.
// Python (scipy 1.10.1):
//   Q = sqrt(2*14600*100/10) = 540.3702434442519
//   ordering = D/Q*S = 2701.851217221259; holding = (Q/2+SS)*H = 4107.21477213851
//   G = norm.pdf(z) - z*norm.sf(z) = 0.02089295902779771; short/cycle = G*85.44003745 = 1.7850952018426935
//   shortage at 5/unit = 1.78509520*D/Q*5 = 241.1530821977255; total = 7050.219071557495
//   average inventory = Q/2+SS = 410.72147721385096 units, value 16428.85908855404
//   turnover = D*40/value = 35.547203664731164; days on hand = 365/turnover = 10.268036930346273
describe("annual cost", () => {
	it("splits the worked example into ordering, holding and shortage cost", () => {
		const cost = annualCost(14_600, computePolicy(workedExample), 5);
		expect(cost.orderingCost).toBeCloseTo(2701.851217221259, 8);
		expect(cost.holdingCost).toBeCloseTo(4107.21477213851, 8);
		expect(cost.expectedShortPerCycle).toBeCloseTo(1.7850952018426935, 10);
		expect(cost.shortageCost).toBeCloseTo(241.1530821977255, 8);
		expect(cost.totalCost).toBeCloseTo(7050.219071557495, 8);
		expect(cost.reason).toBeNull();
	});

	it("leaves shortage cost null, and out of the total, when no shortage cost is given", () => {
		const cost = annualCost(14_600, computePolicy(workedExample));
		expect(cost.shortageCost).toBeNull();
		expect(cost.totalCost).toBeCloseTo(2701.851217221259 + 4107.21477213851, 8);
		expect(cost.reason).toBe("no shortage cost given");
	});

	it("is all null with the EOQ's reason for an item with no demand", () => {
		const policy = computePolicy({
			...workedExample,
			annualDemand: 0,
			avgDailyDemand: 0,
		});
		const cost = annualCost(0, policy, 5);
		expect(cost).toMatchObject({
			orderingCost: null,
			holdingCost: null,
			totalCost: null,
		});
		expect(cost.reason).toMatch(/no demand in the window/);
	});
});

describe("working capital", () => {
	it("uses Q/2 + SS as the average inventory when no stock snapshots are given", () => {
		const wc = workingCapital(
			{ annualDemand: 14_600, unitCost: 40 },
			computePolicy(workedExample),
		);
		expect(wc.basis).toBe("policy");
		expect(wc.avgInventoryUnits).toBeCloseTo(410.72147721385096, 9);
		expect(wc.inventoryValue).toBeCloseTo(16428.85908855404, 8);
		expect(wc.turnoverRatio).toBeCloseTo(35.547203664731164, 9);
		expect(wc.daysOnHand).toBeCloseTo(10.268036930346273, 9);
	});

	it("prefers the observed average on hand and the given COGS", () => {
		// 500 units × 40 = 20,000; turnover 400,000 / 20,000 = 20; days on hand 365 / 20 = 18.25
		const wc = workingCapital(
			{
				annualDemand: 14_600,
				unitCost: 40,
				observedAvgInventoryUnits: 500,
				annualCogs: 400_000,
			},
			computePolicy(workedExample),
		);
		expect(wc).toMatchObject({
			basis: "observed",
			inventoryValue: 20_000,
			turnoverRatio: 20,
			daysOnHand: 18.25,
		});
	});

	it("gives no turnover, with a reason, for stock that has no demand", () => {
		const wc = workingCapital(
			{ annualDemand: 0, unitCost: 40, observedAvgInventoryUnits: 10 },
			null,
		);
		expect(wc.inventoryValue).toBe(400);
		expect(wc.turnoverRatio).toBeNull();
		expect(wc.daysOnHand).toBeNull();
		expect(wc.reason).toBe("no demand: inventory does not turn");
	});

	it("gives no value, with a reason, when the unit cost is missing or zero stock is held", () => {
		expect(
			workingCapital(
				{ annualDemand: 100, unitCost: null, observedAvgInventoryUnits: 10 },
				null,
			).reason,
		).toBe("unit cost missing or negative");
		const zero = workingCapital(
			{ annualDemand: 100, unitCost: 3, observedAvgInventoryUnits: 0 },
			null,
		);
		expect(zero.turnoverRatio).toBeNull();
		expect(zero.reason).toMatch(/turnover undefined/);
	});
});
