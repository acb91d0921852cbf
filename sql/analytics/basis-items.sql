-- analytics/basis-items: the order lines summed per (sales office, material, source, customer), in
-- a session temp table that the product and regional steps read, so the lines are grouped once
-- for the three of them instead of once each (at 10M demo lines each grouping took 6–31 s, spilling).
-- Kept: customer lines (the product × segment matrix) and lines with an office and a material
-- (the regional tables, lines without a customer included). Any of the four keys may be null.
--
-- When the items rollup holds every line of the run's snapshot (no stale mark; src/metrics/
-- rollups.ts), the rows are its rows; else the lines are grouped here. Either gives the same rows
-- (test/integration/compute/demo-erp.test.ts). At 10M demo lines the grouping took 27–33 s: it
-- sorts every line on the four text keys.
create temp table compute_items as
with fresh as (
	select not exists (select from sales_rollup_dirty) as fresh
),
grouped as (
	select
		l.sales_office_name,
		l.material_number,
		l.source,
		l.customer,
		sum(l.net_sales) as net_sales,
		sum(l.margin) as margin,
		coalesce(bool_or(l.is_order), false) as ordered
	from compute_lines l
	where (l.customer is not null or (l.sales_office_name is not null and l.material_number is not null))
		and not (select fresh from fresh)
	group by l.material_number, l.source, l.customer, l.sales_office_name
)
select
	i.sales_office_name collate "C" as sales_office_name,
	i.material_number collate "C" as material_number,
	i.source collate "C" as source,
	i.customer collate "C" as customer,
	i.net_sales,
	i.margin,
	i.order_lines > 0 as ordered,
	i.customer_ordered
from sales_items i
where (i.customer is not null or (i.sales_office_name is not null and i.material_number is not null))
	and (select fresh from fresh)
union all
select
	g.sales_office_name,
	g.material_number,
	g.source,
	g.customer,
	g.net_sales,
	g.margin,
	g.ordered,
	-- Whether the customer has an order line of the product in any office, on one row of each
	-- (material, source, customer), both set (its first office, nulls last, as in the rollup), and
	-- false on the others: counting the rows where it is true counts customers, without a distinct
	-- or a second grouping.
	g.customer is not null and g.material_number is not null
		and row_number() over (partition by g.material_number, g.source, g.customer order by g.sales_office_name) = 1
		and bool_or(g.ordered) over (partition by g.material_number, g.source, g.customer)
from grouped g
