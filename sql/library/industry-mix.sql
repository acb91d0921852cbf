-- title: Revenue by industry
-- description: Customers, revenue, margin percent and revenue per customer by the customers' industry.
-- category: segmentation
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
select coalesce(c.industry, '(unknown)') as industry,
	count(distinct (t.source, t.customer)) as customers,
	round(sum(t.net_sales), 2) as revenue,
	round(100 * sum(t.gross_margin) / nullif(sum(t.net_sales) filter (where t.gross_margin is not null), 0), 1) as margin_pct,
	round(sum(t.net_sales) / nullif(count(distinct (t.source, t.customer)), 0), 2) as revenue_per_customer
from transaction_data t
left join customer_master c on c.source = t.source and c.customer = t.customer
where t.posting_date between :since and :until and (:source is null or t.source = :source)
	and t.customer is not null
group by 1
order by revenue desc
