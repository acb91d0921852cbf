/**
 * The dimension allow-list: the only SQL expressions a user's "by region" can select. Each
 * dimension says which column it is on each base (fact) and which join it needs there.
 * Filter joins use their own aliases (fc, fm) so they never clash with a metric's own joins;
 * stock metrics always join stox_material_master as m themselves.
 */
import type { BaseId, DimensionId } from "./types.ts";

/** A dimension on one base: the column expression and the join it needs ("" when none). */
export interface DimensionColumn {
	expr: string;
	join: string;
}

/** A dimension of the allow-list. */
export interface DimensionDefinition {
	id: DimensionId;
	label: string;
	synonyms: readonly string[];
	on: Partial<Record<BaseId, DimensionColumn>>;
	/** Filled by compute rather than ingest; empty until `erp-pulse compute` has run. */
	computed?: boolean;
}

const LINE_CUSTOMER =
	"left join customer_master fc on fc.source = t.source and fc.customer = t.customer";
const LINE_MATERIAL =
	"left join stox_material_master fm on fm.source = t.source and fm.material_number = t.material_number";
const QUOTE_CUSTOMER =
	"left join customer_master fc on fc.source = q.source and fc.customer = q.customer";

const col = (expr: string, join = ""): DimensionColumn => ({ expr, join });

/** Every dimension, in the order they are listed to users. */
export const DIMENSIONS: readonly DimensionDefinition[] = [
	{
		id: "region",
		label: "region",
		synonyms: ["area", "territory", "country"],
		on: {
			lines: col("t.region"),
			customers: col("c.region"),
			quotes: col("fc.region", QUOTE_CUSTOMER),
		},
	},
	{
		id: "segment",
		label: "segment",
		synonyms: ["rfm segment", "customer segment", "rfm"],
		computed: true,
		on: {
			lines: col("fc.rfm_segment", LINE_CUSTOMER),
			customers: col("c.rfm_segment"),
			quotes: col("fc.rfm_segment", QUOTE_CUSTOMER),
		},
	},
	{
		id: "salesperson",
		label: "salesperson",
		synonyms: ["sales rep", "rep", "salesman", "seller", "sales person"],
		on: { lines: col("t.salesperson"), quotes: col("q.salesperson") },
	},
	{
		id: "branch",
		label: "branch",
		synonyms: ["location", "site"],
		on: {
			lines: col("t.branch"),
			customers: col("c.branch"),
			quotes: col("q.branch"),
		},
	},
	{
		id: "category",
		label: "product category",
		synonyms: ["product category", "product group", "product line"],
		on: { lines: col("fm.category", LINE_MATERIAL), stock: col("m.category") },
	},
	{
		id: "customer",
		label: "customer",
		synonyms: ["client", "account"],
		on: {
			lines: col("t.customer"),
			customers: col("c.customer"),
			quotes: col("q.customer"),
		},
	},
	{
		id: "material",
		label: "material",
		synonyms: ["product", "item", "sku", "material number", "stock code"],
		on: { lines: col("t.material_number"), stock: col("s.material_number") },
	},
];

/** The dimension with this id; ids are checked by the type, so this never misses. */
export function dimension(id: DimensionId): DimensionDefinition {
	const d = DIMENSIONS.find((x) => x.id === id);
	if (!d) throw new Error(`dimension ${id} is not in the allow-list`);
	return d;
}

/** The dimension's column on a base, or undefined when the base does not carry it. */
export function dimensionColumn(
	id: DimensionId,
	base: BaseId,
): DimensionColumn | undefined {
	return dimension(id).on[base];
}
