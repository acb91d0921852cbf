-- title: Open quote pipeline
-- description: Open quotes by age (days since the quote date, as of the last quote), with their count and value.
-- category: pipeline
-- param: source text = null | Only this source (default: every source)
with as_of as (
	select max(q.quote_date) as today from sales_quotes q where (:source is null or q.source = :source)
)
select case when a.today - q.quote_date <= 30 then '0-30 days' when a.today - q.quote_date <= 60 then '31-60 days'
		when a.today - q.quote_date <= 90 then '61-90 days' else 'over 90 days' end as age,
	min(a.today - q.quote_date) as youngest_days, count(*) as open_quotes, round(sum(q.amount), 2) as value
from sales_quotes q cross join as_of a
where q.status = 'open' and (:source is null or q.source = :source)
group by 1
order by min(a.today - q.quote_date)
