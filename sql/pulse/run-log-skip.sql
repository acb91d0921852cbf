-- Accounts for a tick that did not run, with the reason; a tick already accounted for inserts nothing.
insert into pulse_execution_log (
	monitor_id, executed_at, scheduled_for, as_of, outcome, skip_reason, query_version, detail
)
values ($1, $2, $3, $4, 'skipped', $5, $6, $5)
on conflict (monitor_id, scheduled_for) where scheduled_for is not null do nothing
returning id
