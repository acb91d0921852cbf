-- Deletes engine bookkeeping older than its retention window, in one statement so it commits whole.
-- $1 ingest_rejects days, $2 pulse_execution_log days, $3 finished deliveries days.
with rejects as (
	delete from ingest_rejects where created_at < now() - make_interval(days => $1::int) returning 1
), execution_log as (
	delete from pulse_execution_log where executed_at < now() - make_interval(days => $2::int) returning 1
), finished_deliveries as (
	delete from deliveries
	where status in ('sent', 'dead') and created_at < now() - make_interval(days => $3::int)
	returning 1
)
select
	(select count(*) from rejects)::int as ingest_rejects,
	(select count(*) from execution_log)::int as execution_log,
	(select count(*) from finished_deliveries)::int as deliveries
