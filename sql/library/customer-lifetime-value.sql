-- title: Customer lifetime value by acquisition year
-- description: For customers acquired each year: how many, their average lifetime revenue and margin, orders, and months between first and last order.
-- category: customer-behavior
-- param: source text = null | Only this source (default: every source)
with per_customer as (
	select t.source, t.customer, min(t.posting_date) filter (where t.is_order) as first_order,
		max(t.posting_date) filter (where t.is_order) as last_order,
		sum(t.net_sales) as revenue, sum(t.gross_margin) as margin,
		count(distinct t.order_number) filter (where t.is_order) as orders
	from transaction_data t
	where t.customer is not null and (:source is null or t.source = :source)
	group by 1, 2
)
select extract(year from first_order)::int as acquired_year, count(*) as customers,
	round(avg(revenue), 2) as avg_lifetime_revenue,
	round(avg(margin), 2) as avg_lifetime_margin,
	round(avg(orders), 1) as avg_orders,
	round(avg((last_order - first_order) / 30.44), 1) as avg_active_months
from per_customer
where first_order is not null
group by 1
order by 1
