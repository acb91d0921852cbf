-- title: Revenue by region
-- description: Net sales, share, customers, margin percent and revenue per customer per region.
-- category: geographic
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
select coalesce(t.region, '(no region)') as region, round(sum(t.net_sales), 2) as revenue,
	round(100 * sum(t.net_sales) / nullif(sum(sum(t.net_sales)) over (), 0), 1) as revenue_share_pct,
	count(distinct (t.source, t.customer)) as customers,
	round(100 * sum(t.gross_margin) / nullif(sum(t.net_sales) filter (where t.gross_margin is not null), 0), 1) as margin_pct,
	round(sum(t.net_sales) / nullif(count(distinct (t.source, t.customer)), 0), 2) as revenue_per_customer
from transaction_data t
where t.posting_date between :since and :until and (:source is null or t.source = :source)
group by 1
order by revenue desc
