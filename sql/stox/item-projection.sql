-- stox/item-projection: the projection rows of one material ($1 = source, $2 = material number).
select
	projection_date::text as projection_date,
	projected_demand::double precision as demand,
	projected_demand_lower::double precision as lower,
	projected_demand_upper::double precision as upper,
	interval_level_pct::double precision as interval_level_pct,
	projected_inventory_level::double precision as inventory,
	projected_orders::double precision as orders,
	forecast_method,
	projected_stockout
from stox_future_projection
where source = $1 and material_number = $2
order by projection_date
