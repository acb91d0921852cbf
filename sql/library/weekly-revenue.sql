-- title: Weekly revenue
-- description: Net sales, orders and active customers for the last weeks of data (weeks start on Monday).
-- category: forecasting
-- param: weeks int(1..520) = 26 | How many weeks back from the last posting date
-- param: source text = null | Only this source (default: every source)
with as_of as (
	select max(t.posting_date) as today from transaction_data t where (:source is null or t.source = :source)
)
select date_trunc('week', t.posting_date)::date as week_start, round(sum(t.net_sales), 2) as revenue,
	count(distinct (t.source, t.order_number)) filter (where t.is_order) as orders,
	count(distinct (t.source, t.customer)) filter (where t.is_order and t.customer is not null) as active_customers
from transaction_data t cross join as_of a
where t.posting_date > a.today - 7 * :weeks and (:source is null or t.source = :source)
group by 1
order by 1
