/**
 * `stox reorder|summary|item <material>|excess`: the inventory figures the last compute wrote,
 * through the same readers and formatters as `erp-pulse stox`.
 */
import { z } from "zod";
import { escapeMarkup } from "../src/chat/markup.ts";
import { loadSqlCatalog, type SqlCatalog } from "../src/db/sql-catalog.ts";
import {
	REPORT_SQL,
	stoxExcess,
	stoxItem,
	stoxReorder,
	stoxSummary,
} from "../src/inventory/report.ts";
import {
	formatExcess,
	formatItem,
	formatReorder,
	formatSummary,
} from "../src/inventory/report-format.ts";
import { sqlDir } from "../src/paths.ts";
import { argsSchema, intFlag } from "./args.ts";
import { problemReply } from "./dispatch.ts";
import { defineCommand, type Reply } from "./types.ts";

let sqlCache: SqlCatalog | undefined;
function catalog(): SqlCatalog {
	if (!sqlCache) {
		sqlCache = loadSqlCatalog(sqlDir);
		sqlCache.requireAll([...REPORT_SQL]);
	}
	return sqlCache;
}

const VERBS = ["reorder", "summary", "item", "excess"] as const;
const USAGE = [
	"stox summary",
	"stox reorder [--limit N]",
	"stox excess [--limit N]",
	"stox item <material>",
];

const lines = (title: string, text: string[]): Reply => ({
	message: { title, text: text.map(escapeMarkup).join("\n") },
});

export const stoxCommand = defineCommand({
	name: "stox",
	description:
		"Inventory: what to reorder, excess stock, the summary, or one material",
	usage: USAGE,
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
		const sql = catalog();
		const limit = args.flags.limit ?? 20;
		if (v === "summary")
			return lines(
				"Inventory summary",
				formatSummary(await stoxSummary(ctx.pool, sql)),
			);
		if (v === "reorder")
			return lines(
				"Reorder now",
				formatReorder(await stoxReorder(ctx.pool, sql, limit)),
			);
		if (v === "excess")
			return lines(
				"Excess and obsolete stock",
				formatExcess(await stoxExcess(ctx.pool, sql, limit)),
			);
		const found = await stoxItem(ctx.pool, sql, material as string);
		if (found.items.length === 0)
			return problemReply(
				"stox item: no such material",
				`No Stox figures for material \`${(material as string).replace(/`/g, "'")}\`.${
					found.suggestions.length > 0
						? ` Did you mean ${found.suggestions.map((s) => `\`${s}\``).join(", ")}?`
						: " Run `erp-pulse compute` if the inventory has not been computed yet."
				}`,
			);
		const out: string[] = [];
		for (const [n, report] of found.items.entries()) {
			if (n > 0) out.push("");
			out.push(...formatItem(report));
		}
		return lines(`Material ${material}`, out);
	},
});
