select * from pulse_alerts where id = $1 for update
