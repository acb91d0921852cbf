-- title: Cohort retention (computed)
-- description: The compute step's cohort tables: size and retention percent by month since acquisition for each cohort. Empty until erp-pulse compute has run.
-- category: customer-behavior
-- param: since date = 1900-01-01 | First cohort month included
select to_char(r.cohort_month, 'YYYY-MM') as cohort, s.customer_count as customers,
	r.retention_data ->> '2' as month_1_pct, r.retention_data ->> '4' as month_3_pct,
	r.retention_data ->> '7' as month_6_pct, r.retention_data ->> '13' as month_12_pct,
	a.revenue_data ->> '1' as avg_revenue_month_0
from cohort_retention r
left join cohort_sizes s using (cohort_month)
left join cohort_avg_revenue a using (cohort_month)
where r.cohort_month >= :since
order by r.cohort_month
