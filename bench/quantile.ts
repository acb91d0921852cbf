/** The q-quantile of sorted timings (nearest rank): quantile(xs, 0.5) is the median, 0.95 the p95. */
export function quantile(sorted: readonly number[], q: number): number {
	const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
	return sorted[Math.max(0, i)] ?? Number.NaN;
}
