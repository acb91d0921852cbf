-- Serialises runs and edits of one monitor.
select * from pulse_monitors where id = $1 for update
