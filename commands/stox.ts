/**
 * `stox reorder|summary|item <material>|excess`: the inventory figures the last compute wrote,
 * through the same readers and formatters as `erp-pulse stox`.
 */
import { z } from "zod";
import { escapeMarkup } from "../src/chat/markup.ts";
import type { ChatMessage } from "../src/chat/message.ts";
import type {
	ExcessRow,
	ReorderRow,
	StoxSummary,
} from "../src/inventory/report.ts";
import {
	itemNotFound,
	REPORT_SQL,
	stoxExcess,
	stoxItem,
	stoxReorder,
	stoxSummary,
} from "../src/inventory/report.ts";
import {
	abcNote,
	formatItem,
	money,
	pct,
	qty,
	reorderWhy,
} from "../src/inventory/report-format.ts";
import { argsSchema, intFlag } from "./args.ts";
import { problemReply } from "./dispatch.ts";
import { defineCommand, type Reply } from "./types.ts";

const VERBS = ["reorder", "summary", "item", "excess"] as const;
const USAGE = [
	"stox summary",
	"stox reorder [--limit N]",
	"stox excess [--limit N]",
	"stox item <material>",
];

export const stoxCommand = defineCommand({
	name: "stox",
	description:
		"Inventory: what to reorder, excess stock, the summary, or one material",
	usage: USAGE,
	forms: {
		"stox summary": "inventory value, turns, service level and excess",
		"stox reorder [--limit N]": "materials to reorder now, least cover first",
		"stox excess [--limit N]":
			"materials with excess or obsolete stock, largest value first",
		"stox item <material>":
			"every inventory figure of one material, with its projection",
	},
	args: argsSchema({
		positionals: z.array(z.string()),
		flags: { limit: intFlag(1, 50).optional() },
	}),
	async run(ctx, args): Promise<Reply> {
		const [verb, material, ...extra] = args.positionals;
		const v = verb?.toLowerCase();
		if (!v || !(VERBS as readonly string[]).includes(v))
			return problemReply(
				"stox: which report?",
				`${verb ? `\`${verb.replace(/`/g, "'")}\` is not a stox report. ` : ""}Try ${USAGE.map((u) => `\`${u}\``).join(", ")}.`,
			);
		if (v === "item" && (!material || extra.length > 0))
			return problemReply(
				"stox item: which material?",
				"Give one material number, e.g. `stox item M-10042`.",
			);
		if (v !== "item" && material !== undefined)
			return problemReply(
				`stox ${v}: too many words`,
				`\`stox ${v}\` takes no words${v === "reorder" || v === "excess" ? "; use `--limit N` for the number of rows" : ""}.`,
			);
		if (args.flags.limit !== undefined && v !== "reorder" && v !== "excess")
			return problemReply(
				`stox ${v}: check the arguments`,
				"`--limit` goes only with `stox reorder` and `stox excess`.",
			);
		const sql = ctx.sql;
		sql.requireAll([...REPORT_SQL]);
		const limit = args.flags.limit ?? 20;
		if (v === "summary")
			return {
				message: summaryMessage(
					await stoxSummary(ctx.pool, sql),
					ctx.config.currency,
				),
			};
		if (v === "reorder")
			return {
				message: reorderMessage(await stoxReorder(ctx.pool, sql, limit)),
			};
		if (v === "excess")
			return {
				message: excessMessage(await stoxExcess(ctx.pool, sql, limit)),
			};
		const found = await stoxItem(ctx.pool, sql, material as string);
		if (found.items.length === 0)
			return problemReply(
				"stox item: no such material",
				escapeMarkup(itemNotFound(material as string, found)),
			);
		const out: string[] = [];
		for (const [n, report] of found.items.entries()) {
			if (n > 0) out.push("");
			out.push(...formatItem(report));
		}
		// Laid out in columns already: a fixed-width block keeps them.
		return { message: { title: `Material ${material}`, pre: out.join("\n") } };
	},
});

