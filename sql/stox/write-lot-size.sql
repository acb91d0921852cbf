-- stox/write-lot-size: one batch of stox_lot_size rows, column arrays in parameter order.
insert into stox_lot_size (
	source, material_number, economic_order_quantity, order_frequency_annual,
	annual_ordering_cost, annual_holding_cost, holding_cost_per_unit, ordering_cost_per_order,
	reason, calculation_date
)
select u.*, $10::date
from unnest(
	$1::text[], $2::text[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[],
	$7::numeric[], $8::numeric[], $9::text[]
) as u
