-- Claims due monitors by moving next_run on, only where it still holds the value the caller
-- read (compared to the millisecond, the precision the caller read it with): of several bot
-- processes claiming the same tick, exactly one gets each monitor.
update pulse_monitors m
set next_run = c.next_run
from unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) as c (id, old_next_run, next_run)
where m.id = c.id
	and date_trunc('milliseconds', m.next_run) is not distinct from c.old_next_run
	and m.enabled
	and m.paused_reason is null
returning m.id
