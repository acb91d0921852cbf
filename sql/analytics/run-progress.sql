-- analytics/run-progress: what the run is built from and the steps done so far.
-- $1 run id, $2 analysis date, $3 max posting_date, $4 max ingest_run_id, $5 lines, $6 customers
-- with an order, $7 steps as JSON [{name, rows, ms}].
update compute_runs
set analysis_date = $2, max_posting_date = $3, max_ingest_run_id = $4, lines = $5, customers = $6,
	steps = $7::jsonb
where id = $1
