import type { TopLevelSpec } from "vega-lite";
import { altText, describeSeries } from "../alt.ts";
import { cleanPoints, downsampleMinMax } from "../data.ts";
import { chartConfig, seriesColor, THEME } from "../theme.ts";
import type { SmallMultiplesInput } from "../types.ts";
import {
	type BuildContext,
	type BuiltChart,
	canvasSize,
	noDataChart,
	ticksFor,
	timeAxis,
	titleBlock,
	valueAxis,
	valueLabelWidth,
} from "./common.ts";
import { legendNames } from "./timeseries.ts";

/** Most panels drawn; past this a grid stops being readable in chat. */
export const MAX_PANELS = 12;

const SPACING = 14;
const CELL_HEIGHT = 90;

/**
 * One small line chart per group in a grid, all on the same y scale unless asked otherwise, so
 * the panels compare at a glance. The canvas width is fixed; its height grows with the rows.
 */
export function buildSmallMultiples(
	ctx: BuildContext,
	input: SmallMultiplesInput,
): BuiltChart {
	const panels = input.panels.slice(0, MAX_PANELS);
	const columns = Math.max(
		1,
		Math.min(6, Math.floor(input.columns ?? 3), panels.length || 1),
	);
	const size = canvasSize(input);
	const cleaned = panels.map((p) => cleanPoints(p.points));
	const alt = altText(
		`Small multiples, ${panels.length} panels: ${input.title}.`,
		...cleaned.map((pts, i) =>
			describeSeries(panels[i]?.name ?? "", pts, input.format, input.grain),
		),
		input.panels.length > panels.length
			? `${input.panels.length - panels.length} more groups left off.`
			: undefined,
	);
	if (!cleaned.some((pts) => pts.some((p) => p.value !== null))) {
		return noDataChart(
			ctx,
			input,
			"No data for this period",
			altText(`${input.title}: no data for this period.`),
		);
	}
	const drawnPer = Math.max(30, Math.floor(600 / Math.max(1, panels.length)));
	const drawn = cleaned.map((pts) => downsampleMinMax(pts, drawnPer));
	// Tick labels plus the tick and its padding.
	const yLabel =
		valueLabelWidth(
			ctx,
			drawn.flat().map((p) => p.value),
			input.format,
		) + 30;
	const axesPerRow = input.independentY ? columns : 1;
	const cellWidth = Math.max(
		60,
		Math.floor(
			(size.width -
				2 * THEME.padding -
				axesPerRow * yLabel -
				(columns - 1) * SPACING) /
				columns,
		),
	);
	const names = legendNames(
		ctx,
		panels.map((p) => p.name),
		cellWidth,
	);
	const rows = drawn.flatMap((pts, i) =>
		pts.map((p) => ({ panel: names[i] ?? "", t: p.t, value: p.value })),
	);
	const all = drawn.flat().sort((a, b) => a.t - b.t);
	const ticks = ticksFor(ctx, all, input.grain, cellWidth);
	const spec = {
		config: { ...chartConfig(), facet: { spacing: SPACING } },
		autosize: { type: "pad" },
		title: titleBlock(ctx, size.width, input.title, input.subtitle),
		data: { values: rows },
		facet: {
			field: "panel",
			type: "nominal",
			sort: names,
			header: {
				title: null,
				labelFontSize: THEME.fontSize.label,
				labelFontWeight: "bold",
				labelColor: THEME.text,
				labelAnchor: "start",
				labelPadding: 4,
				labelLimit: cellWidth,
			},
		},
		columns,
		spec: {
			width: cellWidth,
			height: CELL_HEIGHT,
			mark: {
				type: "line",
				color: seriesColor(0),
				strokeWidth: 2,
				point: all.length <= 1,
			},
			encoding: {
				x: {
					field: "t",
					type: "temporal",
					scale: { type: "utc" },
					axis: { ...timeAxis(ticks), grid: false },
				},
				y: {
					field: "value",
					type: "quantitative",
					scale: { zero: false, nice: true },
					axis: { ...valueAxis(input.format), tickCount: 3 },
				},
			},
		},
		resolve: { scale: { y: input.independentY ? "independent" : "shared" } },
	};
	return { ok: true, spec: spec as TopLevelSpec, alt };
}
