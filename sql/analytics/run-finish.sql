-- analytics/run-finish: closes a compute run. $1 run id, $2 status, $3 steps JSON, $4 note,
-- $5 error.
update compute_runs
set status = $2, finished_at = now(), duration_ms = round(extract(epoch from now() - started_at) * 1000)::bigint,
	steps = $3::jsonb, note = $4, error = $5
where id = $1
