-- title: Margin trend
-- description: Monthly revenue, COGS, gross margin and margin percent, with the change in margin points against the month before.
-- category: profitability
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
with monthly as (
	select t.year_month as month, sum(t.net_sales) as revenue, sum(t.total_cogs) as cogs, sum(t.gross_margin) as margin,
		100 * sum(t.gross_margin) / nullif(sum(t.net_sales) filter (where t.gross_margin is not null), 0) as margin_pct
	from transaction_data t
	where t.posting_date between :since and :until and (:source is null or t.source = :source)
	group by 1
)
select month, round(revenue, 2) as revenue, round(cogs, 2) as cogs, round(margin, 2) as gross_margin,
	round(margin_pct, 2) as margin_pct, round(margin_pct - lag(margin_pct) over (order by month), 2) as change_pts
from monthly
order by month
