-- stox/write-safety-stock: one batch of stox_safety_stock rows, column arrays in parameter order.
insert into stox_safety_stock (
	source, material_number, safety_stock_units, service_level_pct, demand_std_dev,
	lead_time_days, lead_time_std_days, calculation_method, abc_class, reason
)
select *
from unnest(
	$1::text[], $2::text[], $3::numeric[], $4::numeric[], $5::double precision[],
	$6::numeric[], $7::numeric[], $8::text[], $9::text[], $10::text[]
)
