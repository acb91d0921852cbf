/**
 * An incoming interaction, validated once at the boundary (the HTTP endpoint and the gateway
 * both hand raw JSON here). Only the fields the handlers read are checked; Discord sends many
 * more, which pass through untouched.
 */
import { z } from "zod";
import type { InvokedOption } from "./commands.ts";

/** The fields the handlers read, checked once at the boundary; Discord sends many more. */
const user = z.looseObject({
	id: z.string(),
	username: z.string(),
	global_name: z.string().nullish(),
});
const option: z.ZodType<InvokedOption> = z.lazy(() =>
	z.looseObject({
		name: z.string(),
		type: z.number(),
		value: z.union([z.string(), z.number(), z.boolean()]).optional(),
		focused: z.boolean().optional(),
		options: z.array(option).optional(),
	}),
);
const interactionSchema = z.looseObject({
	id: z.string(),
	application_id: z.string(),
	type: z.number(),
	token: z.string(),
	channel_id: z.string().optional(),
	member: z
		.looseObject({ user, roles: z.array(z.string()).optional() })
		.optional(),
	user: user.optional(),
	data: z
		.looseObject({
			name: z.string().optional(),
			type: z.number().optional(),
			options: z.array(option).optional(),
			custom_id: z.string().optional(),
			values: z.array(z.string()).optional(),
		})
		.optional(),
	message: z.looseObject({ id: z.string() }).optional(),
});
/** An interaction with the fields the handlers read. */
export type Interaction = z.output<typeof interactionSchema>;

/** Reads an interaction; null when it lacks what every interaction has. */
export function parseInteraction(body: unknown): Interaction | null {
	const parsed = interactionSchema.safeParse(body);
	return parsed.success ? parsed.data : null;
}
