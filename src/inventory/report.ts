/**
 * Read side of the stox_* tables for commands (CLI today, chat later): summary, one item,
 * what to reorder, what is excess. Each function returns typed rows; `report-format.ts` turns
 * them into text. Nothing here writes.
 */
import type { SqlCatalog } from "../db/sql-catalog.ts";

/** What the report functions need from a pool or client. */
export interface Queryable {
	query<R extends object>(
		text: string,
		values?: unknown[],
	): Promise<{ rows: R[] }>;
}

/** Every named SQL the reports run. */
export const REPORT_SQL = [
	"stox/summary",
	"stox/item",
	"stox/item-projection",
	"stox/item-suggest",
	"stox/reorder",
	"stox/excess",
	"stox/computed-count",
] as const;

/** The enterprise row and what the item tables add up to. Money as exact decimal strings. */
export interface StoxSummary {
	calculation_date: string;
	window_days: number | null;
	total_sku_count: number;
	total_inventory_value: string;
	total_working_capital: string;
	avg_turnover_ratio: number | null;
	/** Percent. */
	service_level_achievement: number | null;
	reason: string | null;
	item_rows: number;
	item_inventory_value: string;
	item_working_capital: string;
	excess_value: string;
	obsolete_value: string;
	stockout_incidents: number;
	items_with_stockouts: number;
	items_at_reorder_point: number;
	class_a: number;
	class_b: number;
	class_c: number;
}

/** One material's figures from every stox_* table (one per source that has it). */
export interface StoxItem {
	source: string;
	material_number: string;
	description: string | null;
	calculation_date: string | null;
	abc_class: string | null;
	service_level_pct: number | null;
	avg_daily_demand: number | null;
	demand_std_dev: number | null;
	lead_time_days: number | null;
	lead_time_std_days: number | null;
	safety_stock: number | null;
	calculation_method: string | null;
	lead_time_demand: number | null;
	reorder_point: number | null;
	eoq: number | null;
	orders_per_year: number | null;
	on_hand: number | null;
	on_order: number | null;
	on_order_since: string | null;
	days_of_cover: number | null;
	projected_stockout_date: string | null;
	annual_demand: number | null;
	annual_ordering_cost: string | null;
	annual_holding_cost: string | null;
	annual_shortage_cost: string | null;
	total_annual_cost: string | null;
	unit_cost: number | null;
	avg_inventory_units: number | null;
	working_capital: string | null;
	current_inventory_value: string | null;
	turnover_ratio: number | null;
	days_on_hand: number | null;
	fill_rate_pct: number | null;
	expected_fill_rate_pct: number | null;
	stockout_incidents: number | null;
	excess_value: string | null;
	obsolete_value: string | null;
	reasons: string;
}

/** One future period of an item. */
export interface StoxProjectionRow {
	projection_date: string;
	demand: number | null;
	lower: number | null;
	upper: number | null;
	interval_level_pct: number | null;
	inventory: number | null;
	orders: number | null;
	forecast_method: string | null;
	projected_stockout: boolean;
}

/** An item with its projection. */
export interface StoxItemReport {
	item: StoxItem;
	projection: StoxProjectionRow[];
}

/** A material to reorder, with the rules that listed it. */
export interface ReorderRow {
	source: string;
	material_number: string;
	description: string | null;
	on_hand: number;
	on_order: number | null;
	position: number;
	reorder_point: number | null;
	days_of_cover: number | null;
	lead_time_days: number | null;
	on_order_since: string | null;
	projected_stockout_date: string | null;
	order_quantity: number | null;
	at_reorder_point: boolean | null;
	stockout_in_lead_time: boolean;
	inbound_overdue: boolean;
	calculation_date: string | null;
}

/** A material with excess or obsolete stock (values as decimal strings). */
export interface ExcessRow {
	source: string;
	material_number: string;
	description: string | null;
	on_hand: number | null;
	unit_cost: number | null;
	days_of_cover: number | null;
	excess_value: string | null;
	obsolete_value: string | null;
	total_value: string;
}

/** The enterprise summary, or null before the first compute. */
export async function stoxSummary(
	db: Queryable,
	sql: SqlCatalog,
): Promise<StoxSummary | null> {
	const { rows } = await db.query<StoxSummary>(sql.get("stox/summary"));
	return rows[0] ?? null;
}

/** The material in every source that has it, or close material numbers when none does. */
export async function stoxItem(
	db: Queryable,
	sql: SqlCatalog,
	material: string,
): Promise<{
	items: StoxItemReport[];
	suggestions: string[];
	/** Materials that have inventory figures: 0 means the inventory step has not run yet. */
	computed: number;
}> {
	const { rows } = await db.query<StoxItem>(sql.get("stox/item"), [material]);
	const items: StoxItemReport[] = [];
	for (const item of rows) {
		const projection = await db.query<StoxProjectionRow>(
			sql.get("stox/item-projection"),
			[item.source, item.material_number],
		);
		items.push({ item, projection: projection.rows });
	}
	if (items.length > 0)
		return { items, suggestions: [], computed: items.length };
	const like = await db.query<{ material_number: string }>(
		sql.get("stox/item-suggest"),
		[material],
	);
	const count = await db.query<{ n: number }>(sql.get("stox/computed-count"));
	return {
		items,
		suggestions: like.rows.map((r) => r.material_number),
		computed: count.rows[0]?.n ?? 0,
	};
}

/** Materials to reorder now, fewest days of cover first. */
export async function stoxReorder(
	db: Queryable,
	sql: SqlCatalog,
	limit = 50,
): Promise<ReorderRow[]> {
	return (await db.query<ReorderRow>(sql.get("stox/reorder"), [limit])).rows;
}

/** Materials with excess or obsolete stock, largest value first. */
export async function stoxExcess(
	db: Queryable,
	sql: SqlCatalog,
	limit = 50,
): Promise<ExcessRow[]> {
	return (await db.query<ExcessRow>(sql.get("stox/excess"), [limit])).rows;
}

/** Why a material has no figures: a typo (with the near matches), or no inventory step yet. */
export function itemNotFound(
	material: string,
	found: { suggestions: string[]; computed: number },
): string {
	if (found.suggestions.length > 0)
		return `No inventory figures for material ${material}. Did you mean ${found.suggestions.join(", ")}?`;
	if (found.computed === 0)
		return `No inventory figures yet: the inventory step has not run. Run erp-pulse stox compute (or erp-pulse compute), then ask again.`;
	return `No material ${material} among the ${found.computed.toLocaleString("en-US")} with inventory figures. Check the number (erp-pulse stox reorder and stox excess list some).`;
}
