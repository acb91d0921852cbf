-- Monitors due at $1 (never-run monitors first), at most $2 of them.
select id, frequency, time_zone, next_run, last_run, target
from pulse_monitors
where enabled and paused_reason is null and (next_run is null or next_run <= $1)
order by next_run nulls first, id
limit $2
