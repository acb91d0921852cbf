/**
 * `segment [name]`: the RFM segments (customers, revenue share, average frequency) from
 * segment_performance, or the top 10 customers of one segment by monetary from customer_master.
 * Both tables are written by `erp-pulse compute`; this only reads them.
 */
import { z } from "zod";
import { RFM_SEGMENTS } from "../src/analytics/compute/rfm-map.ts";
import { rfmSegments, topCustomersOf } from "../src/analytics/derived.ts";
import type { ChatMessage } from "../src/chat/message.ts";
import { argsSchema } from "./args.ts";
import { closest, problemReply } from "./dispatch.ts";
import { defineCommand, type Reply } from "./types.ts";

const NOT_COMPUTED = "segments not computed yet — run erp-pulse compute";

/** Lower-case letters only, so "cant lose", "Can't Lose Them" and "cant-lose" compare equal. */
const squash = (s: string) => s.toLowerCase().replace(/[^a-z]/g, "");

/** The segment a typed name means: exact, then prefix, then within a small edit distance. */
export function matchSegment(typed: string): string | undefined {
	const t = squash(typed);
	if (!t) return undefined;
	const exact = RFM_SEGMENTS.find((s) => squash(s) === t);
	if (exact) return exact;
	const prefix = RFM_SEGMENTS.filter((s) => squash(s).startsWith(t));
	if (prefix.length === 1) return prefix[0];
	const guess = closest(t, RFM_SEGMENTS.map(squash));
	return RFM_SEGMENTS.find((s) => squash(s) === guess);
}

const fmt0 = (v: string | null) =>
	v === null ? "—" : Math.round(Number(v)).toLocaleString("en-US");
const fmt1 = (v: string | null) => (v === null ? "—" : Number(v).toFixed(1));

export const segmentCommand = defineCommand({
	name: "segment",
	description:
		"The RFM customer segments, or the top 10 customers of one segment",
	usage: ["segment", "segment <name>  (e.g. segment champions)"],
	forms: {
		segment: "the RFM segments: customers, revenue share, average frequency",
		"segment <name>  (e.g. segment champions)":
			"the top 10 customers of one segment",
	},
	args: argsSchema({ positionals: z.array(z.string()) }),
	async run(ctx, args): Promise<Reply> {
		const typed = args.positionals.join(" ").trim();
		// The name is checked before the database: a typo is answered the same with or without data.
		const segment = typed ? matchSegment(typed) : undefined;
		if (typed && !segment)
			return problemReply(
				"Unknown segment",
				`There is no segment \`${typed.replace(/`/g, "'")}\`. Try one of: ${RFM_SEGMENTS.map((s) => `\`${s.toLowerCase()}\``).join(", ")}.`,
			);
		const perf = await rfmSegments(ctx.pool);
		if (perf.length === 0)
			return {
				message: { title: "Segments", text: NOT_COMPUTED },
				ephemeral: true,
			};
		if (!segment) {
			const message: ChatMessage = {
				title: "RFM segments",
				table: {
					columns: ["Segment", "Customers", "Revenue share", "Avg frequency"],
					rows: perf.map((r) => [
						r.segment_name,
						String(r.customer_count),
						r.revenue_percentage === null
							? "—"
							: `${fmt1(r.revenue_percentage)}%`,
						fmt1(r.frequency_mean),
					]),
				},
				context: ["Type segment <name> for the top customers of one segment."],
			};
			return { message };
		}
		const top = await topCustomersOf(ctx.pool, segment, 10);
		const row = perf.find((r) => r.segment_name === segment);
		const message: ChatMessage = {
			title: `${segment}: top customers by monetary`,
			facts: row
				? [
						{ label: "Customers", value: String(row.customer_count) },
						{
							label: "Revenue share",
							value:
								row.revenue_percentage === null
									? "—"
									: `${fmt1(row.revenue_percentage)}%`,
						},
					]
				: [{ label: "Customers", value: "0" }],
			context: [`Segment ${segment}, top ${top.length} by monetary`],
		};
		if (top.length > 0)
			message.table = {
				columns: [
					"Customer",
					"Name",
					"Region",
					"Monetary",
					"Frequency",
					"Recency d",
				],
				rows: top.map((r) => [
					r.customer,
					r.customer_name ?? "",
					r.region ?? "",
					fmt0(r.monetary),
					r.frequency === null ? "—" : String(r.frequency),
					r.recency === null ? "—" : String(r.recency),
				]),
			};
		else message.text = "No customers are in this segment.";
		return { message };
	},
});
