/**
 * `cohort [months]`: size and retention (months 0..6) of the last N monthly acquisition cohorts,
 * read from cohort_sizes and cohort_retention (written by `erp-pulse compute`).
 */
import { z } from "zod";
import { recentCohorts } from "../src/analytics/derived.ts";
import type { ChatMessage } from "../src/chat/message.ts";
import { argsSchema } from "./args.ts";
import { defineCommand, type Reply } from "./types.ts";

const MONTHS = 6;

export const cohortCommand = defineCommand({
	name: "cohort",
	description:
		"Size and retention (months 0 to 6) of the latest monthly cohorts",
	usage: ["cohort [months]  (default 6, at most 36)"],
	args: argsSchema({
		positionals: z
			.array(
				z
					.string()
					.regex(/^\d+$/, {
						error: "expected the number of cohorts, e.g. cohort 6",
					})
					.transform(Number)
					.pipe(
						z
							.int()
							.min(1, { error: "expected at least 1 cohort" })
							.max(36, { error: "expected at most 36 cohorts" }),
					),
			)
			.max(1, { error: "expected one number, e.g. cohort 6" }),
	}),
	async run(ctx, args): Promise<Reply> {
		const n = args.positionals[0] ?? 6;
		const rows = await recentCohorts(ctx.pool, n);
		if (rows.length === 0)
			return {
				message: {
					title: "Cohorts",
					text: "cohorts not computed yet — run erp-pulse compute",
				},
				ephemeral: true,
			};
		const months = Array.from({ length: MONTHS + 1 }, (_, m) => m);
		const message: ChatMessage = {
			title: `Retention of the last ${rows.length} cohort(s)`,
			table: {
				columns: ["Cohort", "Customers", ...months.map((m) => `M${m}`)],
				rows: rows.reverse().map((r) => [
					r.cohort,
					String(r.customer_count),
					...months.map((m) => {
						// retention_data: key "1" is month 0.
						const v = r.retention?.[String(m + 1)];
						return v === undefined || v === null
							? ""
							: `${Math.round(Number(v))}%`;
					}),
				]),
			},
			context: [
				"Percent of each cohort's customers who ordered in month M after their first order.",
			],
		};
		return { message };
	},
});
