-- A new monitor (version 1). $1..$14 follow monitorColumns() in src/pulse/engine/records.ts.
insert into pulse_monitors (
	name, sql_query, target, alert_condition, severity, frequency, time_zone, channels,
	pending_runs, recovery, cooldown_minutes, renotify_minutes, snoozed_until, enabled,
	user_id, description, natural_language_query, template_name, template_params, data_source
)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
returning *
