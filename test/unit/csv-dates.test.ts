import { describe, expect, it } from "vitest";
import { compileDateFormat } from "../../src/sources/csv-dates.ts";

describe("CSV date formats", () => {
	it("writes a time given without seconds with :00 seconds (it wrote NaN)", () => {
		const parse = compileDateFormat("M/D/YYYY H:mm");
		expect(parse("12/1/2010 8:26")).toBe("2010-12-01 08:26:00");
		expect(parse("2/29/2024 23:59")).toBe("2024-02-29 23:59:00");
	});

	it("reads every field it names, and a date alone as a date", () => {
		expect(
			compileDateFormat("DD.MM.YYYY HH:mm:ss")("05.03.2024 07:08:09"),
		).toBe("2024-03-05 07:08:09");
		expect(compileDateFormat("D/M/YYYY")("5/3/2024")).toBe("2024-03-05");
	});

	it("refuses impossible dates and times rather than rolling them over", () => {
		const parse = compileDateFormat("M/D/YYYY H:mm");
		expect(parse("2/30/2024 8:00")).toBeUndefined();
		expect(parse("13/1/2024 8:00")).toBeUndefined();
		expect(parse("1/1/2024 24:00")).toBeUndefined();
		expect(parse("1/1/2024 8:60")).toBeUndefined();
		expect(parse("2024-01-01 08:00")).toBeUndefined();
	});

	it("says what is wrong with a format", () => {
		expect(() => compileDateFormat("MM/YYYY")).toThrow(
			'date format "MM/YYYY" has no day',
		);
		expect(() => compileDateFormat("D/M/YYYY mm")).toThrow(
			"has minutes (mm) but no hour",
		);
		expect(() => compileDateFormat("D/D/YYYY")).toThrow("names the day twice");
	});
});
