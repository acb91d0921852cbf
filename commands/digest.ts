/** `digest`: the weekly digest as it would be posted now (a preview; nothing is sent). */
import { z } from "zod";
import { collectDigest } from "../src/digest/collect.ts";
import { composeDigest } from "../src/digest/compose.ts";
import { argsSchema, dayFlag } from "./args.ts";
import { defineCommand } from "./types.ts";

export const digestCommand = defineCommand({
	name: "digest",
	description: "Preview the weekly digest as it would be posted now",
	usage: ["digest [--as-of YYYY-MM-DD]"],
	args: argsSchema({
		positionals: z
			.array(z.string())
			.max(0, { error: "digest takes no words; use --as-of YYYY-MM-DD" }),
		flags: {
			"as-of": dayFlag().optional(),
		},
	}),
	async run(ctx, args) {
		const data = await collectDigest(ctx.pool, ctx.catalog, ctx.config, {
			asOf: args.flags["as-of"]
				? new Date(`${args.flags["as-of"]}T23:59:59Z`)
				: ctx.now,
			...(args.flags["as-of"] ? { asOfDay: args.flags["as-of"] } : {}),
			staleAfterDays: ctx.config.digest.staleAfterDays,
		});
		const message = composeDigest(data);
		message.context = [...(message.context ?? []), "Preview: not posted."];
		return { message };
	},
});
