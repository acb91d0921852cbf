import type { TopLevelSpec } from "vega-lite";
import {
	type CleanPoint,
	extent,
	GRAIN_MS,
	type TimeTicks,
	timeTicks,
} from "../data.ts";
import type { TextMeasurer } from "../font.ts";
import {
	formatDate,
	formatValue,
	type TimeGrain,
	type ValueFormat,
} from "../format.ts";
import { truncateToWidth } from "../text.ts";
import { chartConfig, THEME } from "../theme.ts";
import type { ChartBase } from "../types.ts";

/** What a builder may use besides its input: text measurement in the chart font. */
export interface BuildContext {
	measure: TextMeasurer;
}

/** A vega-lite spec ready to render, with its alt text; or why there is none. */
export type BuiltChart =
	| { ok: true; spec: TopLevelSpec; alt: string }
	| { ok: false; error: string; alt: string };

/** The name of the vega expression function that formats numbers and dates like `format.ts`. */
export const FORMAT_FUNCTION = "erpFormat";

/** Most points drawn per chart; longer series are thinned with min/max buckets. */
export const MAX_DRAWN_POINTS = 600;

const MIN_SIZE = { width: 160, height: 80 };
const MAX_SIZE = { width: 2400, height: 2400 };

/** The canvas in CSS pixels: the input's size or the theme's, kept within sane bounds. */
export function canvasSize(
	input: ChartBase,
	fallback: { width: number; height: number } = THEME.size,
): { width: number; height: number } {
	const pick = (v: number | undefined, dflt: number, lo: number, hi: number) =>
		typeof v === "number" && Number.isFinite(v)
			? Math.round(Math.min(hi, Math.max(lo, v)))
			: dflt;
	return {
		width: pick(input.width, fallback.width, MIN_SIZE.width, MAX_SIZE.width),
		height: pick(
			input.height,
			fallback.height,
			MIN_SIZE.height,
			MAX_SIZE.height,
		),
	};
}

/** Title and subtitle cut to the canvas width, so a long metric name ends in "…" instead of running off. */
export function titleBlock(
	ctx: BuildContext,
	width: number,
	title: string,
	subtitle?: string,
): { text: string; subtitle?: string } {
	const room = width - 2 * THEME.padding;
	const text = truncateToWidth(
		title,
		room,
		THEME.fontSize.title,
		ctx.measure,
		true,
	);
	if (!subtitle) return { text };
	return {
		text,
		subtitle: truncateToWidth(
			subtitle,
			room,
			THEME.fontSize.subtitle,
			ctx.measure,
		),
	};
}

/** The top level every fixed-size chart shares: size, fit-to-canvas, theme and title. */
export function frame(
	ctx: BuildContext,
	input: ChartBase,
	size: { width: number; height: number },
	subtitle = input.subtitle,
) {
	return {
		width: size.width,
		height: size.height,
		autosize: { type: "fit" as const, contains: "padding" as const },
		config: chartConfig(),
		title: titleBlock(ctx, size.width, input.title, subtitle),
	};
}

/** Axis settings that format numbers with the chart formatter. */
export function valueAxis(format: ValueFormat, title?: string) {
	return {
		title: title ?? null,
		format: { ...format } as Record<string, unknown>,
		formatType: FORMAT_FUNCTION,
		tickCount: 5,
	};
}

/** Axis settings for a UTC time axis with ticks at whole periods and labels written for them. */
export function timeAxis(ticks: TimeTicks) {
	return {
		title: null,
		format: { grain: ticks.labelGrain } as Record<string, unknown>,
		formatType: FORMAT_FUNCTION,
		tickCount: { interval: ticks.interval, step: ticks.step },
		labelOverlap: true,
	};
}

/** Widest tick label a value axis is likely to need, measured from its extremes. */
export function valueLabelWidth(
	ctx: BuildContext,
	values: Iterable<number | null>,
	format: ValueFormat,
): number {
	const e = extent(values);
	if (!e) return 0;
	const size = THEME.fontSize.label;
	return Math.max(
		ctx.measure.width(formatValue(e.min, format), size),
		ctx.measure.width(formatValue(e.max, format), size),
	);
}

/** Tick spacing for a time axis of roughly `plotWidth` pixels. */
export function ticksFor(
	ctx: BuildContext,
	points: readonly CleanPoint[],
	grain: TimeGrain,
	plotWidth: number,
): TimeTicks {
	const first = points[0]?.t ?? 0;
	const last = points[points.length - 1]?.t ?? first;
	// A wide label of each grain (September 2024, the 28th), plus the gap vega keeps between labels.
	const sample = Date.UTC(2024, 8, 28, 22);
	const labelWidth = (labelGrain: TimeGrain) =>
		ctx.measure.width(formatDate(sample, labelGrain), THEME.fontSize.label) +
		12;
	return timeTicks(last - first, grain, plotWidth, labelWidth);
}

/** An explicit time domain when all points share one instant, so a single point sits mid-axis. */
export function timeDomain(
	points: readonly CleanPoint[],
	grain: TimeGrain,
): [number, number] | undefined {
	const first = points[0]?.t;
	const last = points[points.length - 1]?.t;
	if (first === undefined || last === undefined || last > first)
		return undefined;
	return [first - GRAIN_MS[grain] / 2, first + GRAIN_MS[grain] / 2];
}

/** A chart with only its title and a message in the middle, for when there is nothing to plot. */
export function noDataChart(
	ctx: BuildContext,
	input: ChartBase,
	message: string,
	alt: string,
): BuiltChart {
	const size = canvasSize(input);
	const spec = {
		...frame(ctx, input, size),
		data: { values: [{ message }] },
		mark: {
			type: "text",
			fontSize: THEME.fontSize.axisTitle + 1,
			color: THEME.mutedText,
		},
		encoding: {
			text: { field: "message", type: "nominal" },
			x: { value: { expr: "width / 2" } },
			y: { value: { expr: "height / 2" } },
		},
	};
	return { ok: true, spec: spec as TopLevelSpec, alt };
}

/**
 * The y encoding of horizontal bars, one row per `rank` from the top, labelled with the rows'
 * categories (already cut to width): no ticks, no axis line.
 */
export function rankAxis(categories: readonly string[]) {
	return {
		field: "rank",
		type: "ordinal",
		sort: "ascending",
		axis: {
			title: null,
			labelExpr: `${JSON.stringify(categories)}[datum.value]`,
			ticks: false,
			domain: false,
			labelPadding: 6,
		},
	};
}
