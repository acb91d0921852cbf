import type { TopLevelSpec } from "vega-lite";
import { altText } from "../alt.ts";
import { finiteOrNull, toMillis } from "../data.ts";
import { formatDate, formatValue, type TimeGrain } from "../format.ts";
import { THEME } from "../theme.ts";
import type { CohortInput } from "../types.ts";
import {
	type BuildContext,
	type BuiltChart,
	canvasSize,
	frame,
	noDataChart,
} from "./common.ts";

/** Most cohorts and periods drawn; older cohorts and later periods are left off beyond this. */
export const MAX_COHORTS = 36;
export const MAX_PERIODS = 36;

const MIN_CELL = 16;
const PERCENT = { style: "percent" } as const;

const PERIOD_WORD: Record<TimeGrain, string> = {
	hour: "Hours",
	day: "Days",
	week: "Weeks",
	month: "Months",
	quarter: "Quarters",
	year: "Years",
};

/**
 * Cohort retention as a triangle: a row per cohort (newest at the bottom), a column per period
 * since the cohort started, colour by share retained, and "%" labels when the cells are big enough.
 */
export function buildCohort(ctx: BuildContext, input: CohortInput): BuiltChart {
	const cohorts = input.cohorts
		.flatMap((c) => {
			const t = toMillis(c.start);
			return t === null ? [] : [{ ...c, t }];
		})
		.sort((a, b) => a.t - b.t)
		.slice(-MAX_COHORTS);
	const periods = Math.min(
		MAX_PERIODS,
		Math.max(0, ...cohorts.map((c) => c.retention.length)),
	);
	const rowLabel = (c: (typeof cohorts)[number]) =>
		`${formatDate(c.t, input.grain, "short")} (${formatValue(c.size, { style: "count" })})`;
	const labels = cohorts.map(rowLabel);
	const cells = cohorts.flatMap((c, row) =>
		c.retention.slice(0, periods).flatMap((raw, period) => {
			const value = finiteOrNull(raw);
			if (value === null) return [];
			const share = Math.max(0, Math.min(1, value));
			return [{ row, period, value: share, text: formatValue(share, PERCENT) }];
		}),
	);
	if (cells.length === 0) {
		return noDataChart(
			ctx,
			input,
			"No cohorts to show yet",
			altText(`${input.title}: no cohort data yet.`),
		);
	}
	const labelFont = THEME.fontSize.label;
	const labelWidth =
		Math.max(...labels.map((l) => ctx.measure.width(l, labelFont))) + 10;
	const base = canvasSize(input, {
		width: Math.max(
			THEME.size.width,
			Math.ceil(labelWidth + 40 + periods * MIN_CELL),
		),
		height: Math.max(THEME.size.height, 110 + cohorts.length * MIN_CELL),
	});
	const cellWidth =
		(base.width - 2 * THEME.padding - labelWidth - 10) / Math.max(1, periods);
	const cellHeight =
		(base.height - 2 * THEME.padding - 100) / Math.max(1, cohorts.length);
	const cellFont = THEME.fontSize.mark;
	const showText =
		cellWidth >= ctx.measure.width("100%", cellFont) + 6 &&
		cellHeight >= cellFont + 4;
	const periodWord = PERIOD_WORD[input.grain];
	const layers: unknown[] = [
		{
			mark: { type: "rect", stroke: THEME.background, strokeWidth: 1 },
			encoding: {
				color: {
					field: "value",
					type: "quantitative",
					scale: { domain: [0, 1], range: [...THEME.heatmapScheme] },
					legend: showText
						? null
						: {
								format: PERCENT,
								formatType: "erpFormat",
								orient: "right",
								direction: "vertical",
								gradientLength: 120,
							},
				},
			},
		},
	];
	if (showText) {
		layers.push({
			mark: { type: "text", fontSize: cellFont, baseline: "middle" },
			encoding: {
				text: { field: "text" },
				color: {
					condition: { test: "datum.value >= 0.7", value: "#ffffff" },
					value: THEME.text,
				},
			},
		});
	}
	const spec = {
		...frame(
			ctx,
			input,
			base,
			input.subtitle ??
				`Share of each cohort still active, by ${periodWord.toLowerCase().replace(/s$/, "")} since start`,
		),
		data: { values: cells },
		encoding: {
			x: {
				field: "period",
				type: "ordinal",
				scale: { domain: Array.from({ length: periods }, (_, i) => i) },
				axis: {
					title: `${periodWord} since start`,
					orient: "top",
					labelOverlap: "parity",
					ticks: false,
					domain: false,
				},
			},
			y: {
				field: "row",
				type: "ordinal",
				scale: { domain: labels.map((_, i) => i) },
				axis: {
					title: null,
					labelExpr: `${JSON.stringify(labels)}[datum.value]`,
					ticks: false,
					domain: false,
					labelOverlap: "parity",
				},
			},
		},
		layer: layers,
	};
	const last = cohorts[cohorts.length - 1];
	const first = cohorts[0];
	const avg = (p: number) => {
		const vals = cells.filter((c) => c.period === p).map((c) => c.value);
		return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
	};
	const alt = altText(
		`Cohort retention heatmap: ${input.title}.`,
		first && last
			? `${cohorts.length} cohorts from ${formatDate(first.t, input.grain, "long")} to ${formatDate(last.t, input.grain, "long")}, up to ${periods} ${periodWord.toLowerCase()} each.`
			: undefined,
		periods > 1
			? `Average retention after 1 period ${formatValue(avg(1), PERCENT)}.`
			: undefined,
		periods > 1
			? `After ${periods - 1}: ${formatValue(avg(periods - 1), PERCENT)}.`
			: undefined,
		showText
			? undefined
			: "Cells are coloured by share; labels left off because the cells are small.",
	);
	return { ok: true, spec: spec as TopLevelSpec, alt };
}
