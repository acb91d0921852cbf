-- title: Branch growth against the previous period
-- description: Each branch's net sales in the chosen range against the range of the same length just before it.
-- category: benchmarking
-- param: since date = 2000-01-01 | First day of the range
-- param: until date = 2999-12-31 | Last day of the range (capped at the last posting date)
-- param: source text = null | Only this source (default: every source)
with bounds as (
	select :since as lo, least(:until, (select max(posting_date) from transaction_data t
		where (:source is null or t.source = :source))) as hi
), ranges as (
	select lo, hi, lo - (hi - lo + 1) as prev_lo, lo - 1 as prev_hi from bounds
)
select coalesce(t.branch, '(no branch)') as branch,
	round(sum(t.net_sales) filter (where t.posting_date between r.lo and r.hi), 2) as revenue,
	round(sum(t.net_sales) filter (where t.posting_date between r.prev_lo and r.prev_hi), 2) as revenue_previous,
	round(100 * (sum(t.net_sales) filter (where t.posting_date between r.lo and r.hi)
		- sum(t.net_sales) filter (where t.posting_date between r.prev_lo and r.prev_hi))
		/ nullif(abs(sum(t.net_sales) filter (where t.posting_date between r.prev_lo and r.prev_hi)), 0), 1) as growth_pct
from transaction_data t cross join ranges r
where t.posting_date between r.prev_lo and r.hi and (:source is null or t.source = :source)
group by 1
order by revenue desc nulls last
