-- title: Purchase frequency distribution
-- description: Customers bucketed by how many orders they placed in the range, with the revenue of each bucket.
-- category: customer-behavior
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
with per_customer as (
	select t.source, t.customer, count(distinct t.order_number) filter (where t.is_order) as orders,
		sum(t.net_sales) as revenue
	from transaction_data t
	where t.posting_date between :since and :until and (:source is null or t.source = :source)
		and t.customer is not null
	group by 1, 2
)
select case when orders <= 1 then '1' when orders <= 3 then '2-3' when orders <= 6 then '4-6'
		when orders <= 12 then '7-12' when orders <= 24 then '13-24' else '25+' end as orders_bucket,
	min(orders) as min_orders, count(*) as customers, round(sum(revenue), 2) as revenue,
	round(100.0 * count(*) / sum(count(*)) over (), 1) as customer_share_pct
from per_customer
group by 1
order by min(orders)
