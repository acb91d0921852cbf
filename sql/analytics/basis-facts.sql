-- analytics/basis-facts: what a compute run was built from, recorded in compute_runs; read from
-- the run's copy of the lines (analytics/basis-lines), in the same transaction.
-- The analysis date is the day after the newest posting_date in the data, NOT today: recency and
-- the growth windows are measured from the end of the data, so an old dataset (the 2011 UCI Online
-- Retail file) or a source that stopped a while ago still gives meaningful scores. Null when the
-- warehouse holds no order lines. Dates come back as YYYY-MM-DD text (no time-zone shifts).
select
	count(*)::bigint as lines,
	count(*) filter (where l.customer is null)::bigint as lines_without_customer,
	count(*) filter (where l.margin is null)::bigint as lines_without_margin,
	max(l.posting_date)::text as max_posting_date,
	(max(l.posting_date) + 1)::text as analysis_date,
	max(l.ingest_run_id)::bigint as max_ingest_run_id
from compute_lines l
