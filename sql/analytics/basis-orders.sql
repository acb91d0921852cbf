-- analytics/basis-orders: the order lines every customer step reads, summed once per run to one
-- row per (source, customer, order, month) in a session temp table, so every derived table of one
-- run is built from the same lines even when an ingest commits while compute runs, and no step
-- reads a line twice. Lines without a customer get rows too (customer null): the run's facts
-- count them. Run inside the run's repeatable-read "prepare" transaction, with basis-products.
--
-- Definitions chosen here (summarised in src/analytics/compute/definitions.ts):
-- - every line of every source is kept: revenue is the plain sum of net_sales, so cancellation
--   lines (negative net_sales) net against revenue and zero-price lines add nothing;
-- - lines without a customer stay in (regional tables count their revenue) but belong to no
--   customer; a customer is (source, customer): the same id in two sources is two customers;
-- - margin = gross_margin, else net_sales - total_cogs, else unknown (null: e.g. no cost column);
--   margin_unknown counts the lines whose margin is unknown;
-- - is_order (transaction_data.is_order, defined once in migrations/013_order_line.sql): a line
--   "makes an order" when it is not a cancellation and its net_sales > 0. Only
--   such lines count for frequency (distinct orders), recency, first order (cohort) and activity;
--   an order made only of zero-price lines (samples, adjustments) is not a purchase.
-- An order whose lines fall in two months has a row per month; the steps that need the order
-- itself (frequency) sum those rows again.
create temp table compute_orders as
select
	t.source collate "C" as source,
	t.customer collate "C" as customer,
	t.order_number collate "C" as order_number,
	date_trunc('month', t.posting_date)::date as month,
	count(*) as lines,
	sum(t.net_sales) as net_sales,
	sum(coalesce(t.gross_margin, t.net_sales - t.total_cogs)) as margin,
	count(*) - count(coalesce(t.gross_margin, t.net_sales - t.total_cogs)) as margin_unknown,
	bool_or(t.is_order) as is_order,
	min(t.posting_date) filter (where t.is_order) as first_date,
	max(t.posting_date) filter (where t.is_order) as last_date,
	max(t.posting_date) as max_date,
	max(t.ingest_run_id) as max_ingest_run_id
from transaction_data t
group by 1, 2, 3, 4
