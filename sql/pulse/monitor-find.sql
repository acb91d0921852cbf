-- A monitor by id, by name (case-insensitive) or by the template it was made from; two rows back
-- means the reference is ambiguous.
select *
from pulse_monitors
where id::text = $1 or lower(name) = lower($1) or template_name = $1
order by created_at
limit 2
