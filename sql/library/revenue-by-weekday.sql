-- title: Revenue by weekday
-- description: Net sales, orders and average order value by day of the week (Monday first).
-- category: revenue
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
select extract(isodow from t.posting_date)::int as weekday_number, to_char(t.posting_date, 'FMDay') as weekday,
	round(sum(t.net_sales), 2) as revenue,
	count(distinct (t.source, t.order_number)) filter (where t.is_order) as orders,
	round(sum(t.net_sales) / nullif(count(distinct (t.source, t.order_number)) filter (where t.is_order), 0), 2) as average_order_value
from transaction_data t
where t.posting_date between :since and :until and (:source is null or t.source = :source)
group by 1, 2
order by 1
