select * from pulse_alerts where monitor_id = $1 order by detected_at desc limit $2
