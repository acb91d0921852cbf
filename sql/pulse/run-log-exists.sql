select exists (select from pulse_execution_log where monitor_id = $1 and scheduled_for = $2) as ran
