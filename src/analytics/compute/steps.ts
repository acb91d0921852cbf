import type { PoolClient } from "../../db/pool.ts";
import type { SqlCatalog } from "../../db/sql-catalog.ts";
import { GROWTH_WINDOW_MONTHS, TOP_PERFORMERS } from "./definitions.ts";
import { RFM_SEGMENTS } from "./rfm-map.ts";

/** What a step may read: the run's facts. The basis temp tables live on the step's connection. */
export interface StepContext {
	sql: SqlCatalog;
	/** Day after the newest posting_date (YYYY-MM-DD); null when the warehouse has no order lines. */
	analysisDate: string | null;
	/** When the run started; written to columns that say when values were computed. */
	runStartedAt: Date;
}

/**
 * One named step of a compute run. The runner gives each step its own transaction on the run's
 * connection, so readers see a table either as the previous run left it or fully rebuilt.
 * Steps run in list order and may read tables built by earlier steps of the same run.
 */
export interface ComputeStep {
	/** The table it rebuilds; also the step's name in compute_runs.steps. */
	name: string;
	/** Named SQL it runs, checked at start-up. */
	sql: readonly string[];
	/** Rebuilds the table and returns its row count (or the rows it wrote). */
	run(client: PoolClient, ctx: StepContext): Promise<number>;
}

/**
 * The usual step: delete every row of `table`, then one INSERT … SELECT. DELETE rather than
 * TRUNCATE so readers keep seeing the old rows (instead of waiting) until the step commits.
 */
export function rebuildTable(
	table: string,
	sqlName: string,
	params: (ctx: StepContext) => unknown[] = () => [],
): ComputeStep {
	return {
		name: table,
		sql: [sqlName],
		async run(client, ctx) {
			await client.query(`delete from ${table}`);
			const result = await client.query(ctx.sql.get(sqlName), params(ctx));
			return result.rowCount ?? 0;
		},
	};
}

/** Customers seen only on lines get a row, then every row's RFM/ABC columns are brought up to date. */
const customerMaster: ComputeStep = {
	name: "customer_master",
	sql: ["analytics/customer-master-add", "analytics/customer-master-update"],
	async run(client, ctx) {
		await client.query(ctx.sql.get("analytics/customer-master-add"));
		await client.query(ctx.sql.get("analytics/customer-master-update"), [
			ctx.runStartedAt,
		]);
		const { rows } = await client.query<{ n: number }>(
			"select count(*)::int as n from customer_master where rfm_segment is not null",
		);
		return rows[0]?.n ?? 0;
	},
};

/** The customer, cohort and regional tables of the schema seed (sections 1 to 3). */
export const ANALYTICS_STEPS: readonly ComputeStep[] = [
	customerMaster,
	rebuildTable("segment_performance", "analytics/segment-performance", () => [
		[...RFM_SEGMENTS],
	]),
	rebuildTable("time_series_performance", "analytics/time-series-performance"),
	rebuildTable("product_customer_matrix", "analytics/product-customer-matrix"),
	rebuildTable("cohort_sizes", "analytics/cohort-sizes"),
	rebuildTable("cohort_retention", "analytics/cohort-retention"),
	rebuildTable("cohort_avg_revenue", "analytics/cohort-avg-revenue"),
	rebuildTable("regional_product_matrix", "analytics/regional-product-matrix"),
	rebuildTable(
		"regional_top_performers",
		"analytics/regional-top-performers",
		() => [TOP_PERFORMERS],
	),
	rebuildTable(
		"regional_product_clusters",
		"analytics/regional-product-clusters",
		(ctx) => [ctx.analysisDate, GROWTH_WINDOW_MONTHS],
	),
];

/** Every step of a compute run, in order. The inventory (stox) steps go here as one more spread. */
export const COMPUTE_STEPS: readonly ComputeStep[] = [...ANALYTICS_STEPS];
