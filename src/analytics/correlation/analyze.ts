/**
 * `correlateSeries`: aligns two series and computes every statistic and the verdict.
 * Pure: the caller fetches the series and the catalog metadata and decides what to show.
 */
import { type AlignedPair, alignSeries } from "./alignment.ts";
import {
	changeCorrelation,
	crossCorrelation,
	effectiveSample,
	lagOneAutocorrelations,
	seasonalCheck,
} from "./dependence.ts";
import { countPeriods, GRAIN_WORDS } from "./periods.ts";
import {
	isConstant,
	leastSquares,
	MIN_POINTS,
	pearson,
	spearman,
} from "./statistics.ts";
import type {
	CorrelationRefusal,
	CorrelationResult,
	MetricMetaMap,
	RefusalCode,
	Series,
	SeriesRef,
} from "./types.ts";
import {
	decideVerdict,
	definitionalOverlap,
	refusalVerdict,
} from "./verdict.ts";
import { formatNumber, seriesRef, slopeSentence } from "./wording.ts";

/**
 * Correlates y with x: Pearson, Spearman, changes, lags, autocorrelation, effective sample size,
 * regression of y on x, seasonality, definitional overlap and a verdict. Refuses (with a reason,
 * never NaN) when the series cannot be aligned, overlap on fewer than 6 periods, or one is constant.
 */
export function correlateSeries(
	x: Series,
	y: Series,
	meta: MetricMetaMap = {},
): CorrelationResult {
	const xRef = seriesRef(x, meta);
	const yRef = seriesRef(y, meta);
	const alignment = alignSeries(x, y);
	if (!alignment.ok)
		return refuse(xRef, yRef, x, null, alignment.code, alignment.reason);
	const a = alignment.aligned;
	const refusal = checkUsable(a, xRef, yRef, x.grain);
	if (refusal) return refuse(xRef, yRef, x, a, refusal.code, refusal.reason);

	const p = pearson(a.x, a.y);
	const rho = spearman(a.x, a.y);
	const fit = leastSquares(a.x, a.y);
	// checkUsable ruled out constant series, so these are all defined.
	if (!p || !rho || !fit)
		return refuse(
			xRef,
			yRef,
			x,
			a,
			"constant_series",
			"a series does not vary",
		);
	const autocorrelation = lagOneAutocorrelations(a);
	const input = {
		x: xRef,
		y: yRef,
		grain: x.grain,
		n: a.n,
		first: a.period[0] ?? null,
		last: a.period[a.n - 1] ?? null,
		pearson: p,
		spearman: rho,
		changes: changeCorrelation(a, x.grain),
		crossCorrelation: crossCorrelation(alignment.x, alignment.y, x.grain),
		autocorrelation,
		effective: effectiveSample(a.n, p.r, autocorrelation),
		regression: {
			...fit,
			sentence: slopeSentence(fit.slope, xRef, yRef, x.grain, meta),
		},
		seasonal: seasonalCheck(a, x.grain),
		overlap: definitionalOverlap(xRef, yRef, meta),
	};
	return { status: "ok", ...input, verdict: decideVerdict(input) };
}

function checkUsable(
	a: AlignedPair,
	x: SeriesRef,
	y: SeriesRef,
	grain: Series["grain"],
): { code: RefusalCode; reason: string } | null {
	if (a.n < MIN_POINTS) {
		const many = GRAIN_WORDS[grain].many;
		const overlap =
			a.n === 0
				? `no ${many} overlap`
				: `only ${countPeriods(a.n, grain)} overlap${a.n === 1 ? "s" : ""}`;
		return {
			code: "too_few_points",
			reason: `${overlap}; need at least ${MIN_POINTS}`,
		};
	}
	const flat = [
		{ ref: x, values: a.x },
		{ ref: y, values: a.y },
	].filter((s) => isConstant(s.values));
	if (flat.length === 0) return null;
	const over = `over the ${countPeriods(a.n, grain)} they overlap`;
	const reason =
		flat.length === 2
			? `both ${x.label} and ${y.label} are constant ${over}, so there is nothing to correlate`
			: `${flat[0]?.ref.label} is constant (${formatNumber(flat[0]?.values[0] ?? 0)}) ${over}, so it cannot correlate with anything`;
	return { code: "constant_series", reason };
}

function refuse(
	x: SeriesRef,
	y: SeriesRef,
	s: Series,
	a: AlignedPair | null,
	code: RefusalCode,
	reason: string,
): CorrelationRefusal {
	return {
		status: "refused",
		x,
		y,
		grain: s.grain,
		n: a?.n ?? 0,
		first: a?.period[0] ?? null,
		last: a ? (a.period[a.n - 1] ?? null) : null,
		code,
		reason,
		verdict: refusalVerdict(code, reason),
	};
}
