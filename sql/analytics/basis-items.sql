-- analytics/basis-items: the order lines summed per (sales office, material, source, customer), in
-- a session temp table that the product and regional steps read, so the lines are grouped once
-- for the three of them instead of once each (at 10M demo lines each grouping took 6–31 s, spilling).
-- Kept: customer lines (the product × segment matrix) and lines with an office and a material
-- (the regional tables, lines without a customer included). Any of the four keys may be null.
-- $1 analysis date, $2 the growth window in months: `recent` is the net sales of the $2 months
-- before the analysis date, `before` of the $2 months before those (the clusters' growth band).
create temp table compute_items as
select
	g.*,
	-- Whether the customer has an order line of the product in any office, on one row of each
	-- (material, source, customer) and false on the others: counting the rows where it is true
	-- counts customers, without a distinct or a second grouping.
	coalesce(row_number() over w = 1 and bool_or(g.ordered) over w, false) as customer_ordered
from (
	select
		l.sales_office_name,
		l.material_number,
		l.source,
		l.customer,
		sum(l.net_sales) as net_sales,
		sum(l.margin) as margin,
		bool_or(l.is_order) as ordered,
		coalesce(sum(l.net_sales) filter (
			where l.posting_date >= ($1::date - make_interval(months => $2::int))::date
		), 0) as recent,
		coalesce(sum(l.net_sales) filter (
			where l.posting_date >= ($1::date - make_interval(months => 2 * $2::int))::date
				and l.posting_date < ($1::date - make_interval(months => $2::int))::date
		), 0) as before
	from compute_lines l
	where l.customer is not null or (l.sales_office_name is not null and l.material_number is not null)
	-- In this order, so that sorted groups come out already partitioned for the window.
	group by l.material_number, l.source, l.customer, l.sales_office_name
) g
window w as (partition by g.material_number, g.source, g.customer)
