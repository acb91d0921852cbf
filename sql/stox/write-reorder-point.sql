-- stox/write-reorder-point: one batch of stox_reorder_point rows, column arrays in parameter order.
insert into stox_reorder_point (
	source, material_number, reorder_point, avg_daily_demand, safety_stock, lead_time_demand,
	lead_time_days, on_hand_units, on_order_units, on_order_since, days_of_cover,
	projected_stockout_date, reason, calculation_date
)
select u.*, $14::date
from unnest(
	$1::text[], $2::text[], $3::numeric[], $4::double precision[], $5::numeric[], $6::numeric[],
	$7::numeric[], $8::numeric[], $9::numeric[], $10::date[], $11::numeric[], $12::date[],
	$13::text[]
) as u
