-- analytics/run-open: records a compute run as running (committed at once, so it shows while it
-- runs) after closing runs a dead process left open; only the holder of the compute lock runs this.
-- $1 what started it.
with interrupted as (
	update compute_runs
	set status = 'failed', finished_at = now(),
		error = 'interrupted: the process stopped before the run finished'
	where status = 'running'
)
insert into compute_runs (trigger) values ($1) returning id, started_at
