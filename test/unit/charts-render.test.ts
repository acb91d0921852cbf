import { afterAll, describe, expect, it } from "vitest";
import { chartFontFiles } from "../../src/charts/font.ts";
import {
	type ChartInput,
	type ChartResult,
	createChartRenderer,
	renderChart,
} from "../../src/charts/index.ts";
import { createRasterizer } from "../../src/charts/raster.ts";
import { chartSamples } from "../fixtures/chart-samples.ts";
import { decodePng, inkPixels, pngHeaderSize } from "../helpers/png.ts";

const renderer = createChartRenderer();
const samples = chartSamples();
const rasterizer = createRasterizer(chartFontFiles());
const rasterize = (svg: string, scale = 2) => rasterizer.rasterize(svg, scale);

afterAll(async () => {
	await renderer.close();
	await rasterizer.close();
});

async function drawn(
	input: ChartInput,
): Promise<Extract<ChartResult, { ok: true }>> {
	const result = await renderer.render(input);
	if (!result.ok) throw new Error(`expected a chart, got: ${result.error}`);
	return result;
}

function textSvg(text: string, family = "sans-serif"): string {
	return `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40"><text x="8" y="28" font-family="${family}" font-size="22">${text}</text></svg>`;
}

/** Every `d` of the line marks in an SVG (vega draws a line as one path). */
function linePaths(svg: string): string[] {
	const group =
		svg.match(/<g class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/gs) ?? [];
	return group.flatMap((g) =>
		[...g.matchAll(/ d="([^"]+)"/g)].map((m) => m[1] ?? ""),
	);
}

describe("text in the PNG", () => {
	it("turns SVG text into glyph pixels with the shipped font, even for the generic sans-serif", async () => {
		for (const family of ["sans-serif", "DejaVu Sans", "Helvetica"]) {
			const { png } = await rasterize(textSvg("Revenue $1.2M", family));
			expect(inkPixels(decodePng(png)), family).toBeGreaterThan(300);
		}
	});

	it("draws a chart's title, labels and ticks: removing the text removes ink", async () => {
		const chart = await drawn(samples["timeseries-alert"]);
		const withoutText = chart.svg.replace(/<text\b[^>]*>.*?<\/text>/gs, "");
		const bare = await rasterize(withoutText);
		const full = decodePng(chart.png);
		const titleBox = { x: 0, y: 0, width: full.width, height: 100 };
		expect(inkPixels(full, titleBox)).toBeGreaterThan(2000);
		expect(inkPixels(decodePng(bare.png), titleBox)).toBeLessThan(50);
		expect(inkPixels(full)).toBeGreaterThan(
			inkPixels(decodePng(bare.png)) + 5000,
		);
	});

	it("draws real Greek and Cyrillic glyphs, but CJK only as the font's empty box", async () => {
		const pixels = async (text: string) =>
			(await rasterize(textSvg(text), 1)).png;
		// Two different letters rasterise differently only when the font has glyphs for them.
		expect((await pixels("ДДДД")).equals(await pixels("ЖЖЖЖ"))).toBe(false);
		expect((await pixels("ΣΣΣΣ")).equals(await pixels("ΩΩΩΩ"))).toBe(false);
		expect((await pixels("東東東東")).equals(await pixels("京京京京"))).toBe(
			true,
		);
	});

	it("makes the PNG twice the chart's CSS size by default, and honours another scale", async () => {
		const input = { ...samples.sparkline, width: 300, height: 100 };
		expect(pngHeaderSize((await drawn(input)).png)).toEqual({
			width: 600,
			height: 200,
		});
		const once = await renderChart(input, { scale: 1 });
		expect(once.ok && pngHeaderSize(once.png)).toEqual({
			width: 300,
			height: 100,
		});
	});
});

