-- title: Inventory value by category
-- description: Units on hand and their value at unit cost per product category, from each item's latest snapshot.
-- category: inventory
-- param: source text = null | Only this source (default: every source)
with latest as (
	select distinct on (s.source, s.material_number, s.warehouse) s.*
	from stox_stock_levels s
	where (:source is null or s.source = :source)
	order by s.source, s.material_number, s.warehouse, s.snapshot_date desc
)
select coalesce(m.category, '(no category)') as category, count(*) as items,
	round(sum(l.on_hand_units), 1) as units_on_hand, round(sum(l.on_hand_units * m.unit_cost), 2) as inventory_value,
	count(*) filter (where l.on_hand_units <= 0) as out_of_stock
from latest l
left join stox_material_master m on m.source = l.source and m.material_number = l.material_number
group by 1
order by inventory_value desc nulls last
