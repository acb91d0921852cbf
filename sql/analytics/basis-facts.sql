-- analytics/basis-facts: what a compute run was built from, recorded in compute_runs; read from
-- the run's order totals (analytics/basis-orders), in the same transaction.
-- The analysis date is the day after the newest posting_date in the data, NOT today: recency and
-- the growth windows are measured from the end of the data, so an old dataset (the 2011 UCI Online
-- Retail file) or a source that stopped a while ago still gives meaningful scores. Null when the
-- warehouse holds no order lines. Dates come back as YYYY-MM-DD text (no time-zone shifts).
select
	coalesce(sum(o.lines), 0)::bigint as lines,
	coalesce(sum(o.lines) filter (where o.customer is null), 0)::bigint as lines_without_customer,
	coalesce(sum(o.margin_unknown), 0)::bigint as lines_without_margin,
	max(o.max_date)::text as max_posting_date,
	(max(o.max_date) + 1)::text as analysis_date,
	max(o.max_ingest_run_id)::bigint as max_ingest_run_id
from compute_orders o
