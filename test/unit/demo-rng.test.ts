import { describe, expect, it } from "vitest";
import { AliasTable, cumulative, Rng } from "../../src/demo/rng.ts";

const draw = (rng: Rng, n: number) =>
	Array.from({ length: n }, () => rng.u32());

describe("demo PRNG (sfc32)", () => {
	it("repeats exactly for the same seed and stream", () => {
		expect(draw(new Rng(42, "sales"), 1000)).toEqual(
			draw(new Rng(42, "sales"), 1000),
		);
	});

	it("differs by seed, by stream, and for seeds beyond 32 bits", () => {
		const base = draw(new Rng(42, "sales"), 8);
		expect(draw(new Rng(43, "sales"), 8)).not.toEqual(base);
		expect(draw(new Rng(42, "quotes"), 8)).not.toEqual(base);
		expect(draw(new Rng(42 + 2 ** 32, "sales"), 8)).not.toEqual(base);
	});

	it("keeps values in range and roughly uniform", () => {
		const rng = new Rng(7);
		const buckets = new Array(10).fill(0);
		for (let i = 0; i < 100_000; i++) {
			const x = rng.next();
			expect(x >= 0 && x < 1).toBe(true);
			const b = Math.floor(x * 10);
			buckets[b] = (buckets[b] ?? 0) + 1;
		}
		for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
		const ints = new Set(Array.from({ length: 2000 }, () => rng.int(3, 6)));
		expect([...ints].sort()).toEqual([3, 4, 5, 6]);
	});

	it("samples an alias table in proportion to the weights, also after a rebuild", () => {
		const rng = new Rng(1);
		const table = new AliasTable([1, 2, 7], 5);
		const counts = [0, 0, 0];
		for (let i = 0; i < 50_000; i++) {
			const k = table.sample(rng);
			counts[k] = (counts[k] ?? 0) + 1;
		}
		expect(counts.map((c) => Math.round(c / 5000))).toEqual([1, 2, 7]);
		table.rebuild([0, 0, 0, 5, 5], 5);
		for (let i = 0; i < 1000; i++)
			expect(table.sample(rng)).toBeGreaterThanOrEqual(3);
		expect(() => table.rebuild([1], 6)).toThrow(/1 to 5 weights/);
	});

	it("picks from cumulative weights", () => {
		const rng = new Rng(5);
		const cum = cumulative([0, 1, 0, 3]);
		const seen = new Set(
			Array.from({ length: 500 }, () => rng.pickCumulative(cum)),
		);
		expect([...seen].sort()).toEqual([1, 3]);
	});
});
