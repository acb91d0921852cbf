-- title: Least profitable customers
-- description: Customers with at least a minimum revenue, ordered by margin percent (lowest first), to find accounts sold below cost or at thin margins.
-- category: profitability
-- param: min_revenue number = 1000 | Only customers with at least this revenue
-- param: limit int(1..1000) = 50 | Customers to show
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
select t.customer, max(c.customer_name) as name, round(sum(t.net_sales), 2) as revenue,
	round(sum(t.gross_margin), 2) as gross_margin,
	round(100 * sum(t.gross_margin) / nullif(sum(t.net_sales) filter (where t.gross_margin is not null), 0), 1) as margin_pct
from transaction_data t
left join customer_master c on c.source = t.source and c.customer = t.customer
where t.posting_date between :since and :until and (:source is null or t.source = :source)
	and t.customer is not null and t.gross_margin is not null
group by t.source, t.customer
having sum(t.net_sales) >= :min_revenue
order by margin_pct, revenue desc
limit :limit
