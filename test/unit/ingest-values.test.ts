import { describe, expect, it } from "vitest";
import {
	formatDecimal,
	multiply,
	parseDecimal,
	plainFixed,
	subtract,
	subtractFixed,
} from "../../src/ingest/decimal.ts";
import { ENTITIES } from "../../src/ingest/entities.ts";
import {
	applyOverlap,
	maxWatermark,
	parseWatermark,
} from "../../src/ingest/watermark.ts";

const d = (v: string | number) => {
	const x = parseDecimal(v);
	if (!x) throw new Error(`not a decimal: ${v}`);
	return x;
};

describe("exact decimals", () => {
	it("multiplies without float error and rounds half away from zero", () => {
		expect(6 * 2.55).not.toBe(15.3);
		expect(formatDecimal(multiply(d(6), d("2.55")), 2)).toBe("15.30");
		expect(formatDecimal(d("0.125"), 2)).toBe("0.13");
		expect(formatDecimal(d("-0.125"), 2)).toBe("-0.13");
		expect(formatDecimal(d("-0.004"), 2)).toBe("0.00");
		expect(formatDecimal(subtract(d("10.5"), d("0.25")), 2)).toBe("10.25");
	});

	it("reads what ERPs write: exponents, thousands separators, floats", () => {
		expect(formatDecimal(d("1.5e3"), 0)).toBe("1500");
		expect(formatDecimal(d("1,234.5"), 2)).toBe("1234.50");
		expect(formatDecimal(d(17850.0), 0)).toBe("17850");
		expect(parseDecimal("abc")).toBeUndefined();
		expect(parseDecimal("")).toBeUndefined();
		expect(parseDecimal(Number.NaN)).toBeUndefined();
	});
});

describe("canonical order lines", () => {
	const schema = ENTITIES.order_lines.schema({ latestDate: "2026-11-23" });
	const line = {
		order_number: " INV-1 ",
		line_number: "2",
		customer: 17850,
		posting_date: "2026-10-30 08:26:00",
		net_sales: 15.3,
		total_cogs: "10.10",
		inv_quantity_cases: 6,
		is_cancellation: "N",
	};

	it("normalises values and derives gross margin and year_month", () => {
		const r = schema.parse(line);
		expect(r).toMatchObject({
			order_number: "INV-1",
			line_number: 2,
			customer: "17850",
			posting_date: "2026-10-30",
			year_month: "2026-10",
			net_sales: "15.3000",
			total_cogs: "10.1000",
			gross_margin: "5.2000",
			inv_quantity_cases: "6.000",
			is_cancellation: false,
			material_number: null,
		});
	});

	const reason = (row: object) => {
		const r = schema.safeParse(row);
		expect(r.success).toBe(false);
		return r.success
			? ""
			: r.error.issues
					.map((i) => `${i.path.join(".")} ${i.message}`)
					.join("; ");
	};

	it("rejects a date in the future, naming it", () => {
		expect(reason({ ...line, posting_date: "2031-01-01" })).toBe(
			"posting_date 2031-01-01 is in the future (after 2026-11-23)",
		);
	});

	it("rejects a negative quantity that is not a cancellation, and accepts it on one", () => {
		expect(
			reason({ ...line, inv_quantity_cases: -6, net_sales: -15.3 }),
		).toContain(
			"inv_quantity_cases is negative (-6) on a line that is not a cancellation",
		);
		expect(
			schema.parse({
				...line,
				inv_quantity_cases: -6,
				net_sales: -15.3,
				is_cancellation: true,
			}).net_sales,
		).toBe("-15.3000");
	});

	it("rejects a wrong type and a missing key with readable reasons", () => {
		expect(reason({ ...line, net_sales: "twelve" })).toBe(
			'net_sales expected a number, got "twelve"',
		);
		expect(reason({ ...line, order_number: "" })).toBe(
			"order_number is missing (part of the natural key)",
		);
		expect(reason({ ...line, posting_date: "31/05/24" })).toBe(
			'posting_date expected a date like 2024-05-31, got "31/05/24"',
		);
		expect(reason({ ...line, posting_date: "2024-02-30" })).toContain(
			"expected a date like 2024-05-31",
		);
	});
});

