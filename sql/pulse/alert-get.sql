select * from pulse_alerts where id::text = $1