describe("awkward data", () => {
	it("draws an empty series as its title and a 'No data' note", async () => {
		const chart = await drawn(samples["edge-empty"]);
		expect(chart.svg).toContain("No data for this period");
		expect(chart.alt).toBe("Returns by month: no data for this period.");
	});

	it("draws a single point as a dot in the middle of a one-period axis", async () => {
		const chart = await drawn(samples["edge-one-point"]);
		expect(chart.svg).toContain("mark-symbol");
		expect(chart.alt).toContain("one value, $1.23M (Jun 2025)");
	});

	it("breaks the line at missing values and still shows isolated points", async () => {
		const chart = await drawn(samples["edge-gaps-negative"]);
		const [path = ""] = linePaths(chart.svg);
		expect(path.match(/M/g)?.length).toBeGreaterThanOrEqual(3);
		expect(chart.svg).toContain("mark-symbol");
		expect(chart.alt).toContain("6 missing");
	});

	it("thins 5,000 points for drawing but keeps the spike and the dip", async () => {
		const chart = await drawn(samples["edge-5000-points"]);
		const [path = ""] = linePaths(chart.svg);
		const vertices = path.match(/[ML]/g)?.length ?? 0;
		expect(vertices).toBeGreaterThan(100);
		expect(vertices).toBeLessThanOrEqual(600);
		expect(chart.alt).toContain("high 400");
		expect(chart.alt).toContain("low −150");
	});

	it("writes huge, tiny and negative values in a readable form", async () => {
		const huge = await drawn(samples["edge-huge"]);
		expect(huge.alt).toContain(
			"United States: $34T; Japan: $9.2T; Tiny island: $42M; Negative fund: −$2.5T",
		);
		const tiny = await drawn(samples["edge-tiny"]);
		expect(tiny.svg).toContain("0.00014");
		expect(tiny.svg).not.toMatch(/>0<\/text>/);
	});

	it("cuts long titles, bar labels and legend names with an ellipsis", async () => {
		const long = "A very long name that keeps going ".repeat(6);
		const chart = await drawn({
			...samples["timeseries-multi"],
			title: long,
			series: samples["timeseries-multi"].series.map((s, i) => ({
				...s,
				name: `${long}${i}`,
			})),
		});
		expect(chart.svg).not.toContain(long.trim());
		expect(chart.svg.match(/…/g)?.length).toBeGreaterThanOrEqual(4);
		expect(chart.alt).toContain(long.trim());
		const bars = await drawn(samples["bar-top"]);
		expect(bars.svg).toContain("Contoso Pharmaceutical…");
		expect(bars.alt).toContain(
			"Contoso Pharmaceuticals International Holdings Group (Europe, Middle East & Africa)",
		);
	});

	it("keeps non-Latin labels in the SVG and the alt text, CJK included", async () => {
		const chart = await drawn(samples["edge-non-latin"]);
		for (const name of ["Москва", "Αθήνα", "東京", "Zürich"]) {
			expect(chart.svg).toContain(name);
			expect(chart.alt).toContain(name);
		}
	});

	it("draws a scatter of one point without a fit line, and says why", async () => {
		const chart = await drawn({
			...samples.scatter,
			points: [
				{ x: 1, y: 2 },
				{ x: null, y: 3 },
			],
		});
		expect(chart.svg).toContain("too few distinct values for a fit line");
		expect(chart.alt).toContain("1 points");
	});

	it("draws a forecast with no actuals, and a cohort with gaps", async () => {
		await drawn({ ...samples.forecast, actuals: [] });
		const cohorts = samples.cohort.cohorts.map((c, i) => ({
			...c,
			retention: c.retention.map((r, p) => (p === i ? null : r)),
		}));
		await drawn({ ...samples.cohort, cohorts });
	});

	it("drops cohort labels and shows a colour legend when the triangle is 24 × 24", async () => {
		const cohorts = Array.from({ length: 24 }, (_, c) => ({
			start: Date.UTC(2023, c, 1),
			size: 100 + c,
			retention: Array.from({ length: 24 - c }, (_, p) => 0.9 ** p),
		}));
		const chart = await drawn({
			kind: "cohort",
			title: "Retention",
			grain: "month",
			cohorts,
		});
		expect(chart.svg).not.toContain('class="mark-text role-mark');
		expect(chart.svg).toContain("role-legend");
		expect(chart.alt).toContain("labels left off");
	});

	it("keeps an absurd canvas size within bounds", async () => {
		const chart = await drawn({
			...samples["edge-one-point"],
			width: 1e9,
			height: -5,
		});
		expect(pngHeaderSize(chart.png)).toEqual({ width: 4800, height: 160 });
	});
});

