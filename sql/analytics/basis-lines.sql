-- analytics/basis-lines: the order lines every compute step reads, as a session temp view of
-- transaction_data (no copy). Everything that reads it runs in the run's one repeatable-read
-- transaction (the basis and the steps marked readsLines in src/analytics/compute/steps.ts), so
-- every derived table of one run is built from the same lines even when an ingest commits while
-- compute runs.
--
-- Definitions chosen here (summarised in src/analytics/compute/definitions.ts):
-- - every line of every source is kept: revenue is the plain sum of net_sales, so cancellation
--   lines (negative net_sales) net against revenue and zero-price lines add nothing;
-- - lines without a customer stay in (regional tables count their revenue) but belong to no
--   customer; a customer is (source, customer): the same id in two sources is two customers;
-- - margin = gross_margin, else net_sales - total_cogs, else unknown (null: e.g. no cost column);
-- - is_order (transaction_data.is_order, defined once in migrations/013_order_line.sql): a line
--   "makes an order" when it is not a cancellation and its net_sales > 0. Only
--   such lines count for frequency (distinct orders), recency, first order (cohort) and activity;
--   an order made only of zero-price lines (samples, adjustments) is not a purchase.
create temp view compute_lines as
select
	t.source collate "C" as source,
	t.customer collate "C" as customer,
	t.order_number collate "C" as order_number,
	t.posting_date,
	date_trunc('month', t.posting_date)::date as month,
	t.net_sales,
	coalesce(t.gross_margin, t.net_sales - t.total_cogs) as margin,
	t.material_number collate "C" as material_number,
	t.sales_office_name collate "C" as sales_office_name,
	t.is_order,
	t.ingest_run_id
from transaction_data t
