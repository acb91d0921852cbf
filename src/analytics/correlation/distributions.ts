import { createRequire } from "node:module";

/**
 * The two distributions, loaded on first use: they are about 350 small modules, a quarter of a
 * second of CPU on a first run, which every CLI command that lists the chat commands (`chat help`)
 * would pay without ever computing a p-value.
 */
const require = createRequire(import.meta.url);
function onFirstUse<F>(id: string): () => F {
	let loaded: F | undefined;
	return () => {
		loaded ??= require(id) as F;
		return loaded;
	};
}
const tCdf = onFirstUse<(x: number, v: number) => number>(
	"@stdlib/stats-base-dists-t-cdf",
);
const normalQuantile = onFirstUse<
	(p: number, mu: number, sigma: number) => number
>("@stdlib/stats-base-dists-normal-quantile");

/**
 * Two-sided p-value of Student's t with `df` degrees of freedom (df need not be an integer).
 * Uses the lower tail, 2·F(−|t|), which keeps precision for tiny p-values.
 */
export function twoSidedTP(t: number, df: number): number {
	if (!(df > 0)) return 1;
	if (!Number.isFinite(t)) return 0;
	return clampProbability(2 * tCdf()(-Math.abs(t), df));
}

/** The standard normal quantile, e.g. 1.959963984540054 for 0.975. */
export function standardNormalQuantile(p: number): number {
	return normalQuantile()(p, 0, 1);
}

/** Keeps a probability in [0, 1] despite rounding. */
export function clampProbability(p: number): number {
	return Math.min(1, Math.max(0, p));
}