/** Material labels, prefixed with the source only when the rows come from several sources. */
function labeller(
	rows: readonly { source: string }[],
): (r: { source: string; material_number: string }) => string {
	const several = new Set(rows.map((r) => r.source)).size > 1;
	return (r) =>
		several ? `${r.source}:${r.material_number}` : r.material_number;
}

const NOT_COMPUTED =
	"Inventory not computed yet — run erp-pulse compute (or erp-pulse stox compute).";

/** `stox summary` as facts, each label saying how its figure is made. */
export function summaryMessage(
	s: StoxSummary | null,
	currency?: string,
): ChatMessage {
	if (!s)
		return { title: "Inventory summary", text: escapeMarkup(NOT_COMPUTED) };
	return {
		title: `Inventory as of ${s.calculation_date}`,
		facts: [
			{ label: "Materials (SKUs)", value: qty(s.total_sku_count) },
			{
				label: "Inventory value (on hand × unit cost)",
				value: money(s.total_inventory_value, currency),
			},
			{
				label: "Working capital (average inventory)",
				value: money(s.total_working_capital, currency),
			},
			{
				label: "Turnover (COGS / working capital)",
				value: qty(s.avg_turnover_ratio, 2),
			},
			{
				label: "Service level achieved (unit fill)",
				value: pct(s.service_level_achievement),
			},
			{ label: "Excess stock value", value: money(s.excess_value, currency) },
			{
				label: "Obsolete stock value",
				value: money(s.obsolete_value, currency),
			},
			{ label: "Stock-out incidents", value: qty(s.stockout_incidents) },
			{
				label: "Materials with a stock-out",
				value: qty(s.items_with_stockouts),
			},
			{
				label: "At or below reorder point",
				value: qty(s.items_at_reorder_point),
			},
			{
				label: "ABC classes A / B / C",
				value: `${s.class_a} / ${s.class_b} / ${s.class_c}`,
			},
		],
		context: [
			`Demand window ${s.window_days ?? "?"} days`,
			...(abcNote(s) ? [`Note: ${abcNote(s)}.`] : []),
			...(s.reason ? [`Note: ${s.reason}.`] : []),
		],
	};
}

/** `stox reorder` as a table, fewest days of cover first. */
export function reorderMessage(rows: readonly ReorderRow[]): ChatMessage {
	if (rows.length === 0)
		return {
			title: "Reorder now",
			severity: "ok",
			text: "Nothing to reorder: every material with stock data is above its reorder point.",
		};
	const label = labeller(rows);
	return {
		title: `Reorder now: ${rows.length} material(s)`,
		table: {
			columns: [
				"Material",
				"Description",
				"On hand",
				"On order",
				"ROP",
				"Cover d",
				"Lead d",
				"Order qty",
				"Why",
			],
			rows: rows.map((r) => [
				label(r),
				(r.description ?? "").slice(0, 28),
				qty(r.on_hand),
				qty(r.on_order),
				qty(r.reorder_point),
				qty(r.days_of_cover, 1),
				qty(r.lead_time_days),
				qty(r.order_quantity),
				reorderWhy(r),
			]),
		},
		context: [
			`As of ${rows[0]?.calculation_date ?? "?"}, fewest days of cover first.`,
		],
	};
}

/** `stox excess` as a table, largest value first. */
export function excessMessage(rows: readonly ExcessRow[]): ChatMessage {
	if (rows.length === 0)
		return {
			title: "Excess and obsolete stock",
			severity: "ok",
			text: "No excess or obsolete stock.",
		};
	const label = labeller(rows);
	return {
		title: `Excess and obsolete stock: ${rows.length} material(s)`,
		table: {
			columns: [
				"Material",
				"Description",
				"On hand",
				"Cover d",
				"Excess",
				"Obsolete",
				"Total",
			],
			rows: rows.map((r) => [
				label(r),
				(r.description ?? "").slice(0, 28),
				qty(r.on_hand),
				qty(r.days_of_cover),
				money(r.excess_value),
				money(r.obsolete_value),
				money(r.total_value),
			]),
		},
		context: ["Largest value first."],
	};
}
