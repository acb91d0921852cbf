select executed_at, as_of, execution_duration_ms, rows_returned, alert_triggered, error_message,
	observed_value, score, query_version, detail, scheduled_for, outcome, skip_reason, missed_ticks
from pulse_execution_log
where monitor_id = $1
order by executed_at desc, id desc
limit $2
