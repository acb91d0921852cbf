import { describe, expect, it } from "vitest";
import { MIN_ANOMALY_HISTORY } from "../../src/pulse/anomaly.ts";
import { evaluateCondition } from "../../src/pulse/evaluate.ts";
import type { EvaluationInput, SeriesPoint } from "../../src/pulse/input.ts";
import { type Condition, parseCondition } from "../../src/pulse/model.ts";
import { MAX_SEEN_KEYS } from "../../src/pulse/new-rows.ts";

const now = new Date("2025-03-10T09:00:00Z");
const pct = (v: number) => `${v}%`;

function cond(raw: unknown): Condition {
	const r = parseCondition(raw);
	if (!r.ok) throw new Error(r.problems.join("\n"));
	return r.value;
}

/** Daily points ending on 2025-03-09, one per value. */
function daily(values: (number | null)[], end = "2025-03-09"): SeriesPoint[] {
	const last = Date.parse(`${end}T00:00:00Z`);
	return values.map((value, i) => ({
		period: new Date(last - (values.length - 1 - i) * 86_400_000)
			.toISOString()
			.slice(0, 10),
		value,
	}));
}

function monthly(values: (number | null)[], startYear = 2023): SeriesPoint[] {
	return values.map((value, i) => ({
		period: `${startYear + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}-01`,
		value,
	}));
}

const input = (more: Partial<EvaluationInput>): EvaluationInput => ({
	now,
	...more,
});

describe("threshold condition", () => {
	const below28 = cond({ kind: "threshold", operator: "<", value: 28 });

	it("fires when gross margin falls below 28% and says so in a sentence", () => {
		const r = evaluateCondition(
			below28,
			input({
				series: daily([31, 13.8]),
				label: "gross margin",
				formatValue: pct,
			}),
		);
		expect(r).toEqual({
			breached: true,
			observed: 13.8,
			expected: 28,
			detail: "gross margin 13.8% is below 28%",
		});
	});

	it("does not fire when the value is on the safe side", () => {
		const r = evaluateCondition(
			below28,
			input({ series: daily([31.2]), label: "gross margin", formatValue: pct }),
		);
		expect(r.breached).toBe(false);
		expect(r.detail).toBe("gross margin 31.2% is not below 28%");
	});

	it.each([
		[">", 10, 10, false],
		[">=", 10, 10, true],
		["<=", 10, 10, true],
		["=", 0.1 + 0.2, 0.3, true],
		["!=", 0.1 + 0.2, 0.3, false],
		["!=", 5, 6, true],
	] as const)(
		"compares %s on %d against %d as %s",
		(operator, value, limit, breached) => {
			const r = evaluateCondition(
				cond({ kind: "threshold", operator, value: limit }),
				input({ series: daily([value]) }),
			);
			expect(r.breached).toBe(breached);
		},
	);

	it("reports no data, without firing, for an empty series or a null latest value", () => {
		expect(evaluateCondition(below28, input({ series: [] }))).toMatchObject({
			breached: false,
			observed: null,
			noData: true,
		});
		const r = evaluateCondition(
			below28,
			input({ series: daily([30, null]), label: "gross margin" }),
		);
		expect(r).toMatchObject({
			breached: false,
			noData: true,
			detail: "gross margin has no value for 2025-03-09 to compare with 28",
		});
	});

	it("reads a single-value query, including numeric columns the driver returns as strings", () => {
		const r = evaluateCondition(
			below28,
			input({ rows: [{ margin: "12.5" }], valueColumn: "margin" }),
		);
		expect(r).toMatchObject({ breached: true, observed: 12.5 });
	});

	it("reports an error for a missing or non-numeric value column", () => {
		expect(
			evaluateCondition(
				below28,
				input({ rows: [{ a: 1 }], valueColumn: "margin" }),
			).error,
		).toBe('the query has no column "margin"');
		expect(
			evaluateCondition(
				below28,
				input({ rows: [{ margin: "n/a" }], valueColumn: "margin" }),
			).error,
		).toBe('column margin holds "n/a", not a number');
	});
});