describe("watermarks", () => {
	it("compares numbers as numbers and date-times as text, null lowest", () => {
		expect(maxWatermark(9, 10)).toBe(10);
		expect(maxWatermark("2024-05-31 23:59:59", "2024-06-01 00:00:00")).toBe(
			"2024-06-01 00:00:00",
		);
		expect(maxWatermark(null, "2024-01-01")).toBe("2024-01-01");
		expect(parseWatermark("42")).toBe(42);
		expect(parseWatermark("2024-01-01")).toBe("2024-01-01");
	});

	it("steps back by the overlap in the watermark's own form", () => {
		expect(applyOverlap("2024-03-01 10:00:00", "2 days")).toBe(
			"2024-02-28 10:00:00",
		);
		expect(applyOverlap("2024-03-01", "7 days")).toBe("2024-02-23");
		expect(applyOverlap(1000, 50)).toBe(950);
		expect(applyOverlap(null, "2 days")).toBeNull();
	});
});

/** A repeatable stream of numbers in [0, 1) (a linear congruential generator). */
function seeded(start: number): () => number {
	let seed = start;
	return () => {
		seed = (seed * 1103515245 + 12345) % 2 ** 31;
		return seed / 2 ** 31;
	};
}

describe("the plain-decimal fast path", () => {
	it("gives exactly what the exact path gives, or steps aside", () => {
		const rnd = seeded(7);
		const samples: (string | number)[] = [
			"0",
			"-0",
			"-0.00",
			"007.5",
			"12.",
			"1,234.5",
			"1e3",
			".5",
			" 4.20 ",
			"-3.14159",
			"99999999999999.99",
			2.675,
			-0.1,
			17850.0,
			1e21,
		];
		for (let i = 0; i < 2000; i++) {
			const digits = Math.floor(rnd() * 6);
			const n = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 8);
			samples.push(rnd() < 0.5 ? Number(n.toFixed(digits)) : n.toFixed(digits));
		}
		let fast = 0;
		for (const v of samples)
			for (const scale of [0, 2, 3, 4]) {
				const quick = plainFixed(v, scale);
				if (quick === undefined) continue;
				fast++;
				expect(quick, `${JSON.stringify(v)} at scale ${scale}`).toBe(
					formatDecimal(d(v), scale),
				);
			}
		expect(fast).toBeGreaterThan(4000);
	});
});

describe("the fixed-scale subtraction fast path", () => {
	it("gives exactly what the exact path gives, or steps aside", () => {
		const rnd = seeded(11);
		const exact = (a: string, b: string, scale: number) =>
			formatDecimal(subtract(d(a), d(b)), scale);
		const values = [
			"0.0000",
			"-0.0000",
			"0.0001",
			"-0.0001",
			"99999999999.9999",
			"-99999999999.9999",
			"100000000000.0000",
			"12.34",
			"1e3",
			"0",
		];
		for (let i = 0; i < 3000; i++) {
			const n = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 13);
			values.push(n.toFixed(4));
		}
		let fast = 0;
		for (let i = 0; i < values.length; i++) {
			const a = values[i] as string;
			const b = values[(i * 7 + 3) % values.length] as string;
			for (const [x, y] of [
				[a, b],
				[b, a],
				[a, a],
			] as const) {
				const quick = subtractFixed(x, y, 4);
				if (quick === undefined) continue;
				fast++;
				expect(quick, `${x} − ${y}`).toBe(exact(x, y, 4));
			}
		}
		expect(fast).toBeGreaterThan(8000);
		// Not at the scale, or too many digits: the exact path.
		expect(subtractFixed("12.34", "1.0000", 4)).toBeUndefined();
		expect(subtractFixed("100000000000.0000", "1.0000", 4)).toBeUndefined();
		expect(subtractFixed("7", "2", 0)).toBe("5");
		expect(subtractFixed("-0.0000", "0.0000", 4)).toBe("0.0000");
	});
});
