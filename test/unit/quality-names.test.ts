import { describe, expect, it } from "vitest";
import {
	matchNames,
	normaliseName,
	reorderName,
} from "../../src/quality/names.ts";

const people = [
	{ id: "1", name: "John Smith" },
	{ id: "2", name: "Jane Smith" },
	{ id: "3", name: "Maria Lopez" },
];

describe("salesperson name variants", () => {
	it("normalises case, dots and spacing, and reorders 'Last, First'", () => {
		expect(normaliseName("  J.  Smith ")).toBe("j smith");
		expect(reorderName("Lopez, Maria")).toBe("maria lopez");
	});

	it("merges each variant onto one person and says how", () => {
		const r = matchNames(
			["John Smith", "john smith ", "Lopez, Maria", "M. Lopez", "MARIA LOPEZ"],
			people,
		);
		expect(r.matched.map((m) => [m.alias, m.person.id, m.method])).toEqual([
			["John Smith", "1", "exact"],
			["Lopez, Maria", "3", "reordered"],
			["M. Lopez", "3", "initial"],
			["MARIA LOPEZ", "3", "normalised"],
			["john smith ", "1", "normalised"],
		]);
		expect(r.unmatched).toEqual([]);
	});

	it("leaves ambiguous initials and strangers unmatched, with the reason", () => {
		const r = matchNames(["J. Smith", "Bob Ross"], people);
		expect(r.matched).toEqual([]);
		expect(r.unmatched).toEqual([
			{ alias: "Bob Ross", reason: "matches no known salesperson" },
			{
				alias: "J. Smith",
				reason: "ambiguous: could be John Smith or Jane Smith",
			},
		]);
	});
});
