/**
 * The definitions the compute step is built on, in one place. Each is also written down beside
 * the SQL that applies it (sql/analytics/*.sql); this is the summary.
 *
 * - **Analysis date**: the day after the newest posting_date in the warehouse (all sources), not
 *   today. Recency and the regional growth windows are measured from it, so an old dataset (the
 *   2011 UCI Online Retail file) or a source that stopped delivering still gives meaningful
 *   scores. Recorded per run in compute_runs.analysis_date. (sql/analytics/basis-facts.sql)
 * - **Lines**: every line of every source counts for revenue. Cancellation lines carry negative
 *   net_sales and net against revenue and monetary; zero-price lines add nothing. Lines without a
 *   customer count for revenue (regional tables) but are left out of customer analytics.
 *   (sql/analytics/basis-lines.sql)
 * - **Orders**: a line makes an order when it is not a cancellation and its net_sales > 0 (the
 *   generated column transaction_data.is_order, migrations/013_order_line.sql; README "Definitions").
 *   Frequency = distinct order numbers with such a line; recency, first order (cohort) and monthly
 *   activity use only such lines. Customers whose lines hold no order get the label "No Orders"
 *   and no scores.
 * - **Customer identity**: (source, customer); the same id in two sources is two customers.
 *   Materials and sales offices are identified by their code across sources (the derived tables
 *   of the schema seed have no source column).
 * - **Margin**: gross_margin, else net_sales − total_cogs, else unknown; a customer's
 *   profitability is known only when all its lines have a margin (a partial sum would misclass
 *   it by profit). margin_percent = 100 × profitability / monetary when monetary > 0. Margin
 *   totals of the monthly, product and regional tables sum the lines whose margin is known.
 * - **RFM scores**: quintiles where ties share a score: 1 + floor(5 × (rank − 1) / n), rank() in
 *   worse-to-better order (recency descending, frequency and monetary ascending) over customers
 *   with an order. Equal values always get the same score (ntile would split them by id), so
 *   bands are uneven when many values tie. (sql/analytics/basis-customers.sql)
 * - **Segments**: the 125-cell map of ./rfm-map.ts (R × floor((F + M) / 2) on the classic grid).
 * - **ABC**: customers ordered by value descending (customer key breaks ties); share before a
 *   customer = positive value of those ahead / total positive value; < 80 % → A, < 95 % → B,
 *   else C, so the customer crossing a boundary takes the better class; value ≤ 0 → C. By
 *   revenue (monetary) and by profit (null when profit is unknown); combined = the worse of the
 *   two, or the revenue class when profit is unknown.
 * - **Cohorts**: cohort = month of the first order; retention in month k = percent of the cohort
 *   with an order in month k; average revenue in month k = the cohort's net sales in month k ÷
 *   cohort size. JSON keys "1", "2", … are months 0, 1, … up to the month of the last data day.
 * - **Regional**: revenue, margin and buyers per sales office and material; top performers = the
 *   best TOP_PERFORMERS by revenue; clusters = revenue tercile × growth (last 12 months above the
 *   12 before), see REGIONAL_CLUSTERS.
 */

/** Cumulative share of value that closes class A, then class B; the rest is C. */
export const ABC_SHARES = { a: 0.8, b: 0.95 } as const;

/** Products kept per sales office in regional_top_performers. */
export const TOP_PERFORMERS = 10;

/** Length of the two windows compared for a product's growth, in months. */
export const GROWTH_WINDOW_MONTHS = 12;

/** What regional_product_clusters.cluster_id means. */
export const REGIONAL_CLUSTERS: Readonly<Record<number, string>> = {
	1: "top revenue third, growing",
	2: "top revenue third, not growing",
	3: "middle revenue third, growing",
	4: "middle revenue third, not growing",
	5: "bottom revenue third, growing",
	6: "bottom revenue third, not growing",
};

/**
 * Settings of every compute transaction: sorts and hashes get more memory than a normal query,
 * a longer statement timeout, and no JIT (compiling each big aggregate costs more than it saves).
 */
export const COMPUTE_SESSION = {
	workMem: "64MB",
	statementTimeoutMs: 30 * 60_000,
} as const;
