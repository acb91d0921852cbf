import type { TopLevelSpec } from "vega-lite";
import { altText, describeSeries } from "../alt.ts";
import {
	type CleanPoint,
	cleanPoints,
	downsampleMinMax,
	finiteOrNull,
	lastValue,
	toMillis,
} from "../data.ts";
import { formatDate, formatValue } from "../format.ts";
import { seriesColor, THEME } from "../theme.ts";
import type { ForecastInput } from "../types.ts";
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

interface Step {
	t: number;
	value: number;
	lower: number;
	upper: number;
}

/** Actuals as a solid line, the forecast dashed from the last actual, inside its shaded interval. */
export function buildForecast(
	ctx: BuildContext,
	input: ForecastInput,
): BuiltChart {
	const size = canvasSize(input);
	const actuals = downsampleMinMax(
		cleanPoints(input.actuals),
		Math.floor(MAX_DRAWN_POINTS / 2),
	);
	const steps: Step[] = input.forecast
		.flatMap((f) => {
			const t = toMillis(f.t);
			const value = finiteOrNull(f.value);
			if (t === null || value === null) return [];
			const a = finiteOrNull(f.lower) ?? value;
			const b = finiteOrNull(f.upper) ?? value;
			return [
				{
					t,
					value,
					lower: Math.min(a, b, value),
					upper: Math.max(a, b, value),
				},
			];
		})
		.sort((a, b) => a.t - b.t);
	const bandLabel = input.bandLabel ?? "80% interval";
	const lastActual = lastValue(actuals);
	const firstStep = steps[0];
	const lastStep = steps[steps.length - 1];
	const alt = altText(
		`Forecast chart: ${input.title}.`,
		`Actual ${describeSeries(input.yTitle ?? "values", actuals, input.format, input.grain)}`,
		firstStep && lastStep
			? `Forecast ${formatDate(firstStep.t, input.grain, "long")} to ${formatDate(lastStep.t, input.grain, "long")}, ending at ${formatValue(lastStep.value, input.format, true)} (${bandLabel} ${formatValue(lastStep.lower, input.format, true)} to ${formatValue(lastStep.upper, input.format, true)}).`
			: "No forecast.",
	);
	if (!lastActual && steps.length === 0) {
		return noDataChart(
			ctx,
			input,
			"No data for this period",
			altText(`${input.title}: no data for this period.`),
		);
	}
	// The forecast line and band start at the last actual so the two read as one line.
	const joined: Step[] =
		lastActual &&
		lastActual.value !== null &&
		(!firstStep || lastActual.t < firstStep.t)
			? [
					{
						t: lastActual.t,
						value: lastActual.value,
						lower: lastActual.value,
						upper: lastActual.value,
					},
					...steps,
				]
			: steps;
	const all: CleanPoint[] = [
		...actuals,
		...joined.map((s) => ({ t: s.t, value: s.value })),
	].sort((a, b) => a.t - b.t);
	const yValues = [
		...actuals.map((p) => p.value),
		...joined.flatMap((s) => [s.lower, s.upper]),
	];
	const plotWidth =
		size.width -
		2 * THEME.padding -
		valueLabelWidth(ctx, yValues, input.format) -
		30;
	const domain = timeDomain(all, input.grain);
	const x = {
		field: "t",
		type: "temporal",
		scale: { type: "utc", ...(domain ? { domain } : {}) },
		axis: timeAxis(ticksFor(ctx, all, input.grain, plotWidth)),
	};
	const yScale = { zero: false, nice: true };
	const color = seriesColor(0);
	const forecastColor = seriesColor(1);
	const layers: unknown[] = [
		{
			data: { values: joined },
			mark: { type: "area", color: forecastColor, opacity: THEME.bandOpacity },
			encoding: {
				x,
				y: {
					field: "lower",
					type: "quantitative",
					scale: yScale,
					axis: valueAxis(input.format, input.yTitle),
				},
				y2: { field: "upper" },
			},
		},
		{
			data: { values: actuals },
			mark: { type: "line", color },
			encoding: {
				x,
				y: { field: "value", type: "quantitative", scale: yScale },
			},
		},
		{
			data: { values: joined },
			mark: { type: "line", color: forecastColor, strokeDash: [6, 4] },
			encoding: {
				x,
				y: { field: "value", type: "quantitative", scale: yScale },
			},
		},
	];
	if (lastActual && firstStep) {
		layers.push({
			data: { values: [{ t: lastActual.t }] },
			mark: { type: "rule", color: THEME.domain, strokeDash: [2, 3] },
			encoding: { x: { field: "t", type: "temporal" } },
		});
	}
	const key = `Solid: actual · dashed: forecast · shaded: ${bandLabel}`;
	const subtitle = input.subtitle ? `${input.subtitle} · ${key}` : key;
	const spec = { ...frame(ctx, input, size, subtitle), layer: layers };
	return { ok: true, spec: spec as TopLevelSpec, alt };
}
