import { describe, expect, it } from "vitest";
import {
	formatDate,
	formatDelta,
	formatValue,
} from "../../src/charts/format.ts";

describe("formatValue", () => {
	it("writes money compactly with at most three significant digits", () => {
		const money = { style: "currency" } as const;
		expect(formatValue(1_234_567, money)).toBe("$1.23M");
		expect(formatValue(1_200_000, money)).toBe("$1.2M");
		expect(formatValue(12_500_000, money)).toBe("$12.5M");
		expect(formatValue(3.4e13, money)).toBe("$34T");
		expect(formatValue(2_450_000_000, money)).toBe("$2.45B");
		expect(formatValue(999, money)).toBe("$999");
		expect(formatValue(12.5, money)).toBe("$12.5");
		expect(formatValue(0, money)).toBe("$0");
	});

	it("moves 999,999 up to the next unit instead of writing 1000K", () => {
		expect(formatValue(999_999, { style: "currency" })).toBe("$1M");
	});

	it("puts a minus sign before the currency symbol of a negative amount", () => {
		expect(formatValue(-2_500_000_000_000, { style: "currency" })).toBe(
			"−$2.5T",
		);
		expect(formatValue(-50_000, { style: "currency", symbol: "€" })).toBe(
			"−€50K",
		);
	});

	it("writes fractions as percentages with fewer decimals the larger they are", () => {
		const pct = { style: "percent" } as const;
		expect(formatValue(0.34, pct)).toBe("34%");
		expect(formatValue(0.034, pct)).toBe("3.4%");
		expect(formatValue(0.00046, pct)).toBe("0.05%");
		expect(formatValue(1, pct)).toBe("100%");
		expect(formatValue(-0.12, pct)).toBe("−12%");
	});

	it("groups counts with commas and adds the unit only where asked", () => {
		const units = { style: "count", unit: "units" } as const;
		expect(formatValue(1234, units)).toBe("1,234");
		expect(formatValue(1234, units, true)).toBe("1,234 units");
		expect(formatValue(12_345_678, units, true)).toBe("12.3M units");
		expect(formatValue(7, units)).toBe("7");
	});

	it("keeps tiny and huge plain numbers readable", () => {
		const n = { style: "number" } as const;
		expect(formatValue(0.00012, n)).toBe("0.00012");
		expect(formatValue(0.5, n)).toBe("0.5");
		expect(formatValue(3.2e-9, n)).toBe("3.2e-9");
		expect(formatValue(45_000, n)).toBe("45K");
		expect(formatValue(4500, n)).toBe("4,500");
		expect(formatValue(1.2e18, n)).toBe("1.2e18");
		expect(formatValue(999.9, { style: "currency" })).toBe("$1K");
	});

	it("writes a dash for a missing value", () => {
		expect(formatValue(null, { style: "currency" })).toBe("–");
		expect(formatValue(Number.NaN, { style: "percent" })).toBe("–");
	});
});

describe("formatDelta", () => {
	it("signs a change either way", () => {
		expect(formatDelta(0.124, { style: "percent" })).toBe("+12%");
		expect(formatDelta(-3400, { style: "currency" })).toBe("−$3.4K");
		expect(formatDelta(0, { style: "count" })).toBe("0");
	});
});

describe("formatDate", () => {
	const t = Date.UTC(2024, 5, 3, 14, 30);

	it("writes a date for its grain, short on axes and long in alt text", () => {
		expect(formatDate(t, "hour")).toBe("14:30");
		expect(formatDate(t, "hour", "long")).toBe("3 Jun 2024 14:30 UTC");
		expect(formatDate(t, "day")).toBe("Jun 3");
		expect(formatDate(t, "day", "long")).toBe("3 Jun 2024");
		expect(formatDate(t, "week")).toBe("Jun 3");
		expect(formatDate(t, "month")).toBe("Jun 2024");
		expect(formatDate(t, "quarter")).toBe("Q2 2024");
		expect(formatDate(t, "year")).toBe("2024");
	});

	it("reads dates in UTC, so midnight UTC on the 1st is that month everywhere", () => {
		expect(formatDate(new Date("2024-01-01T00:00:00Z"), "month")).toBe(
			"Jan 2024",
		);
	});

	it("writes a dash for an invalid date", () => {
		expect(formatDate(Number.NaN, "day")).toBe("–");
	});
});
