-- Keeps the chart drawn for an alert; the first one drawn wins ($1 alert id, $2 filename, $3 alt text, $4 PNG).
insert into pulse_alert_charts (alert_id, filename, alt, png) values ($1, $2, $3, $4)
on conflict (alert_id) do nothing
