-- analytics/basis-products: the order lines the product and regional steps read, summed once per
-- run to one row per (source, customer, material, sales office) in a session temp table; built in
-- the same repeatable-read "prepare" transaction as basis-orders, so both see the same lines.
-- Lines without a customer, material or office get rows too (null in that column): each step
-- keeps the rows it needs. Margin as in basis-orders (sum of the lines whose margin is known).
-- $1 analysis date, $2 growth window in months: `recent` sums the net sales of the last $2 months
-- before the analysis date, `before` of the $2 months before those (regional-product-clusters).
create temp table compute_products as
select
	t.source collate "C" as source,
	t.customer collate "C" as customer,
	t.material_number collate "C" as material_number,
	t.sales_office_name collate "C" as sales_office_name,
	sum(t.net_sales) as net_sales,
	sum(coalesce(t.gross_margin, t.net_sales - t.total_cogs)) as margin,
	bool_or(t.is_order) as ordered,
	coalesce(sum(t.net_sales) filter (
		where t.posting_date >= ($1::date - make_interval(months => $2::int))::date
	), 0) as recent,
	coalesce(sum(t.net_sales) filter (
		where t.posting_date >= ($1::date - make_interval(months => 2 * $2::int))::date
			and t.posting_date < ($1::date - make_interval(months => $2::int))::date
	), 0) as before
from transaction_data t
where t.material_number is not null
group by 1, 2, 3, 4
