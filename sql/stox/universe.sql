-- stox/universe: every material to analyse and its ABC class by revenue.
-- $1 window start (first day of the demand window), $2 analysis date (exclusive end).
--
-- Materials: the master (launched before the analysis date), plus any material with order
-- lines in the window or stock snapshots before the analysis date that has no master row.
-- Revenue: Σ net_sales of the non-cancellation lines in the window (the same lines that count
-- as demand), across warehouses. ABC over all sources together, materials with revenue > 0
-- ranked by revenue (ties by source, material number): a material is A while the revenue of
-- the materials ranked above it is below 80 % of the total, B below 95 %, else C — so the
-- material that crosses a boundary belongs to the upper class. No revenue: no class.
-- first_day: the window start, or the launch date when the material launched inside the window.
-- The stocked materials are found by walking the primary key one material at a time (a loose
-- index scan), not by reading every snapshot: years of daily snapshots are tens of millions of rows.
insert into stox_run_materials (
	idx, source, material_number, first_day, has_master, unit_cost, lead_time_days,
	lead_time_std_days, storage_cost_pct, ordering_cost, revenue, abc_class
)
with recursive walk as (
	(
		select source, material_number
		from stox_stock_levels
		order by source, material_number
		limit 1
	)
	union all
	select n.source, n.material_number
	from walk w
	cross join lateral (
		select s.source, s.material_number
		from stox_stock_levels s
		where (s.source, s.material_number) > (w.source, w.material_number)
		order by s.source, s.material_number
		limit 1
	) n
),
sold as (
	select source, material_number, sum(net_sales) as revenue
	from transaction_data
	where material_number is not null
		and not is_cancellation
		and posting_date >= $1::date
		and posting_date < $2::date
	group by source, material_number
),
stocked as (
	select w.source, w.material_number
	from walk w
	where exists (
		select 1
		from stox_stock_levels s
		where s.source = w.source
			and s.material_number = w.material_number
			and s.snapshot_date < $2::date
	)
),
materials as (
	select source, material_number
	from stox_material_master
	where launch_date is null or launch_date < $2::date
	union
	select source, material_number from sold
	union
	select source, material_number from stocked
),
ranked as (
	select
		m.source,
		m.material_number,
		s.revenue,
		coalesce(sum(s.revenue) filter (where s.revenue > 0) over (
			order by s.revenue desc nulls last, m.source, m.material_number
			rows between unbounded preceding and 1 preceding
		), 0) as revenue_before,
		sum(s.revenue) filter (where s.revenue > 0) over () as revenue_total
	from materials m
	left join sold s using (source, material_number)
)
select
	(row_number() over (order by r.source, r.material_number))::integer,
	r.source,
	r.material_number,
	least(greatest($1::date, mm.launch_date), $2::date - 1),
	mm.material_number is not null,
	mm.unit_cost::double precision,
	mm.lead_time_days::double precision,
	mm.lead_time_std_days::double precision,
	mm.storage_cost_pct::double precision,
	mm.ordering_cost::double precision,
	r.revenue,
	case
		when r.revenue > 0 and r.revenue_before < 0.80 * r.revenue_total then 'A'
		when r.revenue > 0 and r.revenue_before < 0.95 * r.revenue_total then 'B'
		when r.revenue > 0 then 'C'
	end
from ranked r
left join stox_material_master mm using (source, material_number)
