-- title: Cohort retention
-- description: For each monthly cohort, the percent of its customers who ordered again 1, 2, 3, 6 and 12 months after their first month, computed from order lines. A month after the end of the data is blank, not 0%.
-- category: customer-behavior
-- param: since date = 1900-01-01 | First cohort month included
-- param: until date = 2999-12-31 | Last cohort month included
-- param: source text = null | Only this source (default: every source)
with active as (
	select distinct t.source, t.customer, date_trunc('month', t.posting_date)::date as month
	from transaction_data t
	where t.is_order and t.customer is not null and (:source is null or t.source = :source)
), data_end as (
	select date_trunc('month', max(t.posting_date))::date as month
	from transaction_data t
	where (:source is null or t.source = :source)
), firsts as (
	select source, customer, min(month) as cohort_month from active group by 1, 2
), offsets as (
	select f.cohort_month, f.source, f.customer,
		(extract(year from age(a.month, f.cohort_month)) * 12 + extract(month from age(a.month, f.cohort_month)))::int as k
	from firsts f join active a using (source, customer)
)
select to_char(o.cohort_month, 'YYYY-MM') as cohort, count(distinct (source, customer)) filter (where k = 0) as customers,
	case when o.cohort_month + interval '1 month' <= e.month then
		round(100.0 * count(distinct (source, customer)) filter (where k = 1) / count(distinct (source, customer)) filter (where k = 0), 1) end as month_1_pct,
	case when o.cohort_month + interval '2 months' <= e.month then
		round(100.0 * count(distinct (source, customer)) filter (where k = 2) / count(distinct (source, customer)) filter (where k = 0), 1) end as month_2_pct,
	case when o.cohort_month + interval '3 months' <= e.month then
		round(100.0 * count(distinct (source, customer)) filter (where k = 3) / count(distinct (source, customer)) filter (where k = 0), 1) end as month_3_pct,
	case when o.cohort_month + interval '6 months' <= e.month then
		round(100.0 * count(distinct (source, customer)) filter (where k = 6) / count(distinct (source, customer)) filter (where k = 0), 1) end as month_6_pct,
	case when o.cohort_month + interval '12 months' <= e.month then
		round(100.0 * count(distinct (source, customer)) filter (where k = 12) / count(distinct (source, customer)) filter (where k = 0), 1) end as month_12_pct
from offsets o cross join data_end e
where o.cohort_month between date_trunc('month', :since) and :until
group by o.cohort_month, e.month
order by o.cohort_month
