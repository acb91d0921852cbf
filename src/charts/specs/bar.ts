import type { TopLevelSpec } from "vega-lite";
import { altText } from "../alt.ts";
import { finiteOrNull } from "../data.ts";
import { formatValue } from "../format.ts";
import { truncateToWidth } from "../text.ts";
import { seriesColor, THEME } from "../theme.ts";
import type { BarInput } from "../types.ts";
import {
	type BuildContext,
	type BuiltChart,
	canvasSize,
	frame,
	noDataChart,
	rankAxis,
} from "./common.ts";

/** Bars shown unless the input asks for another number; more than 25 cannot be read in chat. */
export const DEFAULT_BAR_LIMIT = 10;
export const MAX_BAR_LIMIT = 25;

const BAR_HEIGHT = 24;
const LABEL_GAP = 5;

/** Horizontal bars, largest first, each with its value written at its end; negatives grow left. */
export function buildBar(ctx: BuildContext, input: BarInput): BuiltChart {
	const limit = Math.max(
		1,
		Math.min(MAX_BAR_LIMIT, Math.floor(input.limit ?? DEFAULT_BAR_LIMIT)),
	);
	const valid = input.items.flatMap((item) => {
		const value = finiteOrNull(item.value);
		return value === null ? [] : [{ ...item, value }];
	});
	const sorted =
		input.order === "input"
			? valid
			: [...valid].sort((a, b) => b.value - a.value);
	const top = sorted.slice(0, limit);
	const cut = valid.length - top.length;
	const size = canvasSize(input, {
		width: THEME.size.width,
		height: Math.max(150, 90 + top.length * BAR_HEIGHT),
	});
	const alt = altText(
		`Bar chart: ${input.title}.`,
		cut > 0 ? `Top ${top.length} of ${valid.length}:` : undefined,
		top
			.map((b) => `${b.label}: ${formatValue(b.value, input.format, true)}`)
			.join("; ") + (top.length ? "." : ""),
		valid.length < input.items.length
			? `${input.items.length - valid.length} without a value.`
			: undefined,
	);
	if (top.length === 0) {
		return noDataChart(
			ctx,
			input,
			"No data for this period",
			altText(`${input.title}: no data for this period.`),
		);
	}
	const labelFont = THEME.fontSize.label;
	const categoryWidth = Math.round(size.width * 0.38);
	const rows = top.map((b, rank) => ({
		rank,
		value: b.value,
		text: formatValue(b.value, input.format, true),
		color: b.severity ? THEME.severity[b.severity] : seriesColor(0),
		category: truncateToWidth(
			b.label || "(no name)",
			categoryWidth,
			labelFont,
			ctx.measure,
		),
	}));
	// Leave room beside the bars for their value labels, measured in the chart font.
	const widest = (vals: typeof rows) =>
		Math.max(
			0,
			...vals.map((r) => ctx.measure.width(r.text, THEME.fontSize.mark)),
		) +
		LABEL_GAP +
		2;
	const positives = rows.filter((r) => r.value >= 0);
	const negatives = rows.filter((r) => r.value < 0);
	const widestCategory = Math.max(
		...rows.map((r) => ctx.measure.width(r.category, labelFont)),
	);
	const plotWidth = size.width - 2 * THEME.padding - widestCategory - 12;
	const roomRight = positives.length ? widest(positives) : 0;
	const roomLeft = negatives.length ? widest(negatives) : 0;
	const hi = Math.max(0, ...rows.map((r) => r.value));
	const lo = Math.min(0, ...rows.map((r) => r.value));
	const span = hi - lo || 1;
	const perPixel = span / Math.max(40, plotWidth - roomRight - roomLeft);
	const domain = [lo - roomLeft * perPixel, hi + roomRight * perPixel];
	const y = rankAxis(rows.map((r) => r.category));
	const x = {
		field: "value",
		type: "quantitative",
		scale: { domain, nice: false, zero: false },
		axis: null,
	};
	const valueLabel = (sign: "pos" | "neg") => ({
		transform: [
			{ filter: sign === "pos" ? "datum.value >= 0" : "datum.value < 0" },
		],
		mark: {
			type: "text",
			align: sign === "pos" ? "left" : "right",
			dx: sign === "pos" ? LABEL_GAP : -LABEL_GAP,
			baseline: "middle",
			fontSize: THEME.fontSize.mark,
			color: THEME.text,
		},
		encoding: { x, y, text: { field: "text" } },
	});
	const layers: unknown[] = [
		{
			mark: { type: "bar", cornerRadiusEnd: 2, height: { band: 0.72 } },
			encoding: {
				x: { ...x },
				x2: { datum: 0 },
				y,
				color: { field: "color", type: "nominal", scale: null },
			},
		},
		valueLabel("pos"),
		valueLabel("neg"),
	];
	if (negatives.length) {
		layers.push({
			data: { values: [{ zero: 0 }] },
			mark: { type: "rule", color: THEME.domain },
			encoding: { x: { field: "zero", type: "quantitative" } },
		});
	}
	const subtitle = [
		input.subtitle,
		cut > 0 ? `Top ${top.length} of ${valid.length}` : undefined,
	]
		.filter(Boolean)
		.join(" · ");
	const spec = {
		...frame(ctx, input, size, subtitle || undefined),
		data: { values: rows },
		layer: layers,
	};
	return { ok: true, spec: spec as TopLevelSpec, alt };
}