describe("failure", () => {
	it("returns an error result, never a throw, for input that is not a chart", async () => {
		const results = await Promise.all([
			renderer.render(null as unknown as ChartInput),
			renderer.render({ kind: "pie", title: "Share" } as unknown as ChartInput),
			renderer.render({
				kind: "timeseries",
				title: "Revenue",
			} as unknown as ChartInput),
		]);
		expect(results.map((r) => r.ok)).toEqual([false, false, false]);
		expect(results[1]).toMatchObject({
			error: 'unknown chart kind "pie"',
			alt: "Chart: Share.",
		});
		expect(results[2]).toMatchObject({
			error: 'timeseries chart input needs a "series" list',
		});
	});

	it("returns a cancelled result when the caller aborts mid-render", async () => {
		const controller = new AbortController();
		const pending = renderer.render(samples["edge-5000-points"], {
			signal: controller.signal,
		});
		controller.abort();
		const result = await pending;
		expect(result).toMatchObject({
			ok: false,
			error: "chart could not be drawn: rendering was cancelled",
		});
		expect(result.alt).toContain("Load");
	});

	it("returns a timed-out result when rendering outlasts the time limit", async () => {
		const impatient = createChartRenderer({ timeoutMs: 1 });
		const result = await impatient.render(samples["edge-5000-points"]);
		await impatient.close();
		expect(result).toMatchObject({
			ok: false,
			error: "chart could not be drawn: rendering took longer than 1 ms",
		});
	});

	it("still renders correctly after a cancelled render, and when renders overlap", async () => {
		const inputs = [
			samples.cohort,
			samples.scatter,
			samples["bar-top"],
			samples.sparkline,
		];
		const one = await Promise.all(inputs.map((i) => drawn(i)));
		const two = await Promise.all(inputs.map((i) => drawn(i)));
		for (const [k, r] of one.entries())
			expect(r.png.equals(two[k]?.png ?? Buffer.alloc(0))).toBe(true);
	});
});

describe("a highlighted point", () => {
	it("sits on its line: a line falling steeply into the point is drawn right up to it, no gap", async () => {
		// The demo's margin alert: eleven months near 28%, then 13.8%.
		const values = [
			0.295, 0.272, 0.276, 0.295, 0.298, 0.27, 0.288, 0.276, 0.289, 0.298,
			0.261, 0.28, 0.138,
		];
		const months = values.map((_, i) =>
			new Date(Date.UTC(2025, 9 + i, 1)).toISOString().slice(0, 10),
		);
		const result = await renderer.render({
			kind: "timeseries",
			title: "Margin % · West",
			grain: "month",
			format: { style: "percent" },
			series: [
				{
					name: "Margin %",
					points: months.map((t, i) => ({ t, value: values[i] ?? null })),
				},
			],
			highlights: [
				{ t: months[12] as string, value: 0.138, severity: "warning" },
			],
		});
		if (!result.ok) throw new Error(result.error);
		const png = decodePng(Buffer.from(result.png));
		const at = (x: number, y: number) => {
			const i = (y * png.width + x) * 4;
			return [png.rgba[i], png.rgba[i + 1], png.rgba[i + 2]] as const;
		};
		const blue = ([r, , b]: readonly (number | undefined)[]) =>
			(b ?? 0) > 180 && (r ?? 255) < 120;
		const orange = ([r, g, b]: readonly (number | undefined)[]) =>
			(r ?? 0) > 180 && (g ?? 255) < 160 && (b ?? 255) < 100;
		// Down the right end of the plot: the last line pixel and the first point pixel touch.
		let lastBlue = -1;
		let firstOrange = -1;
		for (let y = 0; y < png.height; y++)
			for (let x = png.width - 60; x < png.width; x++) {
				const c = at(x, y);
				if (blue(c)) lastBlue = Math.max(lastBlue, y);
				if (orange(c) && firstOrange < 0) firstOrange = y;
			}
		expect(firstOrange).toBeGreaterThan(0);
		expect(lastBlue).toBeGreaterThanOrEqual(firstOrange - 1);
	});
});

describe("a weekly money chart", () => {
	it("ticks the weeks on their Mondays, starts at zero when asked, and leaves room above the peak", async () => {
		const values = [
			167, 182, 196, 191, 200, 219, 269, 226, 214, 219, 262, 228, 261,
		];
		// 27 July 2026 is a Monday; the weeks are the ones the data has.
		const weeks = values.map((_, i) =>
			new Date(Date.UTC(2026, 6, 27) + i * 7 * 86_400_000)
				.toISOString()
				.slice(0, 10),
		);
		const result = await renderer.render({
			kind: "timeseries",
			title: "Revenue by week",
			grain: "week",
			fromZero: true,
			format: { style: "currency", symbol: "$" },
			series: [
				{
					name: "Revenue",
					points: weeks.map((t, i) => ({ t, value: (values[i] ?? 0) * 1000 })),
				},
			],
		});
		if (!result.ok) throw new Error(result.error);
		const labels = [...result.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(
			(m) => m[1],
		);
		const ticks = labels.filter((l) => /^[A-Z][a-z]{2} \d{1,2}$/.test(l ?? ""));
		expect(ticks.length).toBeGreaterThan(2);
		for (const tick of ticks) {
			const day = new Date(`${tick} 2026 UTC`);
			expect(day.getUTCDay(), tick).toBe(1);
		}
		// The newest week is labelled, the axis starts at $0 and goes above the $269K peak.
		expect(ticks.at(-1)).toBe("Oct 19");
		expect(labels).toContain("$0");
		expect(labels).toContain("$300K");
	});
});
