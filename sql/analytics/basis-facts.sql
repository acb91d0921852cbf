-- analytics/basis-facts: what a compute run was built from, recorded in compute_runs. Read in the
-- same repeatable-read transaction (same snapshot) as analytics/basis-lines.
-- The analysis date is the day after the newest posting_date in the data, NOT today: recency and
-- the growth windows are measured from the end of the data, so an old dataset (the 2011 UCI Online
-- Retail file) or a source that stopped a while ago still gives meaningful scores. Null when the
-- warehouse holds no order lines. Dates come back as YYYY-MM-DD text (no time-zone shifts).
select
	count(*)::bigint as lines,
	count(*) filter (where t.customer is null)::bigint as lines_without_customer,
	count(*) filter (where coalesce(t.gross_margin, t.net_sales - t.total_cogs) is null)::bigint as lines_without_margin,
	max(t.posting_date)::text as max_posting_date,
	(max(t.posting_date) + 1)::text as analysis_date,
	max(t.ingest_run_id)::bigint as max_ingest_run_id
from transaction_data t
