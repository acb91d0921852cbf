-- Bookkeeping after a run: state for the next run, error streak, and the pause when it is too long.
update pulse_monitors
set last_run = $2,
	last_tick = coalesce($3, last_tick),
	lifecycle_state = $4,
	consecutive_errors = $5,
	paused_at = case when $6::text is not null and paused_reason is null then now() else paused_at end,
	paused_reason = coalesce(paused_reason, $6::text),
	updated_at = now()
where id = $1
