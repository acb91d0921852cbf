import type { TopLevelSpec } from "vega-lite";
import { altText, describeSeries } from "../alt.ts";
import {
	type CleanPoint,
	cleanPoints,
	downsampleMinMax,
	finiteOrNull,
	toMillis,
} from "../data.ts";
import { formatDate, formatValue } from "../format.ts";
import { truncateToWidth } from "../text.ts";
import { seriesColor, THEME } from "../theme.ts";
import type { TimeSeriesInput } from "../types.ts";
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

/** Drawn under a label in white, so the label stays readable where it crosses a line. */
const HALO = {
	stroke: THEME.background,
	strokeWidth: 4,
	strokeJoin: "round",
	color: THEME.background,
};

interface Row {
	series: string;
	t: number;
	value: number | null;
	/** Drawn as a dot because no neighbour joins it into a line. */
	lone: boolean;
}

/** Marks points whose neighbours are both gaps (or missing), which a line alone would not show. */
function rowsOf(name: string, points: readonly CleanPoint[]): Row[] {
	return points.map((p, i) => ({
		series: name,
		t: p.t,
		value: p.value,
		lone:
			p.value !== null &&
			(points[i - 1]?.value ?? null) === null &&
			(points[i + 1]?.value ?? null) === null,
	}));
}

/** Series names cut to fit a legend entry and made unique, so two long names never merge. */
export function legendNames(
	ctx: BuildContext,
	names: readonly string[],
	maxWidth: number,
): string[] {
	const seen = new Set<string>();
	return names.map((raw, i) => {
		let name = truncateToWidth(
			raw || `Series ${i + 1}`,
			maxWidth,
			THEME.fontSize.label,
			ctx.measure,
		);
		for (let n = 2; seen.has(name); n++) name = `${name} (${n})`;
		seen.add(name);
		return name;
	});
}

