/**
 * Small numerical tools for fitting forecasts: Nelder–Mead on the unit box and linear least
 * squares by Householder QR. Deterministic; no randomness.
 */

/** Where Nelder–Mead stopped. */
export interface Minimum {
	x: number[];
	value: number;
	evaluations: number;
}

/** Nelder–Mead settings; defaults suit 1 to 3 parameters. */
export interface NelderMeadOptions {
	/** Initial simplex edge. */
	step?: number;
	/** Stop when the simplex's values differ by less than this (relative to |best| + 1e-12). */
	tolerance?: number;
	maxEvaluations?: number;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

type Vertex = { x: number[]; v: number };

const along = (a: readonly number[], b: readonly number[], t: number) =>
	a.map((ai, i) => clamp01(ai + t * ((b[i] ?? 0) - ai)));

/** One Nelder–Mead move on a simplex sorted best first; replaces the worst vertex or shrinks. */
function nelderMeadStep(
	simplex: Vertex[],
	evalAt: (x: number[]) => number,
): void {
	const k = simplex.length - 1;
	const best = simplex[0] as Vertex;
	const worst = simplex[k] as Vertex;
	const centroid = new Array<number>(k).fill(0);
	for (let j = 0; j < k; j++)
		for (let i = 0; i < k; i++)
			centroid[i] = (centroid[i] ?? 0) + (simplex[j]?.x[i] ?? 0) / k;
	const reflected = along(centroid, worst.x, -1);
	const vr = evalAt(reflected);
	if (vr < best.v) {
		const expanded = along(centroid, worst.x, -2);
		const ve = evalAt(expanded);
		simplex[k] = ve < vr ? { x: expanded, v: ve } : { x: reflected, v: vr };
		return;
	}
	if (vr < (simplex[k - 1]?.v ?? worst.v)) {
		simplex[k] = { x: reflected, v: vr };
		return;
	}
	const outside = vr < worst.v;
	const contracted = along(centroid, outside ? reflected : worst.x, 0.5);
	const vc = evalAt(contracted);
	if (vc < (outside ? vr : worst.v)) {
		simplex[k] = { x: contracted, v: vc };
		return;
	}
	for (let j = 1; j <= k; j++) {
		const x = along(best.x, simplex[j]?.x ?? best.x, 0.5);
		simplex[j] = { x, v: evalAt(x) };
	}
}

/**
 * Minimises `f` over [0, 1]^k with Nelder–Mead (reflection 1, expansion 2, contraction ½,
 * shrink ½; Nelder & Mead 1965, as in Lagarias et al. 1998). Trial points are clamped to the
 * box, which lets the search settle on a bound such as β = 0.
 */
export function nelderMeadUnitBox(
	f: (x: number[]) => number,
	start: readonly number[],
	options: NelderMeadOptions = {},
): Minimum {
	const k = start.length;
	const step = options.step ?? 0.1;
	const tol = options.tolerance ?? 1e-12;
	const maxEval = options.maxEvaluations ?? 400 * Math.max(1, k);
	let evaluations = 0;
	const evalAt = (x: number[]) => {
		evaluations++;
		const v = f(x);
		return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
	};
	const first = start.map(clamp01);
	const simplex: Vertex[] = [{ x: first, v: evalAt(first) }];
	for (let i = 0; i < k; i++) {
		const x = first.slice();
		const xi = x[i] ?? 0;
		x[i] = xi + step <= 1 ? xi + step : xi - step;
		simplex.push({ x, v: evalAt(x) });
	}
	const byValue = (a: Vertex, b: Vertex) => a.v - b.v;
	for (simplex.sort(byValue); evaluations < maxEval; simplex.sort(byValue)) {
		const best = simplex[0] as Vertex;
		const spread = Math.abs((simplex[k] as Vertex).v - best.v);
		if (spread <= tol * (Math.abs(best.v) + 1e-12)) break;
		nelderMeadStep(simplex, evalAt);
	}
	simplex.sort(byValue);
	const best = simplex[0] as Vertex;
	return { x: best.x, value: best.v, evaluations };
}

/**
 * Least-squares solution of A·θ ≈ b (A given as rows) by Householder QR. A column that is
 * (numerically) dependent on earlier ones gets coefficient 0 rather than a blow-up.
 */
export function leastSquares(
	rows: readonly number[][],
	b: readonly number[],
): number[] {
	const n = rows.length;
	const p = rows[0]?.length ?? 0;
	const a = rows.map((r) => r.slice());
	const y = b.slice();
	const diag = new Array<number>(p).fill(0);
	let scale = 0;
	for (const r of a) for (const v of r) scale = Math.max(scale, Math.abs(v));
	const tiny = 1e-12 * Math.max(scale, 1e-300) * Math.sqrt(n);
	for (let j = 0; j < Math.min(p, n); j++) {
		let norm = 0;
		for (let i = j; i < n; i++) norm += (a[i]?.[j] ?? 0) ** 2;
		norm = Math.sqrt(norm);
		if (norm <= tiny) continue;
		const ajj = a[j]?.[j] ?? 0;
		const alpha = ajj > 0 ? -norm : norm;
		const v = new Array<number>(n).fill(0);
		for (let i = j; i < n; i++) v[i] = a[i]?.[j] ?? 0;
		v[j] = ajj - alpha;
		let vv = 0;
		for (let i = j; i < n; i++) vv += (v[i] ?? 0) ** 2;
		if (vv === 0) continue;
		for (let c = j; c < p; c++) {
			let dot = 0;
			for (let i = j; i < n; i++) dot += (v[i] ?? 0) * (a[i]?.[c] ?? 0);
			const f = (2 * dot) / vv;
			for (let i = j; i < n; i++)
				(a[i] as number[])[c] = (a[i]?.[c] ?? 0) - f * (v[i] ?? 0);
		}
		let dot = 0;
		for (let i = j; i < n; i++) dot += (v[i] ?? 0) * (y[i] ?? 0);
		const f = (2 * dot) / vv;
		for (let i = j; i < n; i++) y[i] = (y[i] ?? 0) - f * (v[i] ?? 0);
		diag[j] = alpha;
	}
	const theta = new Array<number>(p).fill(0);
	for (let j = Math.min(p, n) - 1; j >= 0; j--) {
		const d = diag[j] ?? 0;
		if (d === 0 || Math.abs(d) <= tiny) continue;
		let s = y[j] ?? 0;
		for (let c = j + 1; c < p; c++) s -= (a[j]?.[c] ?? 0) * (theta[c] ?? 0);
		theta[j] = s / d;
	}
	return theta;
}
