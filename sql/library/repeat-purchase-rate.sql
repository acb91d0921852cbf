-- title: Repeat purchase rate by month
-- description: Of the customers active each month, how many had ordered before (returning) and how many were new, with the returning share.
-- category: customer-behavior
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
with active as (
	select distinct t.source, t.customer, date_trunc('month', t.posting_date)::date as month
	from transaction_data t
	where t.is_order and t.customer is not null and (:source is null or t.source = :source)
), firsts as (
	select source, customer, min(month) as first_month from active group by 1, 2
)
select to_char(a.month, 'YYYY-MM') as month, count(*) as active_customers,
	count(*) filter (where a.month = f.first_month) as new_customers,
	count(*) filter (where a.month > f.first_month) as returning_customers,
	round(100.0 * count(*) filter (where a.month > f.first_month) / count(*), 1) as returning_pct
from active a join firsts f using (source, customer)
where a.month between date_trunc('month', :since) and :until
group by a.month
order by a.month
