import { describe, expect, it } from "vitest";
import { dateFormatHint } from "../../src/ingest/fields.ts";
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

describe("the dateFormat hint on a date that failed", () => {
	it("names the format that reads it, and both when day and month could swap", () => {
		expect(dateFormatHint("25/12/2010 8:26")).toBe(
			'; if the source writes dates this way, give its column a dateFormat in the CSV connection, e.g. dateFormat: {<column>: "D/M/YYYY H:mm"}',
		);
		expect(dateFormatHint("12/1/2010 8:26")).toContain(
			'dateFormat: {<column>: "M/D/YYYY H:mm"} (it also fits "D/M/YYYY H:mm": check which comes first, day or month)',
		);
		expect(dateFormatHint("05.03.2024")).toContain('"D.M.YYYY"');
		expect(dateFormatHint("20240105")).toContain('"YYYYMMDD"');
	});

	it("says nothing when no common format reads the value", () => {
		expect(dateFormatHint("31/05/24")).toBe("");
		expect(dateFormatHint("2024-13-01")).toBe("");
		expect(dateFormatHint(45000)).toBe("");
	});
});
