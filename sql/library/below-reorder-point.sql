-- title: Items below their reorder point (computed)
-- description: Items whose latest stock on hand plus on order is at or below the reorder point the compute step calculated. Empty until erp-pulse compute has run.
-- category: inventory
-- param: limit int(1..5000) = 100 | Items to show
select l.material_number, m.material_description, l.snapshot_date, l.on_hand_units, l.on_order_units,
	r.reorder_point, r.safety_stock, round((l.on_hand_units + coalesce(l.on_order_units, 0) - r.reorder_point)::numeric, 1) as position_vs_reorder
from (
	select distinct on (s.material_number) s.material_number, s.source, s.snapshot_date,
		sum(s.on_hand_units) over (partition by s.source, s.material_number, s.snapshot_date) as on_hand_units,
		sum(s.on_order_units) over (partition by s.source, s.material_number, s.snapshot_date) as on_order_units
	from stox_stock_levels s
	order by s.material_number, s.snapshot_date desc
) l
join stox_reorder_point r on r.material_number = l.material_number
left join stox_material_master m on m.source = l.source and m.material_number = l.material_number
where l.on_hand_units + coalesce(l.on_order_units, 0) <= r.reorder_point
order by position_vs_reorder
limit :limit
