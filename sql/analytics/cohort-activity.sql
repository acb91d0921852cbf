-- analytics/cohort-activity: per cohort and month offset k (0 = the cohort month) up to the month
-- of the last data day, the cohort's size, its customers with an order in month k, and the net
-- sales of all their lines in month k. Every offset gets a row (zeros when nobody ordered), so
-- the retention and revenue curves have no gaps. Lines before a customer's first order (a
-- cancellation or a zero-price line) have a negative offset and are left out.
-- $1 analysis date. Read by cohort-retention and cohort-avg-revenue.
create temp table compute_cohort_activity as
with sizes as (
	select cohort_month, count(*) as size from compute_customers where cohort_month is not null group by cohort_month
),
offsets as (
	select s.cohort_month, s.size, k
	from sizes s,
		generate_series(0, (
			(extract(year from $1::date - 1) - extract(year from s.cohort_month)) * 12
			+ extract(month from $1::date - 1) - extract(month from s.cohort_month)
		)::int) as k
),
-- Per customer and month, from the monthly rollup when it holds every line of the run's snapshot
-- (no stale mark; src/metrics/rollups.ts): tens of thousands of rows instead of every order line.
-- Else from the lines. Either gives the same sums (test/integration/compute/demo-erp.test.ts).
fresh as (
	select not exists (select from sales_rollup_dirty) as fresh
),
per_customer as (
	select m.source collate "C" as source, m.customer collate "C" as customer, m.posting_date as month,
		sum(m.net_sales) as revenue, bool_or(m.is_order) as ordered
	from sales_monthly m
	where m.customer is not null and (select fresh from fresh)
	group by 1, 2, 3
	union all
	select l.source, l.customer, l.month, sum(l.net_sales) as revenue, bool_or(l.is_order) as ordered
	from compute_lines l
	where l.customer is not null and not (select fresh from fresh)
	group by l.source, l.customer, l.month
),
activity as (
	select
		c.cohort_month,
		((extract(year from p.month) - extract(year from c.cohort_month)) * 12
			+ extract(month from p.month) - extract(month from c.cohort_month))::int as k,
		count(*) filter (where p.ordered) as active,
		sum(p.revenue) as revenue
	from per_customer p
	join compute_customers c on c.source = p.source and c.customer = p.customer
	where c.cohort_month is not null and p.month >= c.cohort_month
	group by 1, 2
)
select o.cohort_month, o.k, o.size, coalesce(a.active, 0) as active, coalesce(a.revenue, 0) as revenue
from offsets o
left join activity a on a.cohort_month = o.cohort_month and a.k = o.k
