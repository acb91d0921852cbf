import { altText } from "./alt.ts";
import { buildBar } from "./specs/bar.ts";
import { buildCohort } from "./specs/cohort.ts";
import type { BuildContext, BuiltChart } from "./specs/common.ts";
import { buildDualAxis } from "./specs/dual-axis.ts";
import { buildForecast } from "./specs/forecast.ts";
import { buildScatter } from "./specs/scatter.ts";
import { buildSmallMultiples } from "./specs/small-multiples.ts";
import { buildSparkline } from "./specs/sparkline.ts";
import { buildTimeSeries } from "./specs/timeseries.ts";
import { buildWaterfall } from "./specs/waterfall.ts";
import type { ChartInput } from "./types.ts";

/** Lists an input must carry, by kind; a missing one is a caller's bug, reported as an error result. */
const REQUIRED_LISTS: Record<ChartInput["kind"], string[]> = {
	timeseries: ["series"],
	"dual-axis": [],
	scatter: ["points"],
	bar: ["items"],
	waterfall: ["steps"],
	cohort: ["cohorts"],
	forecast: ["actuals", "forecast"],
	sparkline: ["points"],
	"small-multiples": ["panels"],
};

/**
 * Picks the builder for the input's kind. Inputs are typed, but they are built from query results,
 * so a malformed one (wrong kind, missing list) becomes an error result rather than a throw.
 */
export function buildChart(ctx: BuildContext, input: ChartInput): BuiltChart {
	if (
		typeof input !== "object" ||
		input === null ||
		typeof input.title !== "string"
	) {
		return {
			ok: false,
			error: "chart input must be an object with a string title",
			alt: "Chart.",
		};
	}
	const alt = altText(`Chart: ${input.title}.`);
	const required = Object.hasOwn(REQUIRED_LISTS, input.kind)
		? REQUIRED_LISTS[input.kind]
		: undefined;
	if (!required) {
		return {
			ok: false,
			error: `unknown chart kind ${JSON.stringify((input as { kind?: unknown }).kind)}`,
			alt,
		};
	}
	const record = input as unknown as Record<string, unknown>;
	const missing = required.find((key) => !Array.isArray(record[key]));
	if (missing)
		return {
			ok: false,
			error: `${input.kind} chart input needs a "${missing}" list`,
			alt,
		};
	switch (input.kind) {
		case "timeseries":
			return buildTimeSeries(ctx, input);
		case "dual-axis":
			if (
				!Array.isArray(input.left?.points) ||
				!Array.isArray(input.right?.points)
			) {
				return {
					ok: false,
					error:
						'dual-axis chart input needs "left" and "right" series with points',
					alt,
				};
			}
			return buildDualAxis(ctx, input);
		case "scatter":
			return buildScatter(ctx, input);
		case "bar":
			return buildBar(ctx, input);
		case "waterfall":
			return buildWaterfall(ctx, input);
		case "cohort":
			return buildCohort(ctx, input);
		case "forecast":
			return buildForecast(ctx, input);
		case "sparkline":
			return buildSparkline(ctx, input);
		case "small-multiples":
			return buildSmallMultiples(ctx, input);
	}
}
