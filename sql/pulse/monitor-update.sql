-- Saves an edited definition; $15 is the new query_version (unchanged when only settings changed).
update pulse_monitors
set name = $2, sql_query = $3, target = $4, alert_condition = $5, severity = $6, frequency = $7,
	time_zone = $8, channels = $9, pending_runs = $10, recovery = $11, cooldown_minutes = $12,
	renotify_minutes = $13, snoozed_until = $14, enabled = $15, query_version = $16,
	next_run = case when frequency is distinct from $7 or time_zone is distinct from $8 then null else next_run end,
	updated_at = now()
where id = $1
returning *
