-- analytics/cohort-sizes: customers per acquisition cohort. A customer's cohort is the month of
-- their first order (first is_order line), so the sizes add up to the customers with an order.
insert into cohort_sizes (cohort_month, customer_count)
select c.cohort_month, count(*)::int
from compute_customers c
where c.cohort_month is not null
group by c.cohort_month
