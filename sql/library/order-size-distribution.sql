-- title: Order size distribution
-- description: Orders bucketed by value, with the count, the revenue and the share of each bucket.
-- category: operational
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
with orders as (
	select t.source, t.order_number, sum(t.net_sales) as value
	from transaction_data t
	where t.posting_date between :since and :until and (:source is null or t.source = :source)
		and t.is_order
	group by 1, 2
)
select case when value < 100 then 'under 100' when value < 500 then '100-499' when value < 1000 then '500-999'
		when value < 5000 then '1,000-4,999' when value < 20000 then '5,000-19,999' else '20,000+' end as order_value,
	min(value) as smallest, count(*) as orders, round(sum(value), 2) as revenue,
	round(100.0 * count(*) / sum(count(*)) over (), 1) as order_share_pct
from orders
group by 1
order by min(value)
