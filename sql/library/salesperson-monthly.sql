-- title: Salesperson revenue by month
-- description: Monthly net sales and orders per salesperson, or for one salesperson.
-- category: benchmarking
-- param: salesperson text = null | Only this salesperson (default: every salesperson)
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
select t.salesperson, t.year_month as month, round(sum(t.net_sales), 2) as revenue,
	count(distinct (t.source, t.order_number)) filter (where t.is_order) as orders
from transaction_data t
where t.posting_date between :since and :until and (:source is null or t.source = :source)
	and t.salesperson is not null and (:salesperson is null or t.salesperson = :salesperson)
group by 1, 2
order by 1, 2
