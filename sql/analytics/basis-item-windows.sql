-- analytics/basis-item-windows: each (sales office, material)'s net sales in the clusters' two
-- growth windows, in a session temp table the clusters step reads. $1 analysis date, $2 the window
-- in months: `recent` is the net sales of the $2 months before the analysis date, `before` of the
-- $2 months before those. Only the lines of those 2 × $2 months are read (by posting date), and
-- only offices and materials with a line there have a row (the clusters step takes 0 for the rest).
create temp table compute_item_windows as
select
	l.sales_office_name,
	l.material_number,
	coalesce(sum(l.net_sales) filter (
		where l.posting_date >= ($1::date - make_interval(months => $2::int))::date
	), 0) as recent,
	coalesce(sum(l.net_sales) filter (
		where l.posting_date < ($1::date - make_interval(months => $2::int))::date
	), 0) as before
from compute_lines l
where l.posting_date >= ($1::date - make_interval(months => 2 * $2::int))::date
	and l.sales_office_name is not null and l.material_number is not null
group by l.sales_office_name, l.material_number
