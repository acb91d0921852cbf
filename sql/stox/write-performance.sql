-- stox/write-performance: one batch of stox_performance_metrics rows, column arrays in parameter
-- order. inventory_accuracy_pct stays null: no physical counts are ingested (the reason says so).
insert into stox_performance_metrics (
	source, material_number, fill_rate_pct, expected_fill_rate_pct, stockout_incidents,
	excess_inventory_value, obsolete_inventory_value, reason
)
select *
from unnest(
	$1::text[], $2::text[], $3::numeric[], $4::numeric[], $5::integer[], $6::numeric[],
	$7::numeric[], $8::text[]
)