/** One or several lines over time, with highlighted points (an alert's breach) and thresholds. */
export function buildTimeSeries(
	ctx: BuildContext,
	input: TimeSeriesInput,
): BuiltChart {
	const size = canvasSize(input);
	const names = legendNames(
		ctx,
		input.series.map((s) => s.name),
		140,
	);
	const perSeries = Math.max(
		40,
		Math.floor(MAX_DRAWN_POINTS / Math.max(1, names.length)),
	);
	const cleaned = input.series.map((s) => cleanPoints(s.points));
	const drawn = cleaned.map((pts) => downsampleMinMax(pts, perSeries));
	const rows = drawn.flatMap((pts, i) => rowsOf(names[i] ?? "", pts));
	const alt = altText(
		`Line chart: ${input.title}.`,
		...cleaned.map((pts, i) =>
			describeSeries(names[i] ?? "", pts, input.format, input.grain),
		),
		...(input.highlights ?? []).map(
			(h) =>
				`Highlighted: ${h.label ? `${h.label}, ` : ""}${formatValue(h.value, input.format, true)} (${formatDate(toMillis(h.t) ?? 0, input.grain, "long")}).`,
		),
		...(input.thresholds ?? []).map(
			(r) =>
				`${r.label ?? "Threshold"} at ${formatValue(r.value, input.format, true)}.`,
		),
	);
	if (!rows.some((r) => r.value !== null)) {
		return noDataChart(
			ctx,
			input,
			"No data for this period",
			altText(`${input.title}: no data for this period.`),
		);
	}
	const allPoints = drawn.flat().sort((a, b) => a.t - b.t);
	const first = allPoints[0]?.t ?? 0;
	const last = allPoints[allPoints.length - 1]?.t ?? first;
	const highlights = (input.highlights ?? []).flatMap((h) => {
		const t = toMillis(h.t);
		const value = finiteOrNull(h.value);
		if (t === null || value === null) return [];
		const color = THEME.severity[h.severity ?? "critical"];
		const label = h.label
			? truncateToWidth(h.label, 150, THEME.fontSize.mark, ctx.measure)
			: "";
		// Labels near the ends lean inwards so they stay inside the plot.
		const share = (t - first) / Math.max(1, last - first);
		const align = share > 0.8 ? "right" : share < 0.2 ? "left" : "center";
		return [{ t, value, color, label, align }];
	});
	const thresholds = (input.thresholds ?? []).flatMap((r) => {
		const value = finiteOrNull(r.value);
		if (value === null) return [];
		const label = truncateToWidth(
			`${r.label ?? "Threshold"} ${formatValue(value, input.format, true)}`,
			size.width / 2,
			THEME.fontSize.mark,
			ctx.measure,
		);
		return [{ value, label, color: THEME.severity[r.severity ?? "warning"] }];
	});
	const yValues = [
		...rows.map((r) => r.value),
		...highlights.map((h) => h.value),
		...thresholds.map((r) => r.value),
	];
	const finite = yValues.filter((v): v is number => v !== null);
	const top = finite.length > 0 ? Math.max(...finite) : undefined;
	const bottom = input.fromZero
		? 0
		: finite.length > 0
			? Math.min(...finite)
			: 0;
	const headroom =
		top !== undefined && top > bottom ? top + 0.06 * (top - bottom) : undefined;
	const plotWidth =
		size.width -
		2 * THEME.padding -
		valueLabelWidth(ctx, yValues, input.format) -
		30;
	const ticks = ticksFor(ctx, allPoints, input.grain, plotWidth);
	const domain = timeDomain(allPoints, input.grain);
	const multi = names.length > 1;
	// Weeks start on Monday: tick the weeks the data has (vega's own week ticks fall on Sundays),
	// every `step`-th counted back from the latest, so the newest week is always labelled.
	const weekTicks =
		input.grain === "week" && ticks.interval === "week"
			? [...new Set(allPoints.map((p) => p.t))].filter(
					(_, i, all) => (all.length - 1 - i) % ticks.step === 0,
				)
			: undefined;
	const x = {
		field: "t",
		type: "temporal",
		scale: { type: "utc", ...(domain ? { domain } : {}) },
		axis: {
			...timeAxis(ticks),
			...(weekTicks ? { values: weekTicks, tickCount: undefined } : {}),
		},
	};
	const y = {
		field: "value",
		type: "quantitative",
		// Some room above the highest value, so a peak never touches the top edge (padding would
		// also push the axis below zero under a series that touches it).
		scale: {
			zero: input.fromZero === true,
			nice: true,
			...(headroom === undefined ? {} : { domainMax: headroom }),
		},
		axis: valueAxis(input.format, input.yTitle),
	};
	const color = multi
		? {
				field: "series",
				type: "nominal",
				scale: { domain: names, range: names.map((_, i) => seriesColor(i)) },
			}
		: { value: seriesColor(0) };
	const layers: unknown[] = [
		{
			mark: { type: "line", interpolate: "linear" },
			encoding: { x, y, color },
		},
		{
			transform: [{ filter: "datum.lone" }],
			mark: { type: "point", filled: true, size: 40, opacity: 1 },
			encoding: { x, y, color },
		},
	];
	// Threshold labels sit at the left end, away from the latest data, on a white halo.
	for (const r of thresholds) {
		const text = {
			type: "text",
			align: "left",
			baseline: "bottom",
			dx: 4,
			dy: -3,
			fontSize: THEME.fontSize.mark,
		};
		const encoding = {
			y: { field: "value", type: "quantitative" },
			x: { value: 0 },
			text: { field: "label" },
		};
		layers.push(
			{
				data: { values: [r] },
				mark: {
					type: "rule",
					strokeDash: [6, 4],
					strokeWidth: 1.5,
					color: r.color,
				},
				encoding: { y: { field: "value", type: "quantitative" } },
			},
			{ data: { values: [r] }, mark: { ...text, ...HALO }, encoding },
			{ data: { values: [r] }, mark: { ...text, color: r.color }, encoding },
		);
	}
	if (highlights.length > 0) {
		const labelMark = {
			type: "text",
			baseline: "bottom",
			dy: -8,
			fontWeight: "bold",
			fontSize: THEME.fontSize.mark,
			align: { expr: "datum.align" },
		};
		layers.push(
			{
				data: { values: highlights },
				// No white halo: it hid the last pixels of a line that comes in steeply, so the line
				// seemed to end above the point (14.3% beside a 13.8% point in the margin alert).
				mark: {
					type: "point",
					filled: true,
					size: 110,
					opacity: 1,
				},
				encoding: {
					x: { field: "t", type: "temporal" },
					y: { field: "value", type: "quantitative" },
					color: { field: "color", type: "nominal", scale: null },
				},
			},
			// A white halo under each label keeps it readable where it crosses the line.
			{
				data: { values: highlights },
				mark: { ...labelMark, ...HALO },
				encoding: {
					x: { field: "t", type: "temporal" },
					y: { field: "value", type: "quantitative" },
					text: { field: "label" },
				},
			},
			{
				data: { values: highlights },
				mark: labelMark,
				encoding: {
					x: { field: "t", type: "temporal" },
					y: { field: "value", type: "quantitative" },
					text: { field: "label" },
					color: { field: "color", type: "nominal", scale: null },
				},
			},
		);
	}
	const spec = {
		...frame(ctx, input, size),
		data: { values: rows },
		layer: layers,
	};
	return { ok: true, spec: spec as TopLevelSpec, alt };
}
