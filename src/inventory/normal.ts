import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalPdf from "@stdlib/stats-base-dists-normal-pdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

/** Standard normal density φ(z). */
export function phi(z: number): number {
	return normalPdf(z, 0, 1);
}

/** Standard normal distribution function Φ(z). */
export function bigPhi(z: number): number {
	return normalCdf(z, 0, 1);
}

/**
 * Standard normal quantile Φ⁻¹(p) for 0 < p < 1. The caller validates p (see
 * `serviceLevelZ`); here an out-of-range p gives NaN as the library does.
 */
export function normalInverse(p: number): number {
	return normalQuantile(p, 0, 1);
}

/**
 * Standard normal loss function G(z) = E[(Z − z)⁺] = φ(z) − z·(1 − Φ(z)): the expected units
 * short per unit of lead-time standard deviation when the reorder point sits z deviations
 * above the mean. 1 − Φ(z) is taken as Φ(−z) so large z keeps its precision.
 */
export function normalLoss(z: number): number {
	return phi(z) - z * bigPhi(-z);
}
