/**
 * Plain-text rendering of the Stox reports: aligned tables (numbers right-aligned) and short
 * labelled sections. Pure: rows in, lines out, so the CLI prints them and a chat command can
 * put them in a code block.
 */
import type { ReorderRow, StoxItemReport, StoxSummary } from "./report.ts";

/** A cell: text is left-aligned, a number (already formatted) right-aligned. */
type Cell = string | { n: string };

const DASH = "–";

/** Aligned columns; the first row is the header. */
export function textTable(rows: readonly (readonly Cell[])[]): string[] {
	const text = (c: Cell) => (typeof c === "string" ? c : c.n);
	const widths: number[] = [];
	for (const r of rows)
		r.forEach((c, i) => {
			widths[i] = Math.max(widths[i] ?? 0, text(c).length);
		});
	const numeric = widths.map((_, i) =>
		rows.slice(1).some((r) => typeof r[i] === "object"),
	);
	return rows.map((r) =>
		r
			.map((c, i) =>
				numeric[i]
					? text(c).padStart(widths[i] ?? 0)
					: text(c).padEnd(widths[i] ?? 0),
			)
			.join("  ")
			.trimEnd(),
	);
}

/** A quantity with up to `digits` decimals and thousands separators; – when missing. */
export function qty(x: number | null | undefined, digits = 0): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
	return x.toLocaleString("en-US", {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits,
	});
}

/** Money from an exact decimal string (or a number), two decimals with separators. */
export function money(
	x: string | number | null | undefined,
	currency?: string,
): string {
	if (x === null || x === undefined || x === "") return DASH;
	const v = typeof x === "number" ? x : Number(x);
	if (!Number.isFinite(v)) return DASH;
	return currency
		? new Intl.NumberFormat("en-US", {
				style: "currency",
				currency,
				minimumFractionDigits: 2,
				maximumFractionDigits: 2,
			}).format(v)
		: qty(v, 2);
}

/** Why the ABC classes do not add up to the materials, when they do not; null when they do. */
export function abcNote(s: StoxSummary): string | null {
	const none = s.total_sku_count - s.class_a - s.class_b - s.class_c;
	return none > 0
		? `${none} of the ${s.total_sku_count} materials have no ABC class: no revenue in the ${s.window_days ?? "?"}-day demand window`
		: null;
}

/** A percent with one decimal. */
export function pct(x: number | null | undefined): string {
	return x === null || x === undefined || !Number.isFinite(x)
		? DASH
		: `${qty(x, 1)} %`;
}

const num = (s: string): Cell => ({ n: s });

/** Why a material is on the reorder list, in words. */
export function reorderWhy(r: ReorderRow): string {
	const why: string[] = [];
	if (r.at_reorder_point) why.push("at/below ROP");
	if (r.stockout_in_lead_time)
		why.push(`projected out ${r.projected_stockout_date}`);
	if (r.inbound_overdue) why.push(`order open since ${r.on_order_since}, late`);
	return why.join("; ");
}

/** `stox item <material>`: the figures, then the projection. */
export function formatItem(report: StoxItemReport): string[] {
	const i = report.item;
	const facts: [string, string][] = [
		[
			"ABC class / service level",
			`${i.abc_class ?? "none"} / ${pct(i.service_level_pct)}`,
		],
		[
			"demand per day (mean, sd)",
			`${qty(i.avg_daily_demand, 2)}, ${qty(i.demand_std_dev, 2)}`,
		],
		["annual demand", qty(i.annual_demand)],
		[
			"lead time days (mean, sd)",
			`${qty(i.lead_time_days, 1)}, ${qty(i.lead_time_std_days, 1)}`,
		],
		[
			"safety stock",
			`${qty(i.safety_stock)} (${i.calculation_method ?? DASH})`,
		],
		[
			"reorder point",
			`${qty(i.reorder_point)} (lead-time demand ${qty(i.lead_time_demand)})`,
		],
		["EOQ, orders per year", `${qty(i.eoq)}, ${qty(i.orders_per_year, 1)}`],
		[
			"on hand, on order",
			`${qty(i.on_hand)}, ${qty(i.on_order)}${i.on_order_since ? ` (open since ${i.on_order_since})` : ""}`,
		],
		["days of cover", qty(i.days_of_cover, 1)],
		["projected stock-out", i.projected_stockout_date ?? "none in the horizon"],
		["unit cost", money(i.unit_cost)],
		["inventory value now", money(i.current_inventory_value)],
		[
			"working capital, turns, days on hand",
			`${money(i.working_capital)}, ${qty(i.turnover_ratio, 2)}, ${qty(i.days_on_hand)}`,
		],
		[
			"annual cost: ordering + holding + shortage",
			`${money(i.annual_ordering_cost)} + ${money(i.annual_holding_cost)} + ${money(i.annual_shortage_cost)} = ${money(i.total_annual_cost)}`,
		],
		[
			"fill rate observed, expected",
			`${pct(i.fill_rate_pct)}, ${pct(i.expected_fill_rate_pct)}`,
		],
		["stock-out incidents", qty(i.stockout_incidents)],
		[
			"excess, obsolete value",
			`${money(i.excess_value)}, ${money(i.obsolete_value)}`,
		],
	];
	const head = `${i.material_number}${i.description ? ` ${i.description}` : ""} (source ${i.source}, as of ${i.calculation_date ?? "?"})`;
	const lines = [
		head,
		...textTable([["figure", "value"], ...facts]).map((l) => `  ${l}`),
	];
	if (report.projection.length > 0) {
		lines.push(`Projection (${report.projection[0]?.forecast_method ?? "?"}):`);
		lines.push(
			...textTable([
				["period", "demand", "interval", "inventory", "orders", ""],
				...report.projection.map((p) => [
					p.projection_date,
					num(qty(p.demand, 1)),
					num(
						p.lower === null ? DASH : `${qty(p.lower, 1)}–${qty(p.upper, 1)}`,
					),
					num(qty(p.inventory)),
					num(qty(p.orders)),
					p.projected_stockout ? "stock-out" : "",
				]),
			]).map((l) => `  ${l}`),
		);
	}
	const reasons = [...new Set(i.reasons.split("; ").filter(Boolean))];
	if (reasons.length > 0) lines.push(`Notes: ${reasons.join("; ")}.`);
	return lines;
}
