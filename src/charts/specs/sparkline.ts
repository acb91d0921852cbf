import type { TopLevelSpec } from "vega-lite";
import { altText, describeSeries } from "../alt.ts";
import {
	cleanPoints,
	downsampleMinMax,
	extent,
	finiteOrNull,
	lastValue,
} from "../data.ts";
import { formatDelta, formatValue } from "../format.ts";
import { truncateToWidth } from "../text.ts";
import { chartConfig, seriesColor, THEME } from "../theme.ts";
import type { SparklineInput } from "../types.ts";
import { type BuildContext, type BuiltChart, canvasSize } from "./common.ts";

/** A digest tile: 320 × 120 CSS pixels unless the input says otherwise. */
export const SPARKLINE_SIZE = { width: 320, height: 120 } as const;

const NAME_FONT = 13;
const VALUE_FONT = 26;
const DELTA_FONT = 13;
const LINE_HEIGHT_PX = 44;

function textLayer(
	text: string,
	x: number,
	y: number,
	mark: Record<string, unknown>,
) {
	return {
		data: { values: [{ text }] },
		mark: { type: "text", baseline: "top", align: "left", ...mark },
		encoding: { text: { field: "text" }, x: { value: x }, y: { value: y } },
	};
}

/** A KPI tile: the measure's name, its value in large type, the change in colour, and a small line. */
export function buildSparkline(
	ctx: BuildContext,
	input: SparklineInput,
): BuiltChart {
	const outer = canvasSize(input, SPARKLINE_SIZE);
	const width = outer.width - 2 * THEME.padding;
	const height = outer.height - 2 * THEME.padding;
	const points = cleanPoints(input.points);
	const drawn = downsampleMinMax(points, Math.max(8, Math.floor(width)));
	const last = lastValue(points);
	const value = finiteOrNull(input.value) ?? last?.value ?? null;
	const valueText = formatValue(value, input.format);
	const delta =
		input.delta && finiteOrNull(input.delta.value) !== null
			? input.delta
			: undefined;
	const good = delta
		? delta.value >= 0 === ((input.goodDirection ?? "up") === "up")
		: true;
	const deltaColor =
		!delta || delta.value === 0
			? THEME.mutedText
			: good
				? THEME.positive
				: THEME.negative;
	const arrow =
		!delta || delta.value === 0 ? "" : delta.value > 0 ? "▲ " : "▼ ";
	const deltaNumber = delta
		? `${arrow}${formatDelta(delta.value, delta.format ?? input.format)}`
		: "";
	const room = width - ctx.measure.width(valueText, VALUE_FONT, true) - 14;
	const deltaText = delta
		? truncateToWidth(
				`${deltaNumber}${delta.label ? ` ${delta.label}` : ""}`,
				Math.max(room, ctx.measure.width(deltaNumber, DELTA_FONT) + 1),
				DELTA_FONT,
				ctx.measure,
			)
		: "";
	const name = truncateToWidth(
		input.title,
		width,
		NAME_FONT,
		ctx.measure,
		true,
	);
	const e = extent(drawn.map((p) => p.value));
	const color = seriesColor(0);
	const layers: unknown[] = [
		textLayer(name, 0, 0, {
			fontSize: NAME_FONT,
			fontWeight: "bold",
			color: THEME.mutedText,
		}),
		textLayer(valueText, 0, NAME_FONT + 8, {
			fontSize: VALUE_FONT,
			fontWeight: "bold",
			color: THEME.text,
		}),
	];
	if (deltaText) {
		layers.push(
			textLayer(deltaText, width, NAME_FONT + 8 + VALUE_FONT - DELTA_FONT - 2, {
				fontSize: DELTA_FONT,
				align: "right",
				color: deltaColor,
			}),
		);
	}
	if (e) {
		// Flat series sit mid-height; otherwise the line fills the strip at the bottom of the tile.
		const pad = e.max > e.min ? 0 : Math.abs(e.max) * 0.1 || 1;
		const y = {
			field: "value",
			type: "quantitative",
			scale: {
				domain: [e.min - pad, e.max + pad],
				range: [height - 2, height - LINE_HEIGHT_PX],
				nice: false,
				zero: false,
			},
			axis: null,
		};
		const x = {
			field: "t",
			type: "temporal",
			scale: { type: "utc", range: [3, width - 5] },
			axis: null,
		};
		layers.push(
			{
				data: { values: drawn },
				mark: { type: "line", color, strokeWidth: 2 },
				encoding: { x, y },
			},
			{
				data: { values: last ? [last] : [] },
				mark: { type: "point", filled: true, size: 36, color, opacity: 1 },
				encoding: { x, y },
			},
		);
	} else {
		layers.push(
			textLayer("No data for this period", 0, height - 24, {
				fontSize: NAME_FONT,
				color: THEME.mutedText,
			}),
		);
	}
	const alt = altText(
		`KPI tile: ${input.title} ${formatValue(value, input.format, true)}.`,
		delta
			? `Change ${formatDelta(delta.value, delta.format ?? input.format)}${delta.label ? ` ${delta.label}` : ""} (${good ? "good" : "bad"}).`
			: undefined,
		describeSeries("Trend", points, input.format, input.grain),
	);
	const spec = {
		width,
		height,
		autosize: { type: "none" },
		config: chartConfig(),
		layer: layers,
	};
	return { ok: true, spec: spec as TopLevelSpec, alt };
}
