-- title: Lines and units per order by month
-- description: Average lines, units and value per order each month: basket depth for picking and capacity planning.
-- category: operational
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
with orders as (
	select t.source, t.order_number, min(t.year_month) as month, count(*) as lines,
		sum(t.inv_quantity_cases) as units, sum(t.net_sales) as value
	from transaction_data t
	where t.posting_date between :since and :until and (:source is null or t.source = :source)
		and t.is_order
	group by 1, 2
)
select month, count(*) as orders, round(avg(lines), 2) as avg_lines, round(avg(units), 1) as avg_units,
	round(avg(value), 2) as avg_value, max(lines) as max_lines
from orders
group by month
order by month
