-- title: Revenue by month
-- description: Net sales (cancellations subtracted), orders, active customers and average order value per month.
-- category: revenue
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
select t.year_month as month,
	round(sum(t.net_sales), 2) as revenue,
	count(distinct (t.source, t.order_number)) filter (where t.is_order) as orders,
	count(distinct (t.source, t.customer)) filter (where t.is_order and t.customer is not null) as active_customers,
	round(sum(t.net_sales) / nullif(count(distinct (t.source, t.order_number)) filter (where t.is_order), 0), 2) as average_order_value
from transaction_data t
where t.posting_date between :since and :until and (:source is null or t.source = :source)
group by t.year_month
order by t.year_month
