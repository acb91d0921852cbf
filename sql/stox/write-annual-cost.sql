-- stox/write-annual-cost: one batch of stox_annual_cost rows, column arrays in parameter order.
insert into stox_annual_cost (
	source, material_number, annual_demand_units, ordering_cost, holding_cost, shortage_cost,
	total_annual_cost, reason
)
select *
from unnest(
	$1::text[], $2::text[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[],
	$7::numeric[], $8::text[]
)
