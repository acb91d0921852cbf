-- title: Cancellations by month
-- description: Cancelled (credit) lines per month, their value, and the share of gross sales they took back.
-- category: revenue
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
select t.year_month as month,
	count(*) filter (where t.is_cancellation) as cancelled_lines,
	round(-sum(t.net_sales) filter (where t.is_cancellation), 2) as cancelled_value,
	round(100 * -coalesce(sum(t.net_sales) filter (where t.is_cancellation), 0)
		/ nullif(sum(t.net_sales) filter (where not t.is_cancellation), 0), 2) as cancelled_share_pct
from transaction_data t
where t.posting_date between :since and :until and (:source is null or t.source = :source)
group by t.year_month
order by t.year_month
