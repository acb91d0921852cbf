/**
 * zod helpers for command arguments: a schema over ParsedArgs that rejects unknown flags and
 * pairs by name, and flag value parsers whose messages say what was expected.
 */
import { z } from "zod";
import { FIRST_YEAR, isCalendarDay, LAST_YEAR } from "../src/calendar.ts";

/** A ParsedArgs schema: the listed flags/pairs only, positionals as given. */
export function argsSchema<
	P extends z.ZodType,
	F extends z.ZodRawShape,
	K extends z.ZodRawShape,
>(shape: { positionals: P; flags?: F; pairs?: K }) {
	return z.object({
		positionals: shape.positionals,
		flags: z.strictObject(shape.flags ?? ({} as F)),
		pairs: z.strictObject(shape.pairs ?? ({} as K)),
	});
}

/** No positional words at all. */
export const noWords = z
	.array(z.string())
	.max(0, { error: "this command takes no words, only the options shown" });

/** A whole number flag within bounds, such as `--errors 10`. */
export function intFlag(min: number, max: number) {
	return z
		.string({ error: `expected a whole number from ${min} to ${max}` })
		.regex(/^\d+$/, {
			error: `expected a whole number from ${min} to ${max}`,
		})
		.transform(Number)
		.pipe(
			z
				.int()
				.min(min, { error: `expected at least ${min}` })
				.max(max, { error: `expected at most ${max}` }),
		);
}

/** A calendar day flag such as `--as-of 2026-10-31`: a real date (no 2024-02-30) in 1900–2999. */
export function dayFlag() {
	const msg = `expected a date like 2026-10-31 (a real day from ${FIRST_YEAR} to ${LAST_YEAR})`;
	return z.string({ error: msg }).refine(isCalendarDay, { error: msg });
}
