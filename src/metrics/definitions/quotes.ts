/**
 * Quote (sales pipeline) metrics over sales_quotes. Quotes count on their quote date; win rate
 * counts quotes on the day they closed (close_date, else the quote date) and is won / (won + lost):
 * open quotes are not decided yet and count for neither.
 */
import type { MetricDefinition, MetricSql, SqlContext } from "../types.ts";
import { ALL_GRAINS, groupable, QUOTE_DIMENSIONS } from "./common.ts";

function quotesAggregate(value: string, dateExpr: string): MetricSql {
	return groupable(
		(
			ctx: SqlContext,
		) => `select ${ctx.period(dateExpr)} as period, ${value} as value${ctx.member("quotes")}
from sales_quotes q ${ctx.joins("quotes")}
where ${dateExpr} >= ${ctx.from} and ${dateExpr} < ${ctx.to} ${ctx.source("q")} ${ctx.filter("quotes")}
${ctx.groupBy("quotes", "1")}`,
	);
}

const quoteMetric = (
	m: Omit<
		MetricDefinition,
		"base" | "grains" | "dimensions" | "defaultGrain" | "requires"
	>,
): MetricDefinition => ({
	base: "quotes",
	grains: ALL_GRAINS,
	dimensions: QUOTE_DIMENSIONS,
	defaultGrain: "month",
	requires: ["quotes"],
	...m,
});

export const QUOTE_METRICS: readonly MetricDefinition[] = [
	quoteMetric({
		id: "quotes",
		label: "quotes",
		synonyms: ["quote count", "quotations", "proposals", "opportunities"],
		description: "Quotes issued in the period.",
		unit: "count",
		noun: { one: "quote", many: "quotes" },
		builtFrom: [],
		flow: true,
		sql: quotesAggregate("count(*)", "q.quote_date"),
	}),
	quoteMetric({
		id: "quote_value",
		label: "quoted value",
		synonyms: ["pipeline", "quoted amount", "pipeline value", "quote amount"],
		description: "Total amount of the quotes issued in the period.",
		unit: "currency",
		builtFrom: [],
		flow: true,
		sql: quotesAggregate("sum(q.amount)", "q.quote_date"),
	}),
	quoteMetric({
		id: "win_rate",
		label: "quote win rate",
		synonyms: ["quote win rate", "conversion rate", "close rate", "hit rate"],
		description:
			"Won quotes as a percent of the quotes decided (won or lost) in the period.",
		unit: "percent",
		builtFrom: [],
		flow: false,
		ratioOfTotals: true,
		sql: quotesAggregate(
			"100.0 * count(*) filter (where q.status = 'won') / nullif(count(*) filter (where q.status in ('won', 'lost')), 0)",
			"coalesce(q.close_date, q.quote_date)",
		),
	}),
];
