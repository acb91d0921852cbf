/**
 * zod helpers for command arguments: a schema over ParsedArgs that rejects unknown flags and
 * pairs by name, and flag value parsers whose messages say what was expected.
 */
import { z } from "zod";

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
