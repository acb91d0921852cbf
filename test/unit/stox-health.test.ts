import { describe, expect, it } from "vitest";
import {
	excessAndObsolete,
	expectedFillRate,
	observedFillRate,
	stockHealth,
	stockoutIncidents,
} from "../../src/inventory/health.ts";
import { computePolicy } from "../../src/inventory/policy.ts";
import { workedExample } from "../fixtures/stox.ts";

const base = {
	currentOnHand: 100,
	unitCost: 2,
	avgDailyDemand: 1,
	excessCoverDays: 30,
	obsoleteDays: 5,
};

describe("fill rate", () => {
	it("expects 1 − G(z)σ_LT/Q from the policy", () => {
		// scipy 1.10.1: 1 - (norm.pdf(z) - z*norm.sf(z)) * 85.44003745317531 / 540.3702434442519
		//   with z = norm.ppf(0.95) → 0.9966965331205792
		const rate = expectedFillRate(computePolicy(workedExample));
		expect(rate.value).toBeCloseTo(0.9966965331205792, 12);
	});

	it("has no expected fill rate, with a reason, when there is no EOQ", () => {
		const rate = expectedFillRate(
			computePolicy({ ...workedExample, unitCost: null }),
		);
		expect(rate).toEqual({
			value: null,
			reason: "no EOQ: fill rate per cycle undefined",
		});
	});

	it("observes units served from the stock on hand at the start of each day", () => {
		// day 1: 5 of 5; day 2: 3 of 5; day 3 skipped (no snapshot); day 4: 0 of 10 → 8/20
		const rate = observedFillRate({
			demand: [5, 5, 7, 10],
			onHand: [20, 3, null, 0],
		});
		expect(rate.value).toBe(0.4);
	});

	it("has no observed fill rate when nothing was demanded", () => {
		expect(
			observedFillRate({ demand: [0, 0], onHand: [1, 1] }).value,
		).toBeNull();
	});
});

describe("stock-out incidents", () => {
	const history = {
		demand: [1, 2, 0, 0, 1, 0, 0, 3, 3, 1],
		onHand: [5, 0, 0, 4, 0, 0, 2, 0, null, 0],
	};

	it("counts distinct runs of zero stock that met demand", () => {
		// runs at zero: days 2-3 (demand on day 2), 5-6 (demand on day 5), 8 (demand), 10 (demand);
		// day 9 has no snapshot, so it ends the run of day 8.
		expect(stockoutIncidents(history).value).toBe(4);
		expect(
			stockoutIncidents({ demand: [0, 0, 1], onHand: [0, 0, 5] }).value,
		).toBe(0);
	});

	it("counts every run of zero stock under the any_zero rule", () => {
		expect(
			stockoutIncidents({ demand: [0, 0, 1], onHand: [0, 0, 5] }, "any_zero")
				.value,
		).toBe(1);
	});

	it("has no count, with a reason, without stock snapshots", () => {
		expect(stockoutIncidents({ demand: [1], onHand: [null] })).toEqual({
			value: null,
			reason: "no stock snapshots",
		});
	});
});

describe("excess and obsolete stock", () => {
	it("values the units above the demand cover as excess", () => {
		// cover 30 days × 1/day = 30 units; 70 units above × 2 = 140
		expect(excessAndObsolete(base, [1, 1, 1, 1, 1, 1])).toEqual({
			excessValue: 140,
			obsoleteValue: 0,
			reason: null,
		});
	});

	it("values all stock as obsolete, and none as excess, after the idle days", () => {
		expect(excessAndObsolete(base, [3, 0, 0, 0, 0, 0])).toMatchObject({
			excessValue: 0,
			obsoleteValue: 200,
		});
	});

	it("does not judge obsolescence on a window shorter than the idle days", () => {
		const r = excessAndObsolete(base, [0, 0]);
		expect(r.obsoleteValue).toBe(0);
		expect(r.reason).toMatch(/window shorter than 5 days/);
	});

	it("gives null values, with a reason, without a unit cost, and takes negative stock as zero", () => {
		expect(excessAndObsolete({ ...base, unitCost: null }, [1]).reason).toBe(
			"unit cost missing or negative",
		);
		expect(
			excessAndObsolete({ ...base, currentOnHand: -4 }, [1, 1, 1, 1, 1]),
		).toMatchObject({ excessValue: 0 });
	});
});

describe("stock health", () => {
	it("gathers every figure and every reason for one material", () => {
		const h = stockHealth(base, null, {
			demand: [0, 0, 0, 0, 0],
			onHand: [100, 100, 100, 100, 100],
		});
		expect(h).toMatchObject({
			expectedFillRate: null,
			observedFillRate: null,
			stockoutIncidents: 0,
			obsoleteValue: 200,
		});
		expect(h.reason).toBe("no policy; no demand on days with a stock snapshot");
	});
});
