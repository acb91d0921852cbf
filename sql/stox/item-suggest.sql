-- stox/item-suggest: material numbers like $1 (case-insensitive substring), for "did you mean".
select distinct material_number
from stox_reorder_point
where material_number ilike '%' || $1 || '%'
order by material_number
limit 5
