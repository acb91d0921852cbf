import { describe, expect, it } from "vitest";
import {
	addPeriods,
	fillPeriods,
	periodStart,
	seriesWindow,
} from "../../src/metrics/index.ts";

describe("the catalog's calendar", () => {
	it("starts months on the 1st and weeks on Monday, as Postgres' date_trunc does", () => {
		expect(periodStart("2026-10-30", "month")).toBe("2026-10-01");
		expect(periodStart("2026-10-30", "week")).toBe("2026-10-26");
		expect(periodStart("2026-10-26", "week")).toBe("2026-10-26");
		expect(periodStart("2026-11-01", "week")).toBe("2026-10-26");
		expect(addPeriods("2026-01-01", "month", -3)).toBe("2025-10-01");
	});

	it("leaves out a trailing month the data only partly cover, but not one that ends on a Friday", () => {
		const partial = seriesWindow(
			{ min: "2010-12-01", max: "2011-12-09" },
			{},
			"month",
			true,
		);
		expect(partial?.last).toBe("2011-11-01");
		expect(partial?.periods).toHaveLength(12);
		const friday = seriesWindow(
			{ min: "2026-01-05", max: "2026-10-30" },
			{},
			"month",
			true,
		);
		expect(friday?.last).toBe("2026-10-01");
	});

	it("keeps the partial period when asked for it explicitly or for stock levels", () => {
		const data = { min: "2010-12-01", max: "2011-12-09" };
		expect(
			seriesWindow(data, { until: "2011-12-31" }, "month", true)?.last,
		).toBe("2011-12-01");
		expect(seriesWindow(data, {}, "month", false)?.last).toBe("2011-12-01");
	});

	it("clamps since and until to the data, so periods without data never read as zeros", () => {
		const w = seriesWindow(
			{ min: "2020-03-15", max: "2020-08-31" },
			{ since: "2000-01-01", until: "2030-01-01" },
			"month",
			true,
		);
		expect(w?.first).toBe("2020-03-01");
		expect(w?.last).toBe("2020-08-01");
		expect(w?.to).toBe("2020-09-01");
	});

	it("keeps only the last N periods when asked", () => {
		const w = seriesWindow(
			{ min: "2020-01-01", max: "2020-12-31" },
			{ last: 3 },
			"month",
			true,
		);
		expect(w?.periods).toEqual(["2020-10-01", "2020-11-01", "2020-12-01"]);
	});

	it("fills missing periods with 0 for flows and null for levels, and keeps a null row null", () => {
		const periods = ["2020-01-01", "2020-02-01", "2020-03-01"];
		const rows = [
			{ period: "2020-01-01", value: 5 },
			{ period: "2020-03-01", value: null },
		];
		expect(fillPeriods(rows, periods, true).map((p) => p.value)).toEqual([
			5,
			0,
			null,
		]);
		expect(fillPeriods(rows, periods, false).map((p) => p.value)).toEqual([
			5,
			null,
			null,
		]);
	});
});
