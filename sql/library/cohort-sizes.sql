-- title: Cohort sizes
-- description: New customers per month of first order (not a cancellation), computed from order lines, with the cohort's first-month revenue.
-- category: customer-behavior
-- param: since date = 1900-01-01 | First cohort month included
-- param: until date = 2999-12-31 | Last cohort month included
-- param: source text = null | Only this source (default: every source)
with monthly as (
	select t.source, t.customer, date_trunc('month', t.posting_date)::date as month,
		sum(t.net_sales) as revenue, bool_or(t.is_order) as ordered
	from transaction_data t
	where t.customer is not null and (:source is null or t.source = :source)
	group by 1, 2, 3
), firsts as (
	select source, customer, min(month) as cohort_month from monthly where ordered group by 1, 2
)
select to_char(f.cohort_month, 'YYYY-MM') as cohort, count(*) as customers,
	round(sum(m.revenue), 2) as first_month_revenue
from firsts f
join monthly m on m.source = f.source and m.customer = f.customer and m.month = f.cohort_month
where f.cohort_month between date_trunc('month', :since) and :until
group by f.cohort_month
order by f.cohort_month
