-- analytics/cohort-avg-revenue: per cohort, JSON {"1": avg0, "2": avg1, ...} where key k + 1 holds
-- the net sales of the cohort's customers in month k divided by the cohort size (all cohort
-- customers, active or not; 2 decimals), so the values add up to revenue per acquired customer.
insert into cohort_avg_revenue (cohort_month, revenue_data)
select a.cohort_month, jsonb_object_agg((a.k + 1)::text, round(a.revenue / a.size, 2))
from compute_cohort_activity a
group by a.cohort_month
