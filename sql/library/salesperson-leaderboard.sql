-- title: Salesperson leaderboard
-- description: Salespeople ranked by net sales, with margin percent, orders, customers and rank within their branch.
-- category: benchmarking
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: limit int(1..1000) = 50 | Salespeople to show
-- param: source text = null | Only this source (default: every source)
with per_rep as (
	select t.salesperson, mode() within group (order by t.branch) as branch,
		sum(t.net_sales) as revenue,
		100 * sum(t.gross_margin) / nullif(sum(t.net_sales) filter (where t.gross_margin is not null), 0) as margin_pct,
		count(distinct (t.source, t.order_number)) filter (where t.is_order) as orders,
		count(distinct (t.source, t.customer)) filter (where t.is_order) as customers
	from transaction_data t
	where t.posting_date between :since and :until and (:source is null or t.source = :source)
		and t.salesperson is not null
	group by t.salesperson
)
select rank() over (order by revenue desc) as rank, salesperson, branch, round(revenue, 2) as revenue,
	round(margin_pct, 1) as margin_pct, orders, customers,
	rank() over (partition by branch order by revenue desc) as rank_in_branch
from per_rep
order by revenue desc
limit :limit
