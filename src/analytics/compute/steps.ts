import type { PoolClient } from "../../db/pool.ts";
import { clearTable } from "../../db/session.ts";
import type { SqlCatalog } from "../../db/sql-catalog.ts";
import { TOP_PERFORMERS } from "./definitions.ts";
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
	/**
	 * Reads the order lines (the compute_lines view). Such a step runs in the run's one
	 * repeatable-read snapshot, after the basis and before the other steps, and its table commits
	 * with the basis; it must not read a table that another step of the run builds.
	 */
	readsLines?: boolean;
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
	opts: {
		/** The statement's parameters, from the run. */
		params?: (ctx: StepContext) => unknown[];
		/** See ComputeStep.readsLines. */
		readsLines?: boolean;
	} = {},
): ComputeStep {
	const params = opts.params ?? (() => []);
	return {
		name: table,
		sql: [sqlName],
		readsLines: opts.readsLines ?? false,
		async run(client, ctx) {
			await clearTable(client, table);
			const result = await client.query(ctx.sql.get(sqlName), params(ctx));
			return result.rowCount ?? 0;
		},
	};
}

/** Customers seen only on lines get a row, then every row's RFM/ABC columns are brought up to date. */
const customerMaster: ComputeStep = {
	name: "customer_master",
	sql: [
		"analytics/customer-master-add",
		"analytics/customer-master-update",
		"analytics/customer-master-rated",
	],
	async run(client, ctx) {
		await client.query(ctx.sql.get("analytics/customer-master-add"));
		await client.query(ctx.sql.get("analytics/customer-master-update"), [
			ctx.runStartedAt,
		]);
		const { rows } = await client.query<{ n: number }>(
			ctx.sql.get("analytics/customer-master-rated"),
		);
		return rows[0]?.n ?? 0;
	},
};

/**
 * The customer, cohort and regional tables of the schema seed (sections 1 to 3), in the order they
 * run: first the one read from the order lines, in the basis's snapshot; then those built from the
 * basis's customers, cohorts and items, and regional_top_performers from regional_product_matrix.
 */
export const ANALYTICS_STEPS: readonly ComputeStep[] = [
	rebuildTable("time_series_performance", "analytics/time-series-performance", {
		readsLines: true,
	}),
	customerMaster,
	rebuildTable("segment_performance", "analytics/segment-performance", {
		params: () => [[...RFM_SEGMENTS]],
	}),
	rebuildTable("product_customer_matrix", "analytics/product-customer-matrix"),
	rebuildTable("regional_product_matrix", "analytics/regional-product-matrix"),
	rebuildTable(
		"regional_product_clusters",
		"analytics/regional-product-clusters",
	),
	rebuildTable("cohort_sizes", "analytics/cohort-sizes"),
	rebuildTable("cohort_retention", "analytics/cohort-retention"),
	rebuildTable("cohort_avg_revenue", "analytics/cohort-avg-revenue"),
	rebuildTable("regional_top_performers", "analytics/regional-top-performers", {
		params: () => [TOP_PERFORMERS],
	}),
];

/** Every step of a compute run, in order. The inventory (stox) steps go here as one more spread. */
export const COMPUTE_STEPS: readonly ComputeStep[] = [...ANALYTICS_STEPS];
