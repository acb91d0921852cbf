/**
 * Seeded randomness for the demo ERP. Never Math.random: the same seed must give the same bytes.
 *
 * `Rng` is sfc32 (Chris Doty-Humphrey's Small Fast Counter, 128-bit state, 32-bit output), seeded
 * from (seed, stream label) so every part of the generator draws from its own independent stream:
 * changing how many numbers one part draws does not shift what another part sees.
 */

/** 32-bit FNV-1a of a string, then a murmur3-style finaliser. */
function hashString(s: string, h0: number): number {
	let h = h0 >>> 0;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return mix32(h);
}

function mix32(x: number): number {
	let h = x >>> 0;
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

export class Rng {
	private a: number;
	private b: number;
	private c: number;
	private d: number;

	/** `seed` is any non-negative safe integer; `stream` names an independent sequence. */
	constructor(seed: number, stream = "") {
		const lo = seed >>> 0;
		const hi = Math.floor(seed / 4294967296) >>> 0;
		this.a = mix32(lo ^ 0x9e3779b9);
		this.b = mix32(hi ^ 0x243f6a88);
		this.c = hashString(stream, 0x811c9dc5);
		this.d = 1;
		for (let i = 0; i < 15; i++) this.u32();
	}

	/** Next raw 32-bit unsigned value. */
	u32(): number {
		const t = (((this.a + this.b) | 0) + this.d) | 0;
		this.d = (this.d + 1) | 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) | 0;
		this.c = (this.c << 21) | (this.c >>> 11);
		this.c = (this.c + t) | 0;
		return t >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		return this.u32() / 4294967296;
	}

	/** Uniform float in [lo, hi). */
	range(lo: number, hi: number): number {
		return lo + (hi - lo) * this.next();
	}

	/** Uniform integer in [lo, hi], both inclusive. */
	int(lo: number, hi: number): number {
		return lo + Math.floor(this.next() * (hi - lo + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		const v = items[Math.floor(this.next() * items.length)];
		if (v === undefined) throw new Error("Rng.pick from an empty list");
		return v;
	}

	/** Standard normal (Box-Muller, one value per call so the stream stays simple). */
	normal(): number {
		const u = 1 - this.next();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
	}

	/** Exponential with the given mean. */
	exp(mean: number): number {
		return -Math.log(1 - this.next()) * mean;
	}

	/** Log-normal with median `median` and log-space spread `sigma`. */
	logNormal(median: number, sigma: number): number {
		return median * Math.exp(sigma * this.normal());
	}

	/** Index drawn from cumulative weights (ascending, last = total). */
	pickCumulative(cum: ArrayLike<number>): number {
		const n = cum.length;
		const x = this.next() * (cum[n - 1] ?? 0);
		for (let i = 0; i < n; i++) if (x < (cum[i] ?? 0)) return i;
		return n - 1;
	}
}

/** Running totals of `weights`, for `Rng.pickCumulative`. */
export function cumulative(weights: readonly number[]): Float64Array {
	const out = new Float64Array(weights.length);
	let sum = 0;
	for (let i = 0; i < weights.length; i++) {
		sum += weights[i] ?? 0;
		out[i] = sum;
	}
	return out;
}

/**
 * Walker/Vose alias table: O(1) weighted sampling, used on the hot path (customer and item
 * picks). Construction is deterministic for the same weights. `rebuild` reuses the typed arrays
 * (capacity fixed at construction) so tables rebuilt every month make no garbage.
 */
export class AliasTable {
	size = 0;
	private readonly prob: Float64Array;
	private readonly alias: Int32Array;
	private readonly scaled: Float64Array;
	private readonly small: Int32Array;
	private readonly large: Int32Array;

	constructor(weights: ArrayLike<number>, capacity = weights.length) {
		this.prob = new Float64Array(capacity);
		this.alias = new Int32Array(capacity);
		this.scaled = new Float64Array(capacity);
		this.small = new Int32Array(capacity);
		this.large = new Int32Array(capacity);
		this.rebuild(weights, weights.length);
	}

	/** Replaces the weights with the first `n` of `weights` (n ≤ capacity, n ≥ 1). */
	rebuild(weights: ArrayLike<number>, n: number): void {
		if (n < 1 || n > this.prob.length)
			throw new Error(
				`AliasTable needs 1 to ${this.prob.length} weights, got ${n}`,
			);
		const { prob, alias, scaled, small, large } = this;
		this.size = n;
		let total = 0;
		for (let i = 0; i < n; i++) total += weights[i] ?? 0;
		let ns = 0;
		let nl = 0;
		for (let i = 0; i < n; i++) {
			const v = total > 0 ? ((weights[i] ?? 0) * n) / total : 1;
			scaled[i] = v;
			if (v < 1) small[ns++] = i;
			else large[nl++] = i;
		}
		while (ns > 0 && nl > 0) {
			const s = small[--ns] as number;
			const l = large[--nl] as number;
			prob[s] = scaled[s] as number;
			alias[s] = l;
			const rest = (scaled[l] as number) + (scaled[s] as number) - 1;
			scaled[l] = rest;
			if (rest < 1) small[ns++] = l;
			else large[nl++] = l;
		}
		while (nl > 0) prob[large[--nl] as number] = 1;
		while (ns > 0) prob[small[--ns] as number] = 1;
	}

	sample(rng: Rng): number {
		const x = rng.next() * this.size;
		const i = Math.floor(x);
		return x - i < (this.prob[i] ?? 1) ? i : (this.alias[i] ?? i);
	}
}
