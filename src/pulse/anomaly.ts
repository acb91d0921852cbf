/**
 * The anomaly condition: a robust z-score (median and MAD × 1.4826) of the latest point
 * against the metric's own history. With at least two seasons of history it is seasonal: each
 * point is first compared with the median of the same position in earlier seasons (same
 * weekday, same month), and the z-score is taken over those residuals, so a December peak is
 * judged against earlier Decembers instead of against the whole year.
 *
 * Cut-offs (|z| at or above fires): low 4.0, medium 3.0, high 2.5 (SENSITIVITY_Z); a tuned
 * monitor may carry its own `zThreshold`. With fewer than MIN_ANOMALY_HISTORY earlier points
 * the condition says so and does not fire.
 */
import { formatNumber } from "./format.ts";
import {
	type Evaluation,
	type EvaluationInput,
	fmt,
	labelOf,
	readSeries,
	type TimedValue,
} from "./input.ts";
import { type AnomalyCondition, type Grain, SENSITIVITY_Z } from "./model.ts";
import { inferGrain } from "./periods.ts";
import { directed, median, robustScale, robustZ } from "./stats.ts";

/** Earlier points (or seasonal residuals) needed before the condition may fire. */
export const MIN_ANOMALY_HISTORY = 8;

/** Points per season when the condition does not say: a week of days, a year of weeks or months. */
export const DEFAULT_SEASON: Record<Grain, number> = {
	day: 7,
	week: 52,
	month: 12,
};

/** The |z| cut-off a condition uses. */
export function zCutoff(c: AnomalyCondition): number {
	return c.zThreshold ?? SENSITIVITY_Z[c.sensitivity];
}

interface Baseline {
	expected: number;
	z: number;
	basis: string;
}

export function evaluateAnomaly(
	c: AnomalyCondition,
	input: EvaluationInput,
): Evaluation {
	const label = labelOf(input);
	const s = readSeries(input);
	if ("error" in s)
		return {
			breached: false,
			observed: null,
			detail: `${label} could not be read: ${s.error}`,
			error: s.error,
		};
	const latest = s.points.at(-1);
	if (!latest || latest.value === null)
		return {
			breached: false,
			observed: null,
			detail: `${label} has no latest value to judge`,
			noData: true,
		};
	const grain = input.grain ?? inferGrain(s.points.map((p) => p.t));
	const season = c.seasonLength ?? DEFAULT_SEASON[grain];
	const history = s.points.slice(0, -1);
	const base =
		(c.seasonal ? seasonalBaseline(history, latest.value, season) : null) ??
		plainBaseline(history, latest.value);
	if (!base)
		return {
			breached: false,
			observed: latest.value,
			noData: true,
			detail: `${label} has ${countValues(history)} earlier points; the anomaly check needs at least ${MIN_ANOMALY_HISTORY}, so it does not fire yet`,
		};
	const cutoff = zCutoff(c);
	const breached = directed(c.direction, base.z) >= cutoff;
	const how = base.z >= 0 ? "high" : "low";
	const verdict = breached
		? `is unusually ${how}`
		: "is within its usual range";
	const setting =
		c.zThreshold === undefined ? `${c.sensitivity} sensitivity, ` : "";
	return {
		breached,
		observed: latest.value,
		expected: base.expected,
		score: base.z,
		detail: `${label} ${fmt(input, latest.value)} ${verdict}: robust z-score ${formatNumber(base.z)} against ${base.basis} (${setting}cut-off ${formatNumber(cutoff)})`,
	};
}

function countValues(points: readonly TimedValue[]): number {
	return points.filter((p) => p.value !== null).length;
}

function values(points: readonly TimedValue[]): number[] {
	return points.flatMap((p) => (p.value === null ? [] : [p.value]));
}

function plainBaseline(
	history: readonly TimedValue[],
	latest: number,
): Baseline | null {
	const xs = values(history);
	if (xs.length < MIN_ANOMALY_HISTORY) return null;
	const scale = robustScale(xs);
	return {
		expected: scale.centre,
		z: robustZ(latest, scale),
		basis: `a median of ${formatNumber(scale.centre)} over ${xs.length} earlier points`,
	};
}

/** Median of the values at the same position in earlier seasons, or null when there are none. */
function sameSeason(
	points: readonly TimedValue[],
	i: number,
	season: number,
): number | null {
	const xs: number[] = [];
	for (let j = i - season; j >= 0; j -= season) {
		const v = points[j]?.value;
		if (v !== null && v !== undefined) xs.push(v);
	}
	return xs.length ? median(xs) : null;
}

function seasonalBaseline(
	history: readonly TimedValue[],
	latest: number,
	season: number,
): Baseline | null {
	if (history.length < 2 * season) return null;
	const all = [...history, { t: 0, period: "", value: latest }];
	const residuals: number[] = [];
	for (let i = season; i < history.length; i++) {
		const v = history[i]?.value;
		const e = sameSeason(all, i, season);
		if (v !== null && v !== undefined && e !== null) residuals.push(v - e);
	}
	const expectedNow = sameSeason(all, history.length, season);
	if (residuals.length < MIN_ANOMALY_HISTORY || expectedNow === null)
		return null;
	const scale = robustScale(residuals);
	const seasons = Math.floor(history.length / season);
	return {
		expected: expectedNow + scale.centre,
		z: robustZ(latest - expectedNow, scale),
		basis: `${formatNumber(expectedNow + scale.centre)} expected from the same position in ${seasons} earlier seasons of ${season} points`,
	};
}
