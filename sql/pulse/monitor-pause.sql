-- Pause ($2 = reason) or resume ($2 = null, also clears the error streak and runs at the next tick).
update pulse_monitors
set paused_reason = $2::text,
	paused_at = case when $2::text is null then null else now() end,
	consecutive_errors = case when $2::text is null then 0 else consecutive_errors end,
	next_run = case when $2::text is null then null else next_run end,
	updated_at = now()
where id = $1
returning *
