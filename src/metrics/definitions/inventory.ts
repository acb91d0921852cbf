/**
 * Inventory metrics over stock snapshots (stox_stock_levels). Definitions chosen here:
 * - the stock of a period is each item's (material × warehouse) latest snapshot in the period;
 * - inventory value = that stock × the material's unit_cost (null when no item has a cost);
 * - stock-outs = items with a snapshot at zero (or below) on hand at any time in the period;
 * - days on hand = stock at period end / (units sold in the period / days in the period);
 * - turnover = units sold / stock at period end, annualised (× 365 / days in the period).
 * Periods without snapshots are null: no data, not an empty warehouse.
 */
import type { MetricDefinition, SqlContext } from "../types.ts";
import { STOCK_DIMENSIONS, STOCK_GRAINS } from "./common.ts";

const MATERIAL_JOIN =
	"join stox_material_master m on m.source = s.source and m.material_number = s.material_number";

/** Each item's latest snapshot per period: (period, on_hand_units[, unit_cost]). */
function latestStock(ctx: SqlContext, withCost = false): string {
	const p = ctx.period("s.snapshot_date");
	return `select distinct on (s.source, s.material_number, s.warehouse, ${p})
		${p} as period, s.on_hand_units${withCost ? ", m.unit_cost" : ""}
	from stox_stock_levels s ${MATERIAL_JOIN}
	where s.snapshot_date >= ${ctx.from} and s.snapshot_date < ${ctx.to} ${ctx.source("s")} ${ctx.filter("stock")}
	order by s.source, s.material_number, s.warehouse, ${p}, s.snapshot_date desc`;
}

function stockLevel(value: string, withCost = false) {
	return (ctx: SqlContext) =>
		`with stock as (\n${latestStock(ctx, withCost)}\n)\nselect period, ${value} as value from stock group by 1`;
}

/** Stock at period end against units sold in the period; `value` over st.units, so.units, days. */
function stockAgainstSales(value: string) {
	return (ctx: SqlContext) => {
		const lineFilter = ctx.filter("lines");
		return `with stock as (
${latestStock(ctx)}
), st as (
	select period, sum(on_hand_units) as units from stock group by 1
), so as (
	select ${ctx.period("t.posting_date")} as period, sum(t.inv_quantity_cases) as units
	from transaction_data t ${ctx.joins("lines")}
	where t.posting_date >= ${ctx.from} and t.posting_date < ${ctx.to} ${ctx.source("t")} ${lineFilter}
	group by 1
)
select st.period, ${value} as value
from st left join so on so.period = st.period
cross join lateral (select ((st.period + ${ctx.step})::date - st.period)::float8 as days) d`;
	};
}

const stockMetric = (
	m: Omit<MetricDefinition, "base" | "grains" | "dimensions" | "defaultGrain">,
): MetricDefinition => ({
	base: "stock",
	grains: STOCK_GRAINS,
	dimensions: STOCK_DIMENSIONS,
	defaultGrain: "month",
	...m,
});

export const INVENTORY_METRICS: readonly MetricDefinition[] = [
	stockMetric({
		id: "stock_units",
		label: "stock on hand",
		synonyms: ["on hand", "stock", "inventory units", "stock level"],
		description: "Units on hand at each item's latest snapshot in the period.",
		unit: "units",
		noun: { one: "unit on hand", many: "units" },
		builtFrom: [],
		flow: false,
		keepPartialEnd: true,
		requires: ["stock"],
		sql: stockLevel("sum(on_hand_units)"),
	}),
	stockMetric({
		id: "inventory_value",
		label: "inventory value",
		synonyms: ["stock value", "inventory", "working capital", "inventory cost"],
		description:
			"Units on hand at each item's latest snapshot in the period × the item's unit cost.",
		unit: "currency",
		builtFrom: ["stock_units"],
		flow: false,
		keepPartialEnd: true,
		requires: ["stock", "cost"],
		sql: stockLevel("sum(on_hand_units * unit_cost)", true),
	}),
	stockMetric({
		id: "stock_outs",
		label: "stock-outs",
		synonyms: ["stockouts", "out of stock", "stock outs", "oos"],
		description:
			"Items (material × warehouse) with a snapshot at zero on hand in the period.",
		unit: "count",
		noun: { one: "item out of stock", many: "items" },
		builtFrom: [],
		flow: false,
		requires: ["stock"],
		sql: (ctx) => {
			const filter = ctx.filter("stock");
			return `select ${ctx.period("s.snapshot_date")} as period,
	count(distinct (s.source, s.material_number, s.warehouse)) filter (where s.on_hand_units <= 0) as value
from stox_stock_levels s ${MATERIAL_JOIN}
where s.snapshot_date >= ${ctx.from} and s.snapshot_date < ${ctx.to} ${ctx.source("s")} ${filter}
group by 1`;
		},
	}),
	stockMetric({
		id: "days_on_hand",
		label: "days on hand",
		synonyms: ["doh", "days of supply", "days of inventory", "inventory days"],
		description:
			"Stock at period end divided by the average daily units sold in the period.",
		unit: "days",
		noun: { one: "day on hand", many: "days" },
		builtFrom: ["stock_units", "units"],
		flow: false,
		requires: ["stock"],
		sql: stockAgainstSales("st.units / nullif(so.units / d.days, 0)"),
	}),
	stockMetric({
		id: "turnover",
		label: "inventory turnover",
		synonyms: ["inventory turnover", "stock turnover", "turns", "stock turns"],
		description:
			"Units sold in the period / stock at period end, annualised (× 365 / days in the period).",
		unit: "ratio",
		noun: { one: "turn a year", many: "turns/yr" },
		builtFrom: ["units", "stock_units"],
		flow: false,
		requires: ["stock"],
		sql: stockAgainstSales("so.units / nullif(st.units, 0) * 365 / d.days"),
	}),
];
