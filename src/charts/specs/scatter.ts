import type { TopLevelSpec } from "vega-lite";
import { altText } from "../alt.ts";
import { finiteOrNull } from "../data.ts";
import { formatValue } from "../format.ts";
import { correlationStrength, linearFit } from "../stats.ts";
import { truncateToWidth } from "../text.ts";
import { seriesColor, THEME } from "../theme.ts";
import type { ScatterInput } from "../types.ts";
import {
	type BuildContext,
	type BuiltChart,
	canvasSize,
	frame,
	noDataChart,
	valueAxis,
} from "./common.ts";

/** Most points drawn; the fit and r always use every point. */
export const MAX_SCATTER_POINTS = 2000;

/** Every k-th point, so a huge scatter stays fast to draw but keeps its spread. */
function thin<T>(points: readonly T[], max: number): T[] {
	if (points.length <= max) return [...points];
	const step = points.length / max;
	return Array.from(
		{ length: max },
		(_, i) => points[Math.floor(i * step)] as T,
	);
}

/** Paired values as dots, with the least-squares line and r, n in the subtitle. */
export function buildScatter(
	ctx: BuildContext,
	input: ScatterInput,
): BuiltChart {
	const size = canvasSize(input);
	const points = input.points.flatMap((p) => {
		const x = finiteOrNull(p.x);
		const y = finiteOrNull(p.y);
		return x === null || y === null ? [] : [{ x, y }];
	});
	const xTitle = truncateToWidth(
		input.x.title,
		size.width - 60,
		THEME.fontSize.axisTitle,
		ctx.measure,
	);
	const yTitle = truncateToWidth(
		input.y.title,
		size.height - 60,
		THEME.fontSize.axisTitle,
		ctx.measure,
	);
	if (points.length === 0) {
		return noDataChart(
			ctx,
			input,
			"No data for this period",
			altText(`${input.title}: no pairs of values to compare.`),
		);
	}
	const fit = linearFit(points);
	const shown = thin(points, MAX_SCATTER_POINTS);
	const fitNote = fit
		? `r = ${fit.r.toFixed(2)} · n = ${fit.n.toLocaleString("en-US")}`
		: `n = ${points.length} · too few distinct values for a fit line`;
	const thinNote =
		shown.length < points.length
			? ` · ${shown.length.toLocaleString("en-US")} of ${points.length.toLocaleString("en-US")} drawn`
			: "";
	const subtitle = [input.subtitle, `${fitNote}${thinNote}`]
		.filter(Boolean)
		.join(" · ");
	let minX = Number.POSITIVE_INFINITY;
	let maxX = Number.NEGATIVE_INFINITY;
	for (const p of points) {
		minX = Math.min(minX, p.x);
		maxX = Math.max(maxX, p.x);
	}
	const layers: unknown[] = [
		{
			data: { values: shown },
			mark: {
				type: "point",
				filled: true,
				size: shown.length > 300 ? 18 : 40,
				opacity: 0.65,
				color: seriesColor(0),
			},
			encoding: {
				x: {
					field: "x",
					type: "quantitative",
					scale: { zero: false, nice: true },
					axis: valueAxis(input.x.format, xTitle),
				},
				y: {
					field: "y",
					type: "quantitative",
					scale: { zero: false, nice: true },
					axis: valueAxis(input.y.format, yTitle),
				},
			},
		},
	];
	if (fit) {
		const line = [minX, maxX].map((x) => ({
			x,
			y: fit.slope * x + fit.intercept,
		}));
		layers.push({
			data: { values: line },
			mark: {
				type: "line",
				color: THEME.text,
				strokeWidth: 2,
				strokeDash: [6, 3],
			},
			encoding: {
				x: { field: "x", type: "quantitative" },
				y: { field: "y", type: "quantitative" },
			},
		});
	}
	const range = (key: "x" | "y") => {
		const values = points.map((p) => p[key]);
		const f = key === "x" ? input.x.format : input.y.format;
		return `${formatValue(Math.min(...values), f, true)} to ${formatValue(Math.max(...values), f, true)}`;
	};
	const alt = altText(
		`Scatter chart: ${input.title}.`,
		`${points.length} points of ${input.y.title} (${range("y")}) against ${input.x.title} (${range("x")}).`,
		fit
			? `Fit line y = ${fit.slope.toPrecision(3)}·x ${fit.intercept < 0 ? "−" : "+"} ${Math.abs(fit.intercept).toPrecision(3)}; r = ${fit.r.toFixed(2)}, ${correlationStrength(fit.r)}.`
			: "Too few distinct values for a fit line.",
	);
	const spec = { ...frame(ctx, input, size, subtitle), layer: layers };
	return { ok: true, spec: spec as TopLevelSpec, alt };
}
