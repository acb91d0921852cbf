import { describe, expect, it } from "vitest";
import {
	RFM_SEGMENTS,
	rfmSegment,
	rfmSegmentMap,
} from "../../src/analytics/compute/rfm-map.ts";

describe("the 125-cell RFM segment map", () => {
	const map = rfmSegmentMap();

	it("has exactly one cell for every (R, F, M) triple from 111 to 555", () => {
		expect(map).toHaveLength(125);
		const keys = new Set(map.map((c) => `${c.r}${c.f}${c.m}`));
		expect(keys.size).toBe(125);
		for (const c of map) {
			for (const s of [c.r, c.f, c.m]) expect(s >= 1 && s <= 5).toBe(true);
		}
	});

	it("gives every cell one of the 11 named segments", () => {
		for (const c of map) expect(RFM_SEGMENTS).toContain(c.segment);
	});

	it("reaches every one of the 11 segments", () => {
		const reached = new Set(map.map((c) => c.segment));
		expect([...reached].sort()).toEqual([...RFM_SEGMENTS].sort());
		expect(RFM_SEGMENTS).toHaveLength(11);
	});

	it("puts the best and the worst customers where the names say", () => {
		expect(rfmSegment(5, 5, 5)).toBe("Champions");
		expect(rfmSegment(1, 1, 1)).toBe("Lost");
		expect(rfmSegment(5, 1, 1)).toBe("New Customers");
		expect(rfmSegment(4, 1, 1)).toBe("Promising");
		expect(rfmSegment(1, 5, 5)).toBe("Can't Lose Them");
		expect(rfmSegment(2, 5, 5)).toBe("Can't Lose Them");
		expect(rfmSegment(3, 3, 3)).toBe("Need Attention");
		expect(rfmSegment(4, 4, 4)).toBe("Loyal");
	});

	it("folds F and M into their average rounded down, so one strong score alone does not lift a customer", () => {
		expect(rfmSegment(5, 5, 1)).toBe("Potential Loyalist");
		expect(rfmSegment(5, 1, 5)).toBe("Potential Loyalist");
		expect(rfmSegment(5, 4, 5)).toBe("Champions");
		expect(rfmSegment(5, 4, 3)).toBe("Potential Loyalist");
	});

	it("rejects scores outside 1 to 5", () => {
		expect(() => rfmSegment(0 as 1, 3, 3)).toThrow(RangeError);
	});
});
