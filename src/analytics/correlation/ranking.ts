/**
 * Ranking every metric against one target, with Benjamini–Hochberg control of the false
 * discovery rate across the comparisons.
 */
import { correlateSeries } from "./analyze.ts";
import type {
	CorrelationReport,
	CorrelationResult,
	MetricMetaMap,
	Ranking,
	Series,
} from "./types.ts";
import { seriesRef } from "./wording.ts";

/** The false discovery rate used unless the caller gives one. */
export const DEFAULT_FDR = 0.05;

/**
 * Benjamini–Hochberg adjusted p-values (q-values), in the order given:
 * q(i) = min over j ≥ i of min(1, m·p(j)/j) with p sorted ascending. Equal p-values get equal q.
 * Matches statsmodels `multipletests(p, method="fdr_bh")[1]`.
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
	const m = p.length;
	const order = p
		.map((v, i) => ({ v, i }))
		.sort((a, b) => a.v - b.v || a.i - b.i);
	const q = new Array<number>(m).fill(1);
	let running = 1;
	for (let k = m - 1; k >= 0; k--) {
		const item = order[k];
		if (!item) continue;
		running = Math.min(running, (m * item.v) / (k + 1));
		q[item.i] = Math.min(1, running);
	}
	return q;
}

/** |r| of a computed result, or −1 so refused results sort last. */
function strength(r: CorrelationResult): number {
	return r.status === "ok" ? Math.abs(r.pearson.r) : -1;
}

function byMetric(a: CorrelationResult, b: CorrelationResult): number {
	return a.x.metric < b.x.metric ? -1 : a.x.metric > b.x.metric ? 1 : 0;
}

/**
 * Correlates the target (as y) with each other series (as x) and ranks them by |r|.
 * q-values adjust the autocorrelation-adjusted p (`effective.p`), the honest one for time
 * series, across the metrics that could be computed; those with q ≤ `fdr` survive. A series
 * with the target's own metric id is skipped. Ties in |r| keep metric-id order.
 */
export function rankAgainst(
	target: Series,
	others: readonly Series[],
	meta: MetricMetaMap = {},
	fdr = DEFAULT_FDR,
): Ranking {
	const results = others
		.filter((s) => s.metric !== target.metric)
		.map((s) => correlateSeries(s, target, meta))
		.sort((a, b) => strength(b) - strength(a) || byMetric(a, b));
	const computed = results.filter(
		(r): r is CorrelationReport => r.status === "ok",
	);
	const q = benjaminiHochberg(computed.map((r) => r.effective.p));
	const qOf = new Map<CorrelationResult, number>(
		computed.map((r, i) => [r, q[i] ?? 1]),
	);
	return {
		target: seriesRef(target, meta),
		fdr,
		entries: results.map((result, i) => {
			const qv = qOf.get(result) ?? null;
			return { rank: i + 1, result, q: qv, survives: qv !== null && qv <= fdr };
		}),
	};
}
