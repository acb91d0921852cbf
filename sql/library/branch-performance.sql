-- title: Branch performance
-- description: Revenue, margin, orders, customers and average order value per branch, with each branch's share of revenue.
-- category: benchmarking
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
select coalesce(t.branch, '(no branch)') as branch,
	round(sum(t.net_sales), 2) as revenue,
	round(100 * sum(t.net_sales) / nullif(sum(sum(t.net_sales)) over (), 0), 1) as revenue_share_pct,
	round(100 * sum(t.gross_margin) / nullif(sum(t.net_sales) filter (where t.gross_margin is not null), 0), 1) as margin_pct,
	count(distinct (t.source, t.order_number)) filter (where t.is_order) as orders,
	count(distinct (t.source, t.customer)) filter (where t.is_order) as customers,
	round(sum(t.net_sales) / nullif(count(distinct (t.source, t.order_number)) filter (where t.is_order), 0), 2) as average_order_value
from transaction_data t
where t.posting_date between :since and :until and (:source is null or t.source = :source)
group by 1
order by revenue desc
