-- analytics/run-previous: the last successful compute run's size and duration, from which a run
-- estimates how long it has left ("compute progress" log lines); no row before the first run.
select lines::bigint as lines, duration_ms::bigint as duration_ms
from compute_runs
where status = 'succeeded' and lines > 0 and duration_ms is not null
order by id desc
limit 1
