/**
 * Chart rendering speed and memory: node bench/charts.ts [--renders 1000]
 *
 * Renders three typical charts (a 36-point line, a 500-point scatter, a 24 × 24 cohort heatmap)
 * many times each with one renderer, and prints p50/p95 render time and RSS before and after.
 * RSS after / before near 1 means nothing accumulates across renders (vega views are finalised,
 * resvg bitmaps freed in the raster worker). "Before" is taken after a warm-up of 200 renders a
 * chart: under sustained rendering V8 grows its young generation to its maximum (up to 128 MB of
 * semi-spaces on a large machine) in the first few hundred renders, which is sizing, not a leak;
 * node --max-semi-space-size=8 caps it. Figures are printed, never asserted.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { type ChartInput, createChartRenderer } from "../src/charts/index.ts";

const { values } = parseArgs({
	options: { renders: { type: "string", default: "1000" } },
});
const renders = Math.max(10, Number(values.renders));
const MB = 1024 * 1024;

const line: ChartInput = {
	kind: "timeseries",
	title: "Revenue by month",
	grain: "month",
	format: { style: "currency" },
	series: [
		{
			name: "Revenue",
			points: Array.from({ length: 36 }, (_, i) => ({
				t: Date.UTC(2023, i, 1),
				value: 1e6 + i * 25_000 + 80_000 * Math.sin(i),
			})),
		},
	],
	thresholds: [{ value: 1.1e6, label: "Alert below" }],
};
const scatter: ChartInput = {
	kind: "scatter",
	title: "Order value vs quantity",
	x: { title: "Quantity", format: { style: "count" } },
	y: { title: "Order value", format: { style: "currency" } },
	points: Array.from({ length: 500 }, (_, i) => ({
		x: (i * 37) % 500,
		y: ((i * 37) % 500) * 120 + 9_000 * Math.sin(i * 1.7),
	})),
};
const cohort: ChartInput = {
	kind: "cohort",
	title: "Customer retention by first-order month",
	grain: "month",
	cohorts: Array.from({ length: 24 }, (_, c) => ({
		start: Date.UTC(2023, c, 1),
		size: 100 + c * 7,
		retention: Array.from({ length: 24 - c }, (_, p) =>
			p === 0 ? 1 : 0.55 * 0.93 ** p + 0.01 * Math.sin(c + p),
		),
	})),
};

function percentile(sorted: number[], p: number): number {
	return (
		sorted[
			Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
		] ?? 0
	);
}

const renderer = createChartRenderer();
const cases: [string, ChartInput][] = [
	["36-point line", line],
	["500-point scatter", scatter],
	["24×24 cohort heatmap", cohort],
];
// Warm up: JIT, font parsing, the raster worker, V8's young generation reaching its working size.
for (const [, input] of cases) {
	for (let i = 0; i < 200; i++) await renderer.render(input);
}
const rssBefore = process.memoryUsage().rss;
console.log(
	`node ${process.version}, ${renders} renders per chart, PNG at 2×, after 200 warm-up renders each`,
);
for (const [name, input] of cases) {
	const times: number[] = [];
	const loopDelay = monitorEventLoopDelay({ resolution: 5 });
	loopDelay.enable();
	for (let i = 0; i < renders; i++) {
		const started = performance.now();
		const result = await renderer.render(input);
		times.push(performance.now() - started);
		if (!result.ok) throw new Error(`${name}: ${result.error}`);
	}
	loopDelay.disable();
	times.sort((a, b) => a - b);
	const rss = process.memoryUsage().rss;
	console.log(
		`${name.padEnd(22)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   ` +
			`p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms   ` +
			`event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms   RSS ${(rss / MB).toFixed(0)} MB`,
	);
}
const rssAfter = process.memoryUsage().rss;
await renderer.close();
console.log(
	`RSS before ${(rssBefore / MB).toFixed(0)} MB, after ${(rssAfter / MB).toFixed(0)} MB (${3 * renders} renders): ratio ${(rssAfter / rssBefore).toFixed(2)}`,
);
