-- A monitor by id, or by name (case-insensitive); two rows back means the name is ambiguous.
select *
from pulse_monitors
where id::text = $1 or lower(name) = lower($1)
order by created_at
limit 2
