import type { TopLevelSpec } from "vega-lite";
import { altText, describeSeries } from "../alt.ts";
import { cleanPoints, downsampleMinMax } from "../data.ts";
import { seriesColor, THEME } from "../theme.ts";
import type { DualAxisInput } from "../types.ts";
import {
	type BuildContext,
	type BuiltChart,
	canvasSize,
	frame,
	MAX_DRAWN_POINTS,
	noDataChart,
	ticksFor,
	timeAxis,
	timeDomain,
	valueAxis,
	valueLabelWidth,
} from "./common.ts";
import { legendNames } from "./timeseries.ts";

/**
 * Two measures over one time axis, the first on the left axis and the second on the right, each
 * axis coloured like its line so the pairing reads without a legend.
 */
export function buildDualAxis(
	ctx: BuildContext,
	input: DualAxisInput,
): BuiltChart {
	const size = canvasSize(input);
	const [leftName = "", rightName = ""] = legendNames(
		ctx,
		[input.left.name, input.right.name],
		size.height / 2 - 10,
	);
	const left = cleanPoints(input.left.points);
	const right = cleanPoints(input.right.points);
	const alt = altText(
		`Dual-axis line chart: ${input.title}.`,
		`Left axis ${describeSeries(leftName, left, input.left.format, input.grain)}`,
		`Right axis ${describeSeries(rightName, right, input.right.format, input.grain)}`,
	);
	const hasLeft = left.some((p) => p.value !== null);
	const hasRight = right.some((p) => p.value !== null);
	if (!hasLeft && !hasRight) {
		return noDataChart(
			ctx,
			input,
			"No data for this period",
			altText(`${input.title}: no data for this period.`),
		);
	}
	const half = Math.floor(MAX_DRAWN_POINTS / 2);
	const leftRows = downsampleMinMax(left, half);
	const rightRows = downsampleMinMax(right, half);
	const all = [...leftRows, ...rightRows].sort((a, b) => a.t - b.t);
	const plotWidth =
		size.width -
		2 * THEME.padding -
		valueLabelWidth(
			ctx,
			leftRows.map((p) => p.value),
			input.left.format,
		) -
		valueLabelWidth(
			ctx,
			rightRows.map((p) => p.value),
			input.right.format,
		) -
		50;
	const domain = timeDomain(all, input.grain);
	const x = {
		field: "t",
		type: "temporal",
		scale: { type: "utc", ...(domain ? { domain } : {}) },
		axis: timeAxis(ticksFor(ctx, all, input.grain, plotWidth)),
	};
	const side = (
		rows: typeof leftRows,
		name: string,
		format: DualAxisInput["left"]["format"],
		i: number,
	) => {
		const color = seriesColor(i);
		const lone = rows.filter(
			(p, k) =>
				p.value !== null &&
				(rows[k - 1]?.value ?? null) === null &&
				(rows[k + 1]?.value ?? null) === null,
		);
		const y = {
			field: "value",
			type: "quantitative",
			scale: { zero: false, nice: true },
			axis: {
				...valueAxis(format, name),
				orient: i === 0 ? "left" : "right",
				titleColor: color,
				labelColor: color,
				grid: i === 0,
			},
		};
		return {
			layer: [
				{
					data: { values: rows },
					mark: { type: "line", color, strokeDash: i === 0 ? [] : [7, 3] },
					encoding: { x, y },
				},
				{
					data: { values: lone },
					mark: { type: "point", filled: true, size: 40, color, opacity: 1 },
					encoding: { x, y },
				},
			],
		};
	};
	const spec = {
		...frame(ctx, input, size),
		layer: [
			side(leftRows, leftName, input.left.format, 0),
			side(rightRows, rightName, input.right.format, 1),
		],
		resolve: { scale: { y: "independent" } },
	};
	return { ok: true, spec: spec as TopLevelSpec, alt };
}