describe("change condition", () => {
	const wowDown20 = cond({
		kind: "change",
		period: "week_over_week",
		direction: "down",
		percent: 20,
	});

	it("fires on a week-over-week fall beyond the limit, comparing with the same weekday", () => {
		const series = daily([10_000, 1, 1, 1, 1, 1, 1, 7_650]);
		const r = evaluateCondition(wowDown20, input({ series, label: "revenue" }));
		expect(r.breached).toBe(true);
		expect(r.observed).toBeCloseTo(-23.5, 6);
		expect(r.expected).toBe(-20);
		expect(r.detail).toBe(
			"revenue fell 23.5% week over week (from 10,000 to 7,650), beyond the 20% fall limit",
		);
	});

	it("does not fire on a rise when watching for falls", () => {
		const r = evaluateCondition(
			wowDown20,
			input({ series: daily([100, 0, 0, 0, 0, 0, 0, 150]) }),
		);
		expect(r.breached).toBe(false);
		expect(r.detail).toContain("rose 50% week over week");
	});

	it("compares a month with the same month last year", () => {
		const values = [...Array(12).fill(100), 100, 100, 130];
		const r = evaluateCondition(
			cond({
				kind: "change",
				period: "year_over_year",
				direction: "up",
				percent: 25,
			}),
			input({ series: monthly(values) }),
		);
		expect(r).toMatchObject({ breached: true, observed: 30 });
	});

	it("clamps month arithmetic, so 31 March compares with 28 February", () => {
		const series = [
			{ period: "2025-02-28", value: 200 },
			{ period: "2025-03-30", value: 1 },
			{ period: "2025-03-31", value: 100 },
		];
		const r = evaluateCondition(
			cond({
				kind: "change",
				period: "month_over_month",
				direction: "either",
				percent: 40,
			}),
			input({ series, grain: "day" }),
		);
		expect(r).toMatchObject({ breached: true, observed: -50 });
	});

	it("handles a previous value of zero without dividing by it", () => {
		const up = cond({
			kind: "change",
			period: "week_over_week",
			direction: "up",
			percent: 10,
		});
		const r = evaluateCondition(
			up,
			input({ series: daily([0, 1, 1, 1, 1, 1, 1, 500]), label: "returns" }),
		);
		expect(r).toMatchObject({ breached: true, observed: null });
		expect(r.detail).toBe(
			"returns rose from 0 to 500 week over week; a change from zero has no percentage, so it counts as beyond the 10% rise limit",
		);
		expect(
			evaluateCondition(up, input({ series: daily([0, 1, 1, 1, 1, 1, 1, 0]) })),
		).toMatchObject({ breached: false, observed: 0 });
		expect(
			evaluateCondition(
				wowDown20,
				input({ series: daily([0, 1, 1, 1, 1, 1, 1, 500]) }),
			).breached,
		).toBe(false);
	});

	it("reports no data when the comparison period is missing", () => {
		const r = evaluateCondition(
			wowDown20,
			input({ series: daily([5, 6, 7]), label: "revenue" }),
		);
		expect(r).toMatchObject({
			breached: false,
			noData: true,
			detail:
				"revenue has no value for the week before, so the week over week change is unknown",
		});
	});

	it("reads the series from query rows through the key and value columns", () => {
		const rows = [
			{ day: "2025-03-02", total: "100" },
			{ day: new Date("2025-03-09T00:00:00Z"), total: 60 },
		];
		const r = evaluateCondition(
			wowDown20,
			input({ rows, keyColumn: "day", valueColumn: "total", grain: "day" }),
		);
		expect(r).toMatchObject({ breached: true, observed: -40 });
	});
});

