/**
 * Charts: typed inputs → vega-lite specs → SVG → PNG, with alt text. Everything the bot posts as a
 * picture comes through `createChartRenderer().render(input)`.
 */
export {
	formatDate,
	formatDelta,
	formatValue,
	type TimeGrain,
	type ValueFormat,
} from "./format.ts";
export {
	type ChartRenderer,
	type ChartRendererOptions,
	createChartRenderer,
	type RenderCallOptions,
	renderChart,
} from "./render.ts";
export { stepText } from "./specs/waterfall.ts";
export { type LinearFit, linearFit } from "./stats.ts";
export type { Severity } from "./theme.ts";
export type * from "./types.ts";
