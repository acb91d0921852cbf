import { describe, expect, it } from "vitest";
import {
	classifyDemand,
	demandStatistics,
	weeklySums,
} from "../../src/inventory/demand.ts";

describe("demand statistics", () => {
	it("averages daily and weekly demand with zero days included", () => {
		// 14 days: two weeks summing to 21 and 35.
		const daily = [1, 2, 3, 4, 5, 6, 0, 5, 5, 5, 5, 5, 5, 5];
		const s = demandStatistics(daily);
		// numpy: mean = 56/14 = 4; np.std(daily, ddof=1) = 1.7974340685458343
		expect(s.avgDailyDemand).toBe(4);
		expect(s.dailyDemandStd).toBeCloseTo(1.7974340685458343, 12);
		expect(s.annualDemand).toBe(4 * 365);
		expect(s.avgWeeklyDemand).toBe(28);
		// np.std([21, 35], ddof=1) = 9.899494936611665
		expect(s.weeklyDemandStd).toBeCloseTo(9.899494936611665, 12);
		expect(s.demandDays).toBe(13);
		expect(s.reason).toBeNull();
	});

	it("keeps the most recent full weeks when the window is not a whole number of weeks", () => {
		expect(weeklySums([100, 1, 1, 1, 1, 1, 1, 1])).toEqual([7]);
	});

	it("counts negative and non-numeric days as zero and says so", () => {
		const s = demandStatistics([5, -3, Number.NaN, 5]);
		expect(s.totalUnits).toBe(10);
		expect(s.reason).toMatch(/2 negative or non-numeric day\(s\) counted as 0/);
		expect(Number.isNaN(s.dailyDemandStd)).toBe(false);
	});

	it("gives zeros and a reason for an empty series", () => {
		const s = demandStatistics([]);
		expect(s).toMatchObject({
			days: 0,
			avgDailyDemand: 0,
			dailyDemandStd: 0,
			avgWeeklyDemand: null,
			reason: "no demand data",
		});
		expect(s.classification.demandClass).toBe("none");
	});

	it("gives a zero deviation for a single data point", () => {
		const s = demandStatistics([7]);
		expect(s.avgDailyDemand).toBe(7);
		expect(s.dailyDemandStd).toBe(0);
		expect(s.classification).toMatchObject({
			adi: 1,
			cv2: 0,
			demandClass: "smooth",
		});
	});
});

describe("Syntetos–Boylan demand classes", () => {
	it("calls frequent, steady demand smooth", () => {
		// ADI = 4/4 = 1; sizes 10, 11, 9, 10: sd = 0.8165, CV² = 0.00667
		const c = classifyDemand([10, 11, 9, 10]);
		expect(c.demandClass).toBe("smooth");
		expect(c.cv2).toBeCloseTo((Math.sqrt(2 / 3) / 10) ** 2, 12);
	});

	it("calls frequent, variable demand erratic", () => {
		// sizes 1, 20, 1, 20: mean 10.5, sample sd 10.97, CV² = 1.0915
		expect(classifyDemand([1, 20, 1, 20]).demandClass).toBe("erratic");
	});

	it("calls rare, steady demand intermittent", () => {
		// ADI = 6/2 = 3 ≥ 1.32; CV² = 0
		expect(classifyDemand([0, 5, 0, 0, 5, 0])).toMatchObject({
			adi: 3,
			cv2: 0,
			demandClass: "intermittent",
		});
	});

	it("calls rare, variable demand lumpy", () => {
		expect(classifyDemand([0, 1, 0, 0, 30, 0]).demandClass).toBe("lumpy");
	});

	it("uses the cut-offs 1.32 and 0.49 as lower bounds of the intermittent and variable sides", () => {
		// 33 periods, 25 with demand: ADI = 1.32 exactly → not frequent.
		const series = [...Array(25).fill(4), ...Array(8).fill(0)];
		expect(classifyDemand(series).adi).toBeCloseTo(1.32, 12);
		expect(classifyDemand(series).demandClass).toBe("intermittent");
	});

	it("has no class, and says why, when there is no demand", () => {
		expect(classifyDemand([0, 0, 0])).toEqual({
			adi: null,
			cv2: null,
			demandClass: "none",
			reason: "no demand in the window",
		});
	});
});
