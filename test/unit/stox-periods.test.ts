import { describe, expect, it } from "vitest";
import {
	bucketDaily,
	dayNumber,
	futurePeriods,
} from "../../src/inventory/periods.ts";

describe("calendar buckets", () => {
	it("sums full ISO weeks, Monday to Sunday, and drops the partial ones", () => {
		// 2023-12-30 is a Saturday; 2024-01-01 a Monday.
		const daily = Array.from({ length: 20 }, (_, i) => i);
		const b = bucketDaily(daily, "2023-12-30", "week");
		expect(b.starts).toEqual(["2024-01-01", "2024-01-08"]);
		expect(b.totals).toEqual([
			2 + 3 + 4 + 5 + 6 + 7 + 8,
			9 + 10 + 11 + 12 + 13 + 14 + 15,
		]);
		expect(b.droppedDays).toBe(6);
	});

	it("sums full calendar months, leap February included", () => {
		const b = bucketDaily(Array(60).fill(1), "2024-01-15", "month");
		expect(b).toEqual({
			starts: ["2024-02-01"],
			totals: [29],
			droppedDays: 31,
		});
	});

	it("lists the periods that follow the window with their lengths", () => {
		expect(futurePeriods("2024-01-16", "month", 3)).toEqual({
			starts: ["2024-02-01", "2024-03-01", "2024-04-01"],
			days: [29, 31, 30],
		});
		expect(futurePeriods("2024-01-01", "week", 2).starts).toEqual([
			"2024-01-01",
			"2024-01-08",
		]);
	});

	it("rejects a malformed date with the value it got", () => {
		expect(() => dayNumber("2024-02-30")).toThrow(
			'expected a date as YYYY-MM-DD, got "2024-02-30"',
		);
	});
});
