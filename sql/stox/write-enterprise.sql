-- stox/write-enterprise: the enterprise summary row of the run.
insert into stox_enterprise_summary (
	calculation_date, total_sku_count, total_inventory_value, avg_turnover_ratio,
	total_working_capital, service_level_achievement, window_days, reason
)
values ($1::date, $2::integer, $3::numeric, $4::numeric, $5::numeric, $6::numeric, $7::integer, $8::text)
