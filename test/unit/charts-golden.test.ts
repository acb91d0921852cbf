import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createChartRenderer } from "../../src/charts/index.ts";
import { chartSamples, type SampleName } from "../fixtures/chart-samples.ts";
import { pngHeaderSize } from "../helpers/png.ts";

/**
 * Each sample chart must render to exactly the committed PNG. After an intended change to the
 * look, regenerate with: UPDATE_GOLDEN=1 npx vitest run test/unit/charts-golden
 * and eyeball the new files (or run node bench/chart-gallery.ts).
 */
const GOLDEN_DIR = path.resolve("test/fixtures/charts");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

/** PNG size in device pixels (2× the CSS size), and text the SVG must carry. */
const EXPECTED: Record<
	SampleName,
	{ width: number; height: number; text: string[] }
> = {
	"timeseries-alert": {
		width: 960,
		height: 560,
		text: ["Revenue by month", "$1.8M", "2024", "Alert below $1.9M", "$1.64M"],
	},
	"timeseries-multi": {
		width: 960,
		height: 560,
		text: [
			"Weekly orders by channel",
			"Distributors",
			"Web shop",
			"1,000",
			"Jul 2024",
		],
	},
	"dual-axis": {
		width: 960,
		height: 560,
		text: [
			"Revenue and active customers",
			"Active customers",
			"$1.8M",
			"600",
			"2025",
		],
	},
	scatter: {
		width: 960,
		height: 560,
		text: [
			"Revenue vs active customers",
			"r = 0.9",
			"n = 36",
			"Active customers",
			"$1.8M",
		],
	},
	"waterfall-explain": {
		width: 960,
		height: 596,
		text: [
			"Margin % in West: what moved it, by category",
			"Sep 2026",
			"28.5%",
			"−3.1 pts",
			"+0.4 pts",
			"13.7%",
		],
	},
	"bar-top": {
		width: 960,
		height: 660,
		text: [
			"Top customers by revenue, last 12 months",
			"Top 10 of 12",
			"Northwind Traders",
			"$2.45M",
			"Contoso Pharmaceutical…",
		],
	},
	cohort: {
		width: 960,
		height: 560,
		text: [
			"Customer retention by first-order month",
			"Months since start",
			"Jan 2025 (120)",
			"100%",
			"56%",
		],
	},
	forecast: {
		width: 960,
		height: 560,
		text: [
			"Revenue forecast, next 6 months",
			"dashed: forecast",
			"2026",
			"$2.2M",
		],
	},
	sparkline: {
		width: 640,
		height: 240,
		text: ["Revenue this week", "$60.8K", "vs last week"],
	},
	"small-multiples": {
		width: 962,
		height: 590,
		text: ["Gross margin by region", "North", "Online", "30%", "2025"],
	},
	"edge-empty": {
		width: 960,
		height: 560,
		text: ["Returns by month", "No data for this period"],
	},
	"edge-one-point": {
		width: 960,
		height: 560,
		text: ["Revenue, first month of data", "$1.23M", "Jun 2025"],
	},
	"edge-gaps-negative": {
		width: 960,
		height: 560,
		text: ["Net cash flow", "−$50K", "$150K", "Mar 2025"],
	},
	"edge-huge": {
		width: 960,
		height: 372,
		text: ["National debt by country (USD)", "$34T", "$42M", "−$2.5T"],
	},
	"edge-tiny": {
		width: 960,
		height: 560,
		text: ["Defect rate per unit", "0.00012", "0.00008", "Mar 9"],
	},
	"edge-5000-points": {
		width: 960,
		height: 560,
		text: ["5,000 hourly points", "400", "−100", "Apr 2025"],
	},
	"edge-non-latin": {
		width: 960,
		height: 560,
		text: [
			"Выручка по регионам",
			"Έσοδα ανά περιοχή",
			"地区收入",
			"Москва",
			"Αθήνα",
			"€350K",
		],
	},
};

const renderer = createChartRenderer();
const written: string[] = [];

afterAll(async () => {
	await renderer.close();
	if (written.length)
		console.log(`wrote ${written.length} golden PNGs to ${GOLDEN_DIR}`);
});

describe("every sample chart", () => {
	for (const [name, input] of Object.entries(chartSamples()) as [
		SampleName,
		ReturnType<typeof chartSamples>[SampleName],
	][]) {
		it(`${name} renders to the committed golden PNG, with its title and axis labels in the SVG`, async () => {
			const result = await renderer.render(input);
			if (!result.ok) throw new Error(result.error);
			const expected = EXPECTED[name];
			expect(pngHeaderSize(result.png)).toEqual({
				width: expected.width,
				height: expected.height,
			});
			expect({ width: result.width, height: result.height }).toEqual({
				width: expected.width,
				height: expected.height,
			});
			for (const text of expected.text) expect(result.svg).toContain(text);
			expect(result.alt).toContain(input.title);

			const file = path.join(GOLDEN_DIR, `${name}.png`);
			if (UPDATE) {
				writeFileSync(file, result.png);
				written.push(file);
				return;
			}
			if (!existsSync(file)) {
				throw new Error(
					`no golden file ${file}; create it with UPDATE_GOLDEN=1 npx vitest run test/unit/charts-golden`,
				);
			}
			expect(
				result.png.equals(readFileSync(file)),
				`${name}.png differs from the golden file`,
			).toBe(true);
		});
	}

	it("renders the same bytes whatever the machine's time zone", async () => {
		const before = process.env.TZ;
		const input = chartSamples()["timeseries-alert"];
		try {
			process.env.TZ = "UTC";
			const utc = await renderer.render(input);
			process.env.TZ = "Asia/Kathmandu";
			const kathmandu = await renderer.render(input);
			process.env.TZ = "America/Los_Angeles";
			const la = await renderer.render(input);
			if (!utc.ok || !kathmandu.ok || !la.ok) throw new Error("render failed");
			expect(kathmandu.png.equals(utc.png)).toBe(true);
			expect(la.png.equals(utc.png)).toBe(true);
		} finally {
			if (before === undefined) delete process.env.TZ;
			else process.env.TZ = before;
		}
	});
});
