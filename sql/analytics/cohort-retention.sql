-- analytics/cohort-retention: per cohort, JSON {"1": 100, "2": r1, ...} where key k + 1 holds the
-- percent (2 decimals) of the cohort's customers with an order in month k after the cohort month;
-- month 0 is 100 by definition (every customer's first order is in it).
insert into cohort_retention (cohort_month, retention_data)
select a.cohort_month, jsonb_object_agg((a.k + 1)::text, round(100.0 * a.active / a.size, 2))
from compute_cohort_activity a
group by a.cohort_month
