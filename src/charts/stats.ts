/** Least-squares line y = slope·x + intercept through paired values, with Pearson's r. */
export interface LinearFit {
	n: number;
	slope: number;
	intercept: number;
	r: number;
}

/**
 * Fits a line by ordinary least squares. Null when fewer than two points or when x (or y) does not
 * vary, because then there is no line (or no correlation) to speak of. Centred sums keep huge
 * magnitudes from cancelling out.
 */
export function linearFit(
	points: readonly { x: number; y: number }[],
): LinearFit | null {
	const n = points.length;
	if (n < 2) return null;
	let mx = 0;
	let my = 0;
	for (const p of points) {
		mx += p.x / n;
		my += p.y / n;
	}
	let sxx = 0;
	let syy = 0;
	let sxy = 0;
	for (const p of points) {
		const dx = p.x - mx;
		const dy = p.y - my;
		sxx += dx * dx;
		syy += dy * dy;
		sxy += dx * dy;
	}
	if (!(sxx > 0) || !(syy > 0) || !Number.isFinite(sxy)) return null;
	const slope = sxy / sxx;
	const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
	return { n, slope, intercept: my - slope * mx, r };
}

/** A plain word for the strength of a correlation coefficient. */
export function correlationStrength(r: number): string {
	const a = Math.abs(r);
	const strength =
		a >= 0.7
			? "strong"
			: a >= 0.4
				? "moderate"
				: a >= 0.2
					? "weak"
					: "no clear";
	if (strength === "no clear") return "no clear correlation";
	return `${strength} ${r > 0 ? "positive" : "negative"} correlation`;
}
