-- stox/history: one row per material of a batch (idx $1 to $2), with its demand and stock
-- history from its first day to the day before the analysis date $3, as sparse arrays of day
-- offsets from first_day (the caller lays them out day by day: src/inventory/series.ts).
--
-- demand: Σ inv_quantity_cases of the non-cancellation lines per posting date. Credit notes
--   (is_cancellation) are returns, not negative demand, and are left out.
-- stock: every snapshot in the window per warehouse, plus the latest snapshot on or before the
--   first day (it carries into the window); offsets before day 0 are possible.
select
	m.idx,
	m.source,
	m.material_number,
	m.first_day::text as first_day,
	($3::date - m.first_day) as days,
	m.has_master,
	m.unit_cost,
	m.lead_time_days,
	m.lead_time_std_days,
	m.storage_cost_pct,
	m.ordering_cost,
	m.abc_class,
	d.days as demand_days,
	d.units as demand_units,
	s.days as stock_days,
	s.warehouses as stock_warehouses,
	s.on_hand as stock_on_hand,
	s.on_order as stock_on_order
from stox_run_materials m
left join lateral (
	select
		array_agg(x.day - m.first_day order by x.day) as days,
		array_agg(x.units order by x.day) as units
	from (
		select t.posting_date as day, sum(t.inv_quantity_cases)::double precision as units
		from transaction_data t
		where t.source = m.source
			and t.material_number = m.material_number
			and not t.is_cancellation
			and t.posting_date >= m.first_day
			and t.posting_date < $3::date
		group by t.posting_date
	) x
) d on true
left join lateral (
	select
		array_agg(p.snapshot_date - m.first_day order by p.warehouse, p.snapshot_date) as days,
		array_agg(p.warehouse order by p.warehouse, p.snapshot_date) as warehouses,
		array_agg(p.on_hand_units::double precision order by p.warehouse, p.snapshot_date) as on_hand,
		array_agg(p.on_order_units::double precision order by p.warehouse, p.snapshot_date) as on_order
	from stox_stock_levels p
	where p.source = m.source
		and p.material_number = m.material_number
		and p.snapshot_date < $3::date
		and p.snapshot_date >= coalesce((
			select max(q.snapshot_date)
			from stox_stock_levels q
			where q.source = m.source
				and q.material_number = m.material_number
				and q.snapshot_date <= m.first_day
		), m.first_day)
) s on true
where m.idx between $1 and $2
order by m.idx
