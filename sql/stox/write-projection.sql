-- stox/write-projection: one batch of stox_future_projection rows, column arrays in parameter order.
insert into stox_future_projection (
	source, material_number, projection_date, projected_demand, projected_demand_lower,
	projected_demand_upper, confidence_interval, interval_level_pct, projected_inventory_level,
	projected_orders, forecast_method, projected_stockout, reason
)
select *
from unnest(
	$1::text[], $2::text[], $3::date[], $4::numeric[], $5::numeric[], $6::numeric[],
	$7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::text[], $12::boolean[],
	$13::text[]
)
