-- title: Items out of stock now
-- description: Items whose latest stock snapshot shows nothing on hand, with what is on order and their sales over the last 90 days.
-- category: inventory
-- param: limit int(1..5000) = 100 | Items to show
-- param: source text = null | Only this source (default: every source)
with latest as (
	select distinct on (s.source, s.material_number, s.warehouse) s.*
	from stox_stock_levels s
	where (:source is null or s.source = :source)
	order by s.source, s.material_number, s.warehouse, s.snapshot_date desc
), as_of as (
	select max(posting_date) as today from transaction_data t where (:source is null or t.source = :source)
)
select l.material_number, m.material_description, l.warehouse, l.snapshot_date, l.on_hand_units, l.on_order_units,
	(select round(sum(t.inv_quantity_cases), 1) from transaction_data t cross join as_of a
		where t.source = l.source and t.material_number = l.material_number and t.posting_date > a.today - 90) as units_sold_90d
from latest l
left join stox_material_master m on m.source = l.source and m.material_number = l.material_number
where l.on_hand_units <= 0
order by units_sold_90d desc nulls last, l.material_number
limit :limit
