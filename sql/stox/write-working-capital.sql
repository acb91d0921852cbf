-- stox/write-working-capital: one batch of stox_working_capital rows, column arrays in parameter order.
insert into stox_working_capital (
	source, material_number, avg_inventory_units, unit_cost, inventory_value, turnover_ratio,
	days_on_hand, current_on_hand_units, current_inventory_value, basis, reason
)
select *
from unnest(
	$1::text[], $2::text[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[],
	$7::numeric[], $8::numeric[], $9::numeric[], $10::text[], $11::text[]
)
