-- stox/item: every stox_* figure of one material ($1 = material number), one row per source.
select
	r.source,
	r.material_number,
	mm.material_description as description,
	r.calculation_date::text as calculation_date,
	s.abc_class,
	s.service_level_pct::double precision as service_level_pct,
	r.avg_daily_demand,
	s.demand_std_dev,
	s.lead_time_days::double precision as lead_time_days,
	s.lead_time_std_days::double precision as lead_time_std_days,
	s.safety_stock_units::double precision as safety_stock,
	s.calculation_method,
	r.lead_time_demand::double precision as lead_time_demand,
	r.reorder_point::double precision as reorder_point,
	l.economic_order_quantity::double precision as eoq,
	l.order_frequency_annual::double precision as orders_per_year,
	r.on_hand_units::double precision as on_hand,
	r.on_order_units::double precision as on_order,
	r.on_order_since::text as on_order_since,
	r.days_of_cover::double precision as days_of_cover,
	r.projected_stockout_date::text as projected_stockout_date,
	c.annual_demand_units::double precision as annual_demand,
	c.ordering_cost::text as annual_ordering_cost,
	c.holding_cost::text as annual_holding_cost,
	c.shortage_cost::text as annual_shortage_cost,
	c.total_annual_cost::text as total_annual_cost,
	w.unit_cost::double precision as unit_cost,
	w.avg_inventory_units::double precision as avg_inventory_units,
	w.inventory_value::text as working_capital,
	w.current_inventory_value::text as current_inventory_value,
	w.turnover_ratio::double precision as turnover_ratio,
	w.days_on_hand::double precision as days_on_hand,
	p.fill_rate_pct::double precision as fill_rate_pct,
	p.expected_fill_rate_pct::double precision as expected_fill_rate_pct,
	p.stockout_incidents,
	p.excess_inventory_value::text as excess_value,
	p.obsolete_inventory_value::text as obsolete_value,
	concat_ws('; ', l.reason, s.reason, r.reason, c.reason, w.reason, p.reason) as reasons
from stox_reorder_point r
join stox_safety_stock s using (source, material_number)
join stox_lot_size l using (source, material_number)
join stox_annual_cost c using (source, material_number)
join stox_working_capital w using (source, material_number)
join stox_performance_metrics p using (source, material_number)
left join stox_material_master mm using (source, material_number)
where r.material_number = $1
order by r.source