describe("anomaly condition", () => {
	const history = [100, 102, 98, 101, 99, 103, 97, 100, 101, 99, 102, 98];
	const medium = cond({ kind: "anomaly", seasonal: false });

	it("fires on a point far outside the robust spread and gives the z-score", () => {
		const r = evaluateCondition(
			medium,
			input({ series: daily([...history, 70]), label: "orders" }),
		);
		expect(r.breached).toBe(true);
		expect(r.expected).toBe(100);
		expect(r.score).toBeLessThan(-3);
		expect(r.detail).toMatch(
			/^orders 70 is unusually low: robust z-score -\d+(\.\d+)? against a median of 100 over 12 earlier points \(medium sensitivity, cut-off 3\)$/,
		);
	});

	it("does not fire on an ordinary point", () => {
		const r = evaluateCondition(
			medium,
			input({ series: daily([...history, 101]) }),
		);
		expect(r.breached).toBe(false);
		expect(r.detail).toContain("is within its usual range");
	});

	it("maps sensitivity to the documented cut-offs", () => {
		// Median 100, MAD 1.5 -> spread 2.2239; 107.5 is z = 3.37.
		const series = daily([...history, 107.5]);
		const at = (sensitivity: string) =>
			evaluateCondition(
				cond({ kind: "anomaly", seasonal: false, sensitivity }),
				input({ series }),
			).breached;
		expect([at("low"), at("medium"), at("high")]).toEqual([false, true, true]);
	});

	it("respects the direction", () => {
		const up = cond({ kind: "anomaly", seasonal: false, direction: "up" });
		expect(
			evaluateCondition(up, input({ series: daily([...history, 70]) }))
				.breached,
		).toBe(false);
		expect(
			evaluateCondition(up, input({ series: daily([...history, 130]) }))
				.breached,
		).toBe(true);
	});

	it("says there is too little history, and does not fire", () => {
		const r = evaluateCondition(
			medium,
			input({ series: daily([100, 101, 99, 1_000]), label: "orders" }),
		);
		expect(r).toMatchObject({ breached: false, noData: true });
		expect(r.detail).toBe(
			`orders has 3 earlier points; the anomaly check needs at least ${MIN_ANOMALY_HISTORY}, so it does not fire yet`,
		);
	});

	it("ignores nulls in the history", () => {
		const r = evaluateCondition(
			medium,
			input({ series: daily([...history, null, null, 70]) }),
		);
		expect(r.breached).toBe(true);
		expect(r.detail).toContain("over 12 earlier points");
	});

	it("falls back to the mean absolute deviation when most of the history is identical", () => {
		const r = evaluateCondition(
			medium,
			input({ series: daily([5, 5, 5, 5, 5, 5, 5, 5, 6, 5, 9]) }),
		);
		expect(r.breached).toBe(true);
		expect(Number.isFinite(r.score)).toBe(true);
	});

	it("compares with the same weekday in earlier weeks when two seasons of history exist", () => {
		// Mondays are busy (200) and other days quiet (100): a busy Monday is normal,
		// a Monday at 100 is not, although 100 is the overall median.
		const week = [200, 100, 100, 100, 100, 100, 100];
		const weeks = [...week, ...week, ...week].map(
			(v, i) => v + ((i * 7) % 5) - 2,
		);
		const seasonal = cond({ kind: "anomaly" });
		const busyMonday = evaluateCondition(
			seasonal,
			input({ series: daily([...weeks, 201], "2025-03-10"), grain: "day" }),
		);
		expect(busyMonday.breached).toBe(false);
		expect(busyMonday.detail).toContain(
			"same position in 3 earlier seasons of 7 points",
		);
		const quietMonday = evaluateCondition(
			seasonal,
			input({ series: daily([...weeks, 100], "2025-03-10"), grain: "day" }),
		);
		expect(quietMonday.breached).toBe(true);
		expect(quietMonday.expected).toBeCloseTo(200, 0);
		const plain = evaluateCondition(
			cond({ kind: "anomaly", seasonal: false }),
			input({ series: daily([...weeks, 100], "2025-03-10") }),
		);
		expect(plain.breached).toBe(false);
	});
});

describe("row count condition", () => {
	it("fires on the number of rows returned", () => {
		const r = evaluateCondition(
			cond({ kind: "row_count", operator: ">", value: 10 }),
			input({ rows: Array.from({ length: 12 }, (_, i) => ({ i })) }),
		);
		expect(r).toEqual({
			breached: true,
			observed: 12,
			expected: 10,
			detail: "12 found (alert when more than 10)",
		});
	});

	it("treats an empty result as zero rows", () => {
		const r = evaluateCondition(
			cond({ kind: "row_count", operator: "=", value: 0 }),
			input({ rows: [] }),
		);
		expect(r).toMatchObject({
			breached: true,
			observed: 0,
			detail: "0 found (alert when exactly 0)",
		});
	});
});

