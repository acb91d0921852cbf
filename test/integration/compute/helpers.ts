import { migrate } from "../../../src/db/migrate.ts";
import { createPool, type Pool } from "../../../src/db/pool.ts";
import type { Logger } from "../../../src/log.ts";
import { migrationsDir } from "../../../src/paths.ts";
import { createTestDatabase } from "../../helpers/db.ts";

/** One crafted order line; anything left out takes a plain default. */
export interface LineSpec {
	source?: string;
	order: string;
	line?: number;
	customer: string | null;
	date: string;
	net: number;
	cogs?: number | null;
	material?: string | null;
	office?: string | null;
	cancel?: boolean;
}

/** Inserts crafted lines straight into transaction_data (no ingest), in one statement. */
export async function insertLines(
	pool: Pool,
	lines: readonly LineSpec[],
): Promise<void> {
	const rows = lines.map((l, i) => ({
		source: l.source ?? "erp",
		order_number: l.order,
		line_number: l.line ?? i + 1,
		customer: l.customer,
		material_number: l.material === undefined ? "M1" : l.material,
		posting_date: l.date,
		year_month: l.date.slice(0, 7),
		net_sales: l.net,
		total_cogs: l.cogs === undefined ? null : l.cogs,
		sales_office_name: l.office === undefined ? "North" : l.office,
		is_cancellation: l.cancel ?? false,
	}));
	await pool.query(
		`insert into transaction_data (source, order_number, line_number, customer, material_number, posting_date,
		 year_month, net_sales, total_cogs, gross_margin, sales_office_name, is_cancellation)
		 select source, order_number, line_number, customer, material_number, posting_date, year_month, net_sales,
		 total_cogs, net_sales - total_cogs, sales_office_name, is_cancellation
		 from jsonb_to_recordset($1::jsonb) as r(source text, order_number text, line_number int, customer text,
		 material_number text, posting_date date, year_month text, net_sales numeric, total_cogs numeric,
		 sales_office_name text, is_cancellation boolean)`,
		[JSON.stringify(rows)],
	);
}

/** Every table a compute run writes, with the key that orders its rows. */
export const DERIVED_TABLES: Record<string, string> = {
	segment_performance: "segment_type, segment_name",
	time_series_performance: "year_month, rfm_segment",
	product_customer_matrix: "material_number, rfm_segment",
	cohort_sizes: "cohort_month",
	cohort_retention: "cohort_month",
	cohort_avg_revenue: "cohort_month",
	regional_product_matrix: "sales_office_name, material_number",
	regional_top_performers: "sales_office_name, material_number",
	regional_product_clusters: "sales_office_name, cluster_id, material_number",
};

const CUSTOMER_COLUMNS =
	"source, customer, rfm_segment, monetary, frequency, recency, abc_revenue, abc_profit, abc_combined, profitability, margin_percent, r_score, f_score, m_score, rfm_score, first_order_date, last_order_date";

/**
 * Row count and md5 of every derived table (and of customer_master's derived columns), all
 * columns but computed_at, in key order: two runs built the same tables exactly when these match.
 */
export async function derivedChecksums(
	pool: Pool,
): Promise<Record<string, { rows: number; md5: string }>> {
	const out: Record<string, { rows: number; md5: string }> = {};
	const tables = {
		...DERIVED_TABLES,
		customer_master: "source, customer",
	};
	for (const [table, key] of Object.entries(tables)) {
		const cols =
			table === "customer_master"
				? CUSTOMER_COLUMNS
				: await columnsBut(pool, table, "computed_at");
		const { rows } = await pool.query<{ rows: number; md5: string }>(
			`select count(*)::int as rows, coalesce(md5(string_agg(row(${cols})::text, '|' order by ${key})), '') as md5 from ${table}`,
		);
		out[table] = rows[0] ?? { rows: 0, md5: "" };
	}
	return out;
}

async function columnsBut(
	pool: Pool,
	table: string,
	skip: string,
): Promise<string> {
	const { rows } = await pool.query<{ c: string }>(
		`select string_agg(column_name, ', ' order by ordinal_position) as c from information_schema.columns
		 where table_schema = 'public' and table_name = $1 and column_name <> $2`,
		[table, skip],
	);
	return rows[0]?.c ?? "*";
}

/** Numeric columns come back from pg as strings; compare money as numbers rounded to cents. */
export const money = (v: string | number | null | undefined): number =>
	Math.round(Number(v ?? 0) * 100) / 100;

/** A migrated, empty warehouse in its own test database. */
export async function freshWarehouse(
	label: string,
	log: Logger,
): Promise<{ pool: Pool; url: string; drop(): Promise<void> }> {
	const db = await createTestDatabase(label);
	const pool = createPool(db.url, log, { max: 4 });
	await migrate(pool, migrationsDir, log);
	return {
		pool,
		url: db.url,
		drop: async () => {
			await pool.end();
			await db.drop();
		},
	};
}
