-- title: Revenue year over year
-- description: Each month's net sales against the same month a year earlier, with the growth in percent.
-- category: revenue
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
with monthly as (
	select date_trunc('month', t.posting_date)::date as month, sum(t.net_sales) as revenue
	from transaction_data t
	where (:source is null or t.source = :source)
	group by 1
)
select to_char(m.month, 'YYYY-MM') as month, round(m.revenue, 2) as revenue,
	round(p.revenue, 2) as revenue_last_year,
	round(100 * (m.revenue - p.revenue) / nullif(abs(p.revenue), 0), 1) as growth_pct
from monthly m
left join monthly p on p.month = (m.month - interval '1 year')::date
where m.month between date_trunc('month', :since) and :until
order by m.month
