-- One row per run; a second run for the same scheduled tick inserts nothing.
insert into pulse_execution_log (
	monitor_id, executed_at, execution_duration_ms, rows_returned, alert_triggered, error_message,
	observed_value, score, query_version, scheduled_for, as_of, detail, alert_id, missed_ticks
)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
on conflict (monitor_id, scheduled_for) where scheduled_for is not null do nothing
returning id
