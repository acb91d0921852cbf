import { describe, expect, it } from "vitest";
import {
	altText,
	describeSeries,
	MAX_ALT_LENGTH,
} from "../../src/charts/alt.ts";
import {
	cleanPoints,
	downsampleMinMax,
	GRAIN_MS,
	timeTicks,
} from "../../src/charts/data.ts";
import { chartFontFiles, loadTextMeasurer } from "../../src/charts/font.ts";
import { linearFit } from "../../src/charts/stats.ts";
import { truncateToWidth } from "../../src/charts/text.ts";

const measure = loadTextMeasurer(chartFontFiles());

describe("cleanPoints", () => {
	it("drops invalid times, turns NaN and Infinity into gaps, and sorts by time", () => {
		const points = cleanPoints([
			{ t: "2024-03-01", value: 3 },
			{ t: "not a date", value: 9 },
			{ t: Date.UTC(2024, 0, 1), value: Number.NaN },
			{ t: new Date(Date.UTC(2024, 1, 1)), value: Number.POSITIVE_INFINITY },
		]);
		expect(points).toEqual([
			{ t: Date.UTC(2024, 0, 1), value: null },
			{ t: Date.UTC(2024, 1, 1), value: null },
			{ t: Date.UTC(2024, 2, 1), value: 3 },
		]);
	});
});

describe("downsampleMinMax", () => {
	const series = Array.from({ length: 10_000 }, (_, i) => ({
		t: i,
		value:
			i === 7777
				? 1e6
				: i === 1234
					? -1e6
					: i >= 5000 && i < 5003
						? null
						: Math.sin(i / 50),
	}));

	it("keeps no more points than asked for", () => {
		expect(downsampleMinMax(series, 600).length).toBeLessThanOrEqual(600);
	});

	it("keeps the extremes, the first and the last point", () => {
		const out = downsampleMinMax(series, 600);
		const values = out.map((p) => p.value);
		expect(values).toContain(1e6);
		expect(values).toContain(-1e6);
		expect(out[0]).toEqual(series[0]);
		expect(out[out.length - 1]).toEqual(series[series.length - 1]);
	});

	it("keeps a gap so the line still breaks where data was missing", () => {
		expect(downsampleMinMax(series, 600).some((p) => p.value === null)).toBe(
			true,
		);
	});

	it("keeps points in time order", () => {
		const ts = downsampleMinMax(series, 600).map((p) => p.t);
		expect(ts).toEqual([...ts].sort((a, b) => a - b));
	});

	it("returns a short series unchanged", () => {
		expect(downsampleMinMax(series.slice(0, 10), 600)).toEqual(
			series.slice(0, 10),
		);
	});
});

describe("timeTicks", () => {
	const width = (labelWidth: number) => () => labelWidth;

	it("never ticks finer than the data's grain", () => {
		const ticks = timeTicks(3 * GRAIN_MS.month, "month", 2000, width(10));
		expect(ticks).toMatchObject({
			interval: "month",
			step: 1,
			labelGrain: "month",
		});
	});

	it("steps up to years when monthly labels would not fit", () => {
		const ticks = timeTicks(36 * GRAIN_MS.month, "month", 400, width(80));
		expect(ticks).toMatchObject({
			interval: "year",
			step: 1,
			labelGrain: "year",
		});
	});

	it("labels quarterly ticks as quarters only for quarterly data", () => {
		expect(
			timeTicks(8 * GRAIN_MS.quarter, "quarter", 600, width(60)).labelGrain,
		).toBe("quarter");
		expect(
			timeTicks(24 * GRAIN_MS.month, "month", 700, width(80)).labelGrain,
		).toBe("month");
	});
});

describe("linearFit", () => {
	it("finds the line and r of exactly linear data", () => {
		const fit = linearFit([1, 2, 3, 4].map((x) => ({ x, y: 2 * x + 1 })));
		expect(fit?.slope).toBeCloseTo(2);
		expect(fit?.intercept).toBeCloseTo(1);
		expect(fit?.r).toBeCloseTo(1);
	});

	it("gives no fit for one point or for values that do not vary", () => {
		expect(linearFit([{ x: 1, y: 1 }])).toBeNull();
		expect(linearFit([1, 2, 3].map((x) => ({ x, y: 5 })))).toBeNull();
		expect(linearFit([1, 1, 1].map((y) => ({ x: 7, y })))).toBeNull();
	});

	it("stays accurate for huge magnitudes", () => {
		const fit = linearFit(
			[1, 2, 3, 4, 5].map((i) => ({ x: 1e12 + i, y: -(1e12 + i) })),
		);
		expect(fit?.r).toBeCloseTo(-1);
	});
});

describe("text measurement and truncation", () => {
	it("measures with the shipped font, bold wider than regular", () => {
		const regular = measure.width("Revenue by month", 12);
		expect(regular).toBeGreaterThan(80);
		expect(regular).toBeLessThan(120);
		expect(measure.width("Revenue by month", 12, true)).toBeGreaterThan(
			regular,
		);
	});

	it("covers Latin, Greek and Cyrillic but not CJK", () => {
		expect(measure.covers("Zürich Αθήνα Москва ÅÇØ")).toBe(true);
		expect(measure.covers("東京")).toBe(false);
	});

	it("cuts a long label to the width and ends it with an ellipsis", () => {
		const long =
			"Contoso Pharmaceuticals International Holdings Group (Europe, Middle East & Africa)";
		const cut = truncateToWidth(long, 150, 12, measure);
		expect(cut.endsWith("…")).toBe(true);
		expect(measure.width(cut, 12)).toBeLessThanOrEqual(150);
		expect(truncateToWidth("Fabrikam", 150, 12, measure)).toBe("Fabrikam");
	});

	it("never cuts a non-Latin character in half", () => {
		const cut = truncateToWidth(
			"Έσοδα ανά περιοχή 😀😀😀😀😀😀😀😀",
			120,
			12,
			measure,
		);
		expect(cut.endsWith("…")).toBe(true);
		expect(cut.isWellFormed()).toBe(true);
	});

	it("flattens newlines and control characters in labels", () => {
		expect(truncateToWidth("North\n\tregion\u0007", 500, 12, measure)).toBe(
			"North region",
		);
	});
});

describe("alt text", () => {
	it("says the range, the low, the high and the latest value of a series", () => {
		const points = cleanPoints([
			{ t: "2024-01-01", value: 1_000_000 },
			{ t: "2024-02-01", value: 2_100_000 },
			{ t: "2024-03-01", value: null },
			{ t: "2024-04-01", value: 1_900_000 },
		]);
		expect(
			describeSeries("Revenue", points, { style: "currency" }, "month"),
		).toBe(
			"Revenue, Jan 2024 to Apr 2024: low $1M (Jan 2024), high $2.1M (Feb 2024), latest $1.9M (Apr 2024). 1 missing.",
		);
	});

	it("stays within its length limit", () => {
		expect(altText("x".repeat(5000)).length).toBeLessThanOrEqual(
			MAX_ALT_LENGTH,
		);
	});
});
