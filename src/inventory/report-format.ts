/**
 * Plain-text rendering of the Stox reports: aligned tables (numbers right-aligned) and short
 * labelled sections. Pure: rows in, lines out, so the CLI prints them and a chat command can
 * put them in a code block.
 */
import type {
	ExcessRow,
	ReorderRow,
	StoxItemReport,
	StoxSummary,
} from "./report.ts";

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

/** Material labels, prefixed with the source only when the rows come from several sources. */
function labeller(
	rows: readonly { source: string }[],
): (r: { source: string; material_number: string }) => string {
	const several = new Set(rows.map((r) => r.source)).size > 1;
	return (r) =>
		several ? `${r.source}:${r.material_number}` : r.material_number;
}

/** `stox summary`. */
export function formatSummary(
	s: StoxSummary | null,
	currency?: string,
): string[] {
	if (!s) return ["No Stox figures yet: run `erp-pulse stox compute` first."];
	const lines = [
		`Inventory as of ${s.calculation_date} (demand window ${s.window_days ?? "?"} days)`,
		...textTable([
			["figure", "value"],
			["materials (SKUs)", num(qty(s.total_sku_count))],
			[
				"inventory value (on hand × unit cost)",
				num(money(s.total_inventory_value, currency)),
			],
			[
				"working capital (average inventory)",
				num(money(s.total_working_capital, currency)),
			],
			["turnover (COGS / working capital)", num(qty(s.avg_turnover_ratio, 2))],
			[
				"service level achieved (unit fill)",
				num(pct(s.service_level_achievement)),
			],
			["excess stock value", num(money(s.excess_value, currency))],
			["obsolete stock value", num(money(s.obsolete_value, currency))],
			["stock-out incidents", num(qty(s.stockout_incidents))],
			["materials with a stock-out", num(qty(s.items_with_stockouts))],
			[
				"materials at or below reorder point",
				num(qty(s.items_at_reorder_point)),
			],
			[
				"ABC classes A / B / C",
				num(`${s.class_a} / ${s.class_b} / ${s.class_c}`),
			],
		]).map((l) => `  ${l}`),
	];
	const abc = abcNote(s);
	if (abc) lines.push(`Note: ${abc}.`);
	if (s.reason) lines.push(`Note: ${s.reason}.`);
	return lines;
}

/** Why a material is on the reorder list, in words. */
export function reorderWhy(r: ReorderRow): string {
	const why: string[] = [];
	if (r.at_reorder_point) why.push("at/below ROP");
	if (r.stockout_in_lead_time)
		why.push(`projected out ${r.projected_stockout_date}`);
	if (r.inbound_overdue) why.push(`order open since ${r.on_order_since}, late`);
	return why.join("; ");
}

/** `stox reorder`. */
export function formatReorder(rows: readonly ReorderRow[]): string[] {
	if (rows.length === 0)
		return [
			"Nothing to reorder: every material with stock data is above its reorder point.",
		];
	const label = labeller(rows);
	return [
		`${rows.length} material(s) to reorder (as of ${rows[0]?.calculation_date ?? "?"}), fewest days of cover first:`,
		...textTable([
			[
				"material",
				"description",
				"on hand",
				"on order",
				"ROP",
				"cover d",
				"lead d",
				"order qty",
				"why",
			],
			...rows.map((r) => [
				label(r),
				(r.description ?? "").slice(0, 28),
				num(qty(r.on_hand)),
				num(qty(r.on_order)),
				num(qty(r.reorder_point)),
				num(qty(r.days_of_cover, 1)),
				num(qty(r.lead_time_days)),
				num(qty(r.order_quantity)),
				reorderWhy(r),
			]),
		]).map((l) => `  ${l}`),
	];
}

/** `stox excess`. */
export function formatExcess(rows: readonly ExcessRow[]): string[] {
	if (rows.length === 0) return ["No excess or obsolete stock."];
	const label = labeller(rows);
	return [
		`${rows.length} material(s) with excess or obsolete stock, largest value first:`,
		...textTable([
			[
				"material",
				"description",
				"on hand",
				"cover d",
				"excess",
				"obsolete",
				"total",
			],
			...rows.map((r) => [
				label(r),
				(r.description ?? "").slice(0, 28),
				num(qty(r.on_hand)),
				num(qty(r.days_of_cover)),
				num(money(r.excess_value)),
				num(money(r.obsolete_value)),
				num(money(r.total_value)),
			]),
		]).map((l) => `  ${l}`),
	];
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
