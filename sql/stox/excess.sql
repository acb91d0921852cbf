-- stox/excess: materials holding excess (above the configured days of cover) or obsolete (no
-- demand for the configured days) stock, largest value first; $1 = row limit.
select
	p.source,
	p.material_number,
	mm.material_description as description,
	w.current_on_hand_units::double precision as on_hand,
	w.unit_cost::double precision as unit_cost,
	r.days_of_cover::double precision as days_of_cover,
	p.excess_inventory_value::text as excess_value,
	p.obsolete_inventory_value::text as obsolete_value,
	(coalesce(p.excess_inventory_value, 0) + coalesce(p.obsolete_inventory_value, 0))::text
		as total_value
from stox_performance_metrics p
left join stox_working_capital w using (source, material_number)
left join stox_reorder_point r using (source, material_number)
left join stox_material_master mm using (source, material_number)
where p.excess_inventory_value > 0 or p.obsolete_inventory_value > 0
order by coalesce(p.excess_inventory_value, 0) + coalesce(p.obsolete_inventory_value, 0) desc,
	p.source, p.material_number
limit $1
