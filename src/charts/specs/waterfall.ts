import type { TopLevelSpec } from "vega-lite";
import { altText } from "../alt.ts";
import { finiteOrNull } from "../data.ts";
import { formatDelta, formatValue, type ValueFormat } from "../format.ts";
import { truncateToWidth } from "../text.ts";
import { seriesColor, THEME } from "../theme.ts";
import type { WaterfallInput } from "../types.ts";
import {
	type BuildContext,
	type BuiltChart,
	canvasSize,
	frame,
	noDataChart,
	rankAxis,
} from "./common.ts";

/** Steps shown unless the input asks for another number; the rest are the caller's "all others". */
export const MAX_WATERFALL_STEPS = 15;

const ROW_HEIGHT = 26;
const LABEL_GAP = 5;

/** A change written in its unit: a percent's change in percentage points, else a signed value. */
export function stepText(value: number, format: ValueFormat): string {
	if (format.style !== "percent") return formatDelta(value, format);
	const points = Math.abs(value * 100).toFixed(1);
	return `${value < 0 ? "\u2212" : "+"}${points} pts`;
}

/** A total, to one decimal for a percent (28.5%, not 28%: the steps are tenths of a point). */
function totalText(value: number, format: ValueFormat): string {
	if (format.style !== "percent") return formatValue(value, format, true);
	return `${value < 0 ? "\u2212" : ""}${Math.abs(value * 100).toFixed(1)}%`;
}

/**
 * A bridge from one total to another, read top to bottom: the start total, each step floating from
 * the running total (down in red, up in green), the end total. The totals are drawn from the
 * axis's left edge, which sits below the lowest running total rather than at zero when the steps
 * are small beside the totals (margin % 30.8% → 28.7%), so the steps can be seen; every bar carries
 * its value.
 */
export function buildWaterfall(
	ctx: BuildContext,
	input: WaterfallInput,
): BuiltChart {
	const start = finiteOrNull(input.start?.value);
	const end = finiteOrNull(input.end?.value);
	const steps = input.steps
		.flatMap((s) => {
			const value = finiteOrNull(s.value);
			return value === null ? [] : [{ label: s.label, value }];
		})
		.slice(0, MAX_WATERFALL_STEPS);
	const size = canvasSize(input, {
		width: THEME.size.width,
		height: Math.max(170, 90 + (steps.length + 2) * ROW_HEIGHT),
	});
	if (start === null || end === null || steps.length === 0)
		return noDataChart(
			ctx,
			input,
			"Nothing changed",
			altText(`${input.title}: nothing changed.`),
		);
	const f = input.format;
	const alt = altText(
		`Waterfall chart: ${input.title}.`,
		`From ${input.start.label} ${totalText(start, f)} to ${input.end.label} ${totalText(end, f)}:`,
		`${steps.map((s) => `${s.label} ${stepText(s.value, f)}`).join("; ")}.`,
	);
	const labelFont = THEME.fontSize.label;
	const categoryWidth = Math.round(size.width * 0.34);
	const name = (label: string) =>
		truncateToWidth(
			label || "(no name)",
			categoryWidth,
			labelFont,
			ctx.measure,
		);
	let running = start;
	const rows = [
		{
			rank: 0,
			category: name(input.start.label),
			from: Number.NaN,
			to: start,
			text: totalText(start, f),
			color: seriesColor(0),
			total: true,
		},
		...steps.map((s, i) => {
			const from = running;
			running += s.value;
			return {
				rank: i + 1,
				category: name(s.label),
				from,
				to: running,
				text: stepText(s.value, f),
				color: s.value < 0 ? THEME.severity.critical : THEME.severity.ok,
				total: false,
			};
		}),
		{
			rank: steps.length + 1,
			category: name(input.end.label),
			from: Number.NaN,
			to: end,
			text: totalText(end, f),
			color: seriesColor(0),
			total: true,
		},
	];
	const positions = rows.flatMap((r) => (r.total ? [r.to] : [r.from, r.to]));
	const hi = Math.max(...positions);
	const lo = Math.min(...positions);
	const spread = hi - lo || Math.abs(hi) || 1;
	// Zero when it is close enough that the steps still show; else just below the lowest total.
	const base = lo >= 0 && lo > spread * 2 ? lo - spread * 0.6 : Math.min(0, lo);
	const widestCategory = Math.max(
		...rows.map((r) => ctx.measure.width(r.category, labelFont)),
	);
	const plotWidth = size.width - 2 * THEME.padding - widestCategory - 12;
	const widest = (which: (r: (typeof rows)[number]) => boolean) =>
		Math.max(
			0,
			...rows
				.filter(which)
				.map((r) => ctx.measure.width(r.text, THEME.fontSize.mark)),
		) +
		LABEL_GAP +
		2;
	const down = (r: (typeof rows)[number]) => !r.total && r.to < r.from;
	const roomRight = widest((r) => !down(r));
	const roomLeft = rows.some(down) ? widest(down) : 0;
	const perPixel = (hi - base) / Math.max(40, plotWidth - roomRight - roomLeft);
	const domain = [base - roomLeft * perPixel, hi + roomRight * perPixel];
	const data = rows.map((r) => ({
		...r,
		from: r.total ? base : r.from,
		// The value label sits past the bar's far end, in the direction it moved.
		labelAt: r.to,
		align: down(r) ? "right" : "left",
	}));
	const y = rankAxis(rows.map((r) => r.category));
	const scale = { domain, nice: false, zero: false };
	const valueLabel = (align: "left" | "right") => ({
		transform: [{ filter: `datum.align === '${align}'` }],
		mark: {
			type: "text",
			align,
			dx: align === "left" ? LABEL_GAP : -LABEL_GAP,
			baseline: "middle",
			fontSize: THEME.fontSize.mark,
			color: THEME.text,
		},
		encoding: {
			x: { field: "labelAt", type: "quantitative", scale, axis: null },
			y,
			text: { field: "text" },
		},
	});
	const spec = {
		...frame(ctx, input, size, input.subtitle),
		data: { values: data },
		layer: [
			{
				mark: { type: "bar", cornerRadius: 2, height: { band: 0.7 } },
				encoding: {
					x: { field: "from", type: "quantitative", scale, axis: null },
					x2: { field: "to" },
					y,
					color: { field: "color", type: "nominal", scale: null },
				},
			},
			valueLabel("left"),
			valueLabel("right"),
		],
	};
	return { ok: true, spec: spec as TopLevelSpec, alt };
}
