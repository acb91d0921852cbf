import { describe, expect, it } from "vitest";
import { ENTITIES, type Validated } from "../../src/ingest/entities.ts";

/** Values sources and mappings hand to validation, good and bad for every kind of column. */
const SAMPLES: unknown[] = [
	null,
	undefined,
	"",
	"  ",
	"abc",
	"A-17",
	"12.5",
	"15.30",
	"0.001",
	"-3",
	"-0.5",
	"1e308",
	"99999999999999999999",
	"1,200.50",
	"17850.0",
	12,
	-4,
	2.75,
	Number.NaN,
	true,
	false,
	"Y",
	"no",
	"won",
	"W",
	"closed_lost",
	"2024-02-29",
	"2023-02-29",
	"2024-13-01",
	"0000-01-01",
	"2010-12-01 08:26:00",
	"2099-01-01",
	"12/1/2010 8:26",
	"x\0y",
	"pad\0\0",
	"x".repeat(600),
];

/** A valid row per entity: each column is then replaced by each sample in turn. */
const VALID: Record<keyof typeof ENTITIES, Record<string, unknown>> = {
	branches: { branch_code: "B1", branch_name: "North" },
	salespeople: { salesperson_id: "S1", name: "Ada" },
	customers: { customer: "C1", created_date: "2020-01-02" },
	materials: { material_number: "M1", unit_cost: "2.5", active: "Y" },
	order_lines: {
		order_number: "A1",
		line_number: 1,
		posting_date: "2025-01-02",
		net_sales: "15.30",
		total_cogs: "10.10",
		inv_quantity_cases: "6",
		is_cancellation: false,
	},
	stock_levels: {
		material_number: "M1",
		snapshot_date: "2025-01-02",
		on_hand_units: "4",
	},
	quotes: { quote_number: "Q1", amount: "100", status: "W" },
};

/** A small deterministic generator, so a failure names a row that can be run again. */
function random(seed: number): () => number {
	let s = seed;
	return () => {
		s = (s * 1103515245 + 12345) % 2147483648;
		return s / 2147483648;
	};
}

/** zod's answer in the validator's shape. */
function viaZod(
	entity: keyof typeof ENTITIES,
	input: Record<string, unknown>,
): Validated {
	const parsed = ENTITIES[entity]
		.schema({ latestDate: "2026-12-07" })
		.safeParse(input);
	return parsed.success
		? { success: true, data: parsed.data }
		: {
				success: false,
				issues: parsed.error.issues.map((i) => ({
					path: i.path.map(String),
					message: i.message,
				})),
			};
}

/**
 * The row loop validates with each entity's compiled validator instead of a zod object parse
 * per row; the reference (`requiredColumns`) and anything else still use the zod schema. Both must
 * give the same rows and the same reasons, for every entity and every kind of bad value.
 */
describe("an entity's compiled validator", () => {
	for (const [name, def] of Object.entries(ENTITIES)) {
		const entity = name as keyof typeof ENTITIES;
		it(`gives what its zod schema gives: ${name}`, () => {
			const validate = def.validator({ latestDate: "2026-12-07" });
			const next = random(name.length * 7919);
			const base = VALID[entity];
			const inputs: Record<string, unknown>[] = [{}, base];
			const columns = def.columns.filter((c) => c !== "year_month");
			for (const c of columns)
				for (const v of SAMPLES) inputs.push({ [c]: v }, { ...base, [c]: v });
			for (let i = 0; i < 400; i++)
				inputs.push(
					Object.fromEntries(
						columns.map((c) => [
							c,
							SAMPLES[Math.floor(next() * SAMPLES.length)],
						]),
					),
				);
			let valid = 0;
			for (const input of inputs) {
				const expected = viaZod(entity, input);
				expect(validate(input), JSON.stringify(input)).toEqual(expected);
				if (expected.success) valid++;
			}
			// Both kinds of outcome were compared, not only failures.
			expect(valid).toBeGreaterThan(0);
			expect(valid).toBeLessThan(inputs.length);
		});
	}
});
