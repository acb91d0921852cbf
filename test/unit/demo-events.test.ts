import { describe, expect, it } from "vitest";
import { parseIsoDay, weekdayOf } from "../../src/demo/dates.ts";
import { plantedEvents } from "../../src/demo/events.ts";
import { resolveOptions } from "../../src/demo/options.ts";
import { AppError } from "../../src/errors.ts";

const day = (iso: string) => parseIsoDay(iso) as number;

describe("planted events", () => {
	it("are the documented ones for the default options", () => {
		const events = plantedEvents();
		expect(events.map((e) => [e.type, e.entityIds, e.from, e.to])).toEqual([
			["margin_drop", ["West"], "2026-10-01", "2026-10-31"],
			["stock_out", ["ITM-10481"], "2026-08-10", "2026-09-13"],
			["silent_customer", ["C001697"], "2026-08-29", "2026-10-31"],
			["demand_spike", ["Janitorial & Sanitation"], "2026-09-07", "2026-09-13"],
		]);
		expect(plantedEvents(42, "2026-10-31", 150_000)).toEqual(events);
	});

	it("sit in the last three months, on the documented calendar shapes", () => {
		for (const seed of [1, 2, 3, 42, 1234]) {
			const ev = Object.fromEntries(
				plantedEvents(seed, "2026-10-31", 20_000).map((e) => [e.type, e]),
			);
			const end = day("2026-10-31");
			for (const e of Object.values(ev)) {
				expect(day(e.from)).toBeGreaterThan(end - 100);
				expect(day(e.to)).toBeLessThanOrEqual(end);
				expect(e.description.length).toBeGreaterThan(20);
			}
			const out = ev.stock_out;
			expect(weekdayOf(day(out?.from ?? ""))).toBe(1);
			expect(day(out?.to ?? "") - day(out?.from ?? "") + 1).toBe(35);
			const silent = ev.silent_customer;
			expect(
				day(silent?.to ?? "") - day(silent?.from ?? "") + 1,
			).toBeGreaterThanOrEqual(60);
			expect(
				day(silent?.to ?? "") - day(silent?.from ?? "") + 1,
			).toBeLessThanOrEqual(85);
			expect(weekdayOf(day(ev.demand_spike?.from ?? ""))).toBe(1);
			expect(ev.demand_spike?.details.category).toBeUndefined();
			expect(ev.stock_out?.details.category).not.toBe(
				ev.demand_spike?.entityIds[0],
			);
		}
	});

	it("follow the seed and the end date", () => {
		const ids = (seed: number) =>
			plantedEvents(seed, "2026-10-31", 20_000).map((e) => e.entityIds[0]);
		expect(
			new Set([1, 2, 3, 4, 5].map((s) => ids(s).join())).size,
		).toBeGreaterThan(1);
		const shifted = plantedEvents(42, "2025-06-15", 20_000);
		expect(shifted[0]?.from).toBe("2025-05-01");
		expect(shifted[0]?.to).toBe("2025-05-31");
	});
});

describe("demo options", () => {
	const bad = (opts: Parameters<typeof resolveOptions>[0]) => {
		try {
			resolveOptions(opts);
		} catch (err) {
			expect(err).toBeInstanceOf(AppError);
			expect((err as AppError).code).toBe("demo_options_invalid");
			return (err as Error).message;
		}
		throw new Error("expected the options to be rejected");
	};

	it("fills in the defaults", () => {
		expect(resolveOptions({ file: "x.sqlite" })).toMatchObject({
			seed: 42,
			lines: 150_000,
			endDate: "2026-10-31",
		});
	});

	it("names the bad option and the allowed range", () => {
		expect(bad({ file: "x", lines: 999 })).toMatch(
			/"lines" must be an integer from 1,000 to 10,000,000, got 999/,
		);
		expect(bad({ file: "x", lines: 10_000_001 })).toMatch(/"lines"/);
		expect(bad({ file: "x", lines: 1500.5 })).toMatch(/"lines"/);
		expect(bad({ file: "x", seed: -1 })).toMatch(
			/"seed" must be a non-negative integer/,
		);
		expect(bad({ file: "x", seed: 1.5 })).toMatch(/"seed"/);
		expect(bad({ file: "x", endDate: "2026-02-30" })).toMatch(
			/"endDate" must be a real date YYYY-MM-DD from 2000-01-01 to 2099-12-31/,
		);
		expect(bad({ file: "x", endDate: "31/10/2026" })).toMatch(/"endDate"/);
		expect(bad({ file: "" })).toMatch(/"file"/);
	});
});
