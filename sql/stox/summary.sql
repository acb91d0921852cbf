-- stox/summary: the enterprise summary row with the item counts and totals the item tables add
-- up to (latest calculation date; the compute keeps one).
select
	e.calculation_date::text as calculation_date,
	e.window_days,
	e.total_sku_count,
	e.total_inventory_value::text as total_inventory_value,
	e.total_working_capital::text as total_working_capital,
	e.avg_turnover_ratio::double precision as avg_turnover_ratio,
	e.service_level_achievement::double precision as service_level_achievement,
	e.reason,
	(select count(*) from stox_working_capital)::integer as item_rows,
	(select coalesce(sum(current_inventory_value), 0)::text from stox_working_capital)
		as item_inventory_value,
	(select coalesce(sum(inventory_value), 0)::text from stox_working_capital)
		as item_working_capital,
	(select coalesce(sum(excess_inventory_value), 0)::text from stox_performance_metrics)
		as excess_value,
	(select coalesce(sum(obsolete_inventory_value), 0)::text from stox_performance_metrics)
		as obsolete_value,
	(select coalesce(sum(stockout_incidents), 0)::integer from stox_performance_metrics)
		as stockout_incidents,
	(select count(*) from stox_performance_metrics where stockout_incidents > 0)::integer
		as items_with_stockouts,
	(select count(*) from stox_reorder_point
		where coalesce(on_hand_units, 0) + coalesce(on_order_units, 0) <= reorder_point
			and on_hand_units is not null)::integer as items_at_reorder_point,
	(select count(*) from stox_safety_stock where abc_class = 'A')::integer as class_a,
	(select count(*) from stox_safety_stock where abc_class = 'B')::integer as class_b,
	(select count(*) from stox_safety_stock where abc_class = 'C')::integer as class_c
from stox_enterprise_summary e
order by e.calculation_date desc
limit 1
