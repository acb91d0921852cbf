-- title: Quote cycle time
-- description: Days from quote to close for won and lost quotes, by month of the quote: median, average and 90th percentile.
-- category: pipeline
-- param: since date = 1900-01-01 | First quote date included
-- param: until date = 2999-12-31 | Last quote date included
-- param: source text = null | Only this source (default: every source)
select to_char(date_trunc('month', q.quote_date), 'YYYY-MM') as month, q.status, count(*) as quotes,
	percentile_cont(0.5) within group (order by q.close_date - q.quote_date) as median_days,
	round(avg(q.close_date - q.quote_date), 1) as avg_days,
	percentile_cont(0.9) within group (order by q.close_date - q.quote_date) as p90_days
from sales_quotes q
where q.status in ('won', 'lost') and q.close_date is not null
	and q.quote_date between :since and :until and (:source is null or q.source = :source)
group by 1, 2
order by 1, 2
