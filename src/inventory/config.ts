/**
 * The `stox` configuration block. The integrator mounts `stoxConfigSchema` under the config
 * file's `stox` key (the config loader then prefixes each message with the key path);
 * `parseStoxConfig` validates the block on its own and names the key itself.
 */
import { z } from "zod";
import { AppError } from "../errors.ts";

const PROBABILITY = "expected a number strictly between 0 and 1, e.g. 0.95";

const probability = () =>
	z
		.number({ error: PROBABILITY })
		.gt(0, { error: PROBABILITY })
		.lt(1, { error: PROBABILITY });

const days = () =>
	z
		.int({ error: "expected a whole number of days" })
		.min(1, { error: "expected at least 1 day" });

const nonNegative = (example: string) =>
	z
		.number({ error: `expected a number ≥ 0, e.g. ${example}` })
		.min(0, { error: `expected a number ≥ 0, e.g. ${example}` });

/** Cycle service level per ABC class; a material without a class uses `default`. */
const serviceLevelsSchema = z.strictObject({
	A: probability().default(0.98),
	B: probability().default(0.95),
	C: probability().default(0.9),
	default: probability().default(0.95),
});

/** Demand projection settings. */
const projectionSchema = z.strictObject({
	granularity: z
		.enum(["week", "month"], { error: 'expected "week" or "month"' })
		.default("month"),
	/** Periods to project. */
	horizon: z
		.int({ error: "expected a whole number of periods" })
		.min(1, { error: "expected at least 1 period" })
		.max(104, { error: "expected at most 104 periods" })
		.default(12),
	/** Coverage of the demand prediction interval. */
	intervalLevel: probability().default(0.95),
});

/** The Stox block: policy defaults, health thresholds and the projection settings. */
export const stoxConfigSchema = z.strictObject({
	serviceLevels: serviceLevelsSchema.prefault({}),
	/** Cost per purchase order when the material master has none. */
	orderingCost: nonNegative("50").default(50),
	/** Annual holding cost, percent of unit cost, when the master has none (25 = 25 %). */
	holdingCostPct: nonNegative("25").default(25),
	/** Cost per unit short; omitted = shortage cost not estimated. */
	shortageCostPerUnit: nonNegative("5").optional(),
	/** Stock above this many days of demand is excess. */
	excessCoverDays: days().default(90),
	/** No demand for this many days makes the stock obsolete. */
	obsoleteDays: days().default(180),
	/** Demand history the statistics use, days. */
	windowDays: days().default(365),
	projection: projectionSchema.prefault({}),
});

/** The validated Stox configuration. */
export type StoxConfig = z.infer<typeof stoxConfigSchema>;

/** ABC class of a material, as the product analytics assign it. */
export type AbcClass = "A" | "B" | "C";

/**
 * Validates a `stox` block on its own. Throws `config_invalid` with one line per problem, each
 * naming the key, e.g. "stox.serviceLevels.A: expected a number strictly between 0 and 1".
 */
export function parseStoxConfig(input: unknown, prefix = "stox"): StoxConfig {
	const parsed = stoxConfigSchema.safeParse(input ?? {});
	if (parsed.success) return parsed.data;
	const lines = parsed.error.issues.map((issue) => {
		const keys =
			issue.code === "unrecognized_keys"
				? issue.keys.map((k) => [...issue.path, k])
				: [issue.path];
		return keys
			.map((p) => {
				const key = [prefix, ...p.map(String)].join(".");
				return issue.code === "unrecognized_keys"
					? `${key}: unknown key; remove it or check its spelling`
					: `${key}: ${issue.message}`;
			})
			.join("\n");
	});
	throw new AppError("config_invalid", lines.join("\n"));
}

/** Service level for a material's ABC class, or the default one when it has no class. */
export function serviceLevelFor(
	config: StoxConfig,
	abc: AbcClass | null,
): number {
	return abc ? config.serviceLevels[abc] : config.serviceLevels.default;
}
