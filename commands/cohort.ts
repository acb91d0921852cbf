/**
 * `cohort [months]`: size and retention (months 0..6) of the last N monthly acquisition cohorts,
 * read from cohort_sizes and cohort_retention (written by `erp-pulse compute`).
 */
import { z } from "zod";
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
		const { rows } = await ctx.pool.query<{
			cohort: string;
			customer_count: number;
			retention: Record<string, number | string> | null;
		}>(
			`select to_char(s.cohort_month, 'YYYY-MM') as cohort, s.customer_count,
			        r.retention_data as retention
			   from cohort_sizes s left join cohort_retention r using (cohort_month)
			  order by s.cohort_month desc limit $1`,
			[n],
		);
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