describe("new rows condition", () => {
	const newRows = cond({ kind: "new_rows" });
	const rows = (...keys: (string | null)[]) =>
		keys.map((order_no) => ({ order_no }));

	it("records a baseline on the first run without firing", () => {
		const r = evaluateCondition(
			newRows,
			input({ rows: rows("SO-1", "SO-2"), keyColumn: "order_no" }),
		);
		expect(r).toMatchObject({
			breached: false,
			state: { seenKeys: ["SO-1", "SO-2"] },
		});
		expect(r.detail).toBe(
			"first run: recorded 2 keys of order_no as the baseline; later runs fire on keys not seen before",
		);
	});

	it("fires on keys not seen in the last run and names them", () => {
		const r = evaluateCondition(
			newRows,
			input({
				rows: rows("SO-1", "SO-3", null),
				keyColumn: "order_no",
				previous: { seenKeys: ["SO-1", "SO-2"] },
			}),
		);
		expect(r).toMatchObject({
			breached: true,
			observed: 1,
			newKeys: ["SO-3"],
			detail: "1 new row by order_no: SO-3",
		});
		expect(r.state?.seenKeys).toEqual(["SO-1", "SO-3", "SO-2"]);
	});

	it("lets new keys add up until there are enough to fire", () => {
		const three = cond({ kind: "new_rows", minNew: 3 });
		const first = evaluateCondition(
			three,
			input({
				rows: rows("A", "B"),
				keyColumn: "order_no",
				previous: { seenKeys: [] },
			}),
		);
		expect(first.breached).toBe(false);
		expect(first.detail).toBe(
			"2 new rows by order_no: A, B; fewer than the 3 needed to fire",
		);
		const second = evaluateCondition(
			three,
			input({
				rows: rows("A", "B", "C"),
				keyColumn: "order_no",
				previous: first.state,
			}),
		);
		expect(second).toMatchObject({ breached: true, newKeys: ["A", "B", "C"] });
	});

	it(`caps the remembered keys at ${MAX_SEEN_KEYS}, newest first`, () => {
		const previous = {
			seenKeys: Array.from({ length: MAX_SEEN_KEYS }, (_, i) => `old-${i}`),
		};
		const r = evaluateCondition(
			newRows,
			input({ rows: rows("new-1"), keyColumn: "order_no", previous }),
		);
		expect(r.state?.seenKeys).toHaveLength(MAX_SEEN_KEYS);
		expect(r.state?.seenKeys[0]).toBe("new-1");
		expect(r.state?.seenKeys.at(-1)).toBe(`old-${MAX_SEEN_KEYS - 2}`);
	});

	it("shows five new keys and counts the rest", () => {
		const r = evaluateCondition(
			newRows,
			input({
				rows: rows("a", "b", "c", "d", "e", "f", "g"),
				keyColumn: "order_no",
				previous: { seenKeys: [] },
			}),
		);
		expect(r.detail).toBe("7 new rows by order_no: a, b, c, d, e and 2 more");
	});
});

describe("stale condition", () => {
	const day = cond({
		kind: "stale",
		amount: 1,
		unit: "days",
		column: "booked_at",
	});

	it("fires when the newest row is older than the limit", () => {
		const r = evaluateCondition(
			day,
			input({
				rows: [
					{ booked_at: "2025-03-08T09:00:00Z" },
					{ booked_at: new Date("2025-03-09T03:00:00Z") },
				],
				label: "orders",
			}),
		);
		expect(r).toMatchObject({ breached: true, observed: 30, expected: 24 });
		expect(r.detail).toBe(
			"the newest data for orders (2025-03-09T03:00:00.000Z) is 30 hours old, older than the 1 day limit",
		);
	});

	it("does not fire on fresh data", () => {
		const r = evaluateCondition(
			day,
			input({ rows: [{ booked_at: "2025-03-10T08:00:00Z" }] }),
		);
		expect(r).toMatchObject({ breached: false, observed: 1 });
	});

	it("fires when there is no data at all", () => {
		const r = evaluateCondition(day, input({ rows: [], label: "orders" }));
		expect(r).toMatchObject({
			breached: true,
			observed: null,
			detail: "orders has no data at all, which is beyond the 1 day limit",
		});
	});

	it("dates a metric series by its newest period with a value", () => {
		const r = evaluateCondition(
			cond({ kind: "stale", amount: 36, unit: "hours" }),
			input({ series: daily([1, 2, null], "2025-03-09") }),
		);
		expect(r).toMatchObject({ breached: true, observed: 57 });
	});

	it("reports an error for a column that does not hold timestamps", () => {
		expect(
			evaluateCondition(day, input({ rows: [{ booked_at: 12 }] })).error,
		).toBe("column booked_at holds 12, not a timestamp");
	});
});
