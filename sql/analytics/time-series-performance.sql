-- analytics/time-series-performance: net sales, margin and active customers per month and RFM
-- segment (the customer's segment as of the analysis date), over customer lines only.
-- customer = distinct customers of the segment with an order that month; net_sales and
-- gross_margin sum all their lines of the month (cancellations included), so for each month the
-- segments add up to that month's revenue of customer lines. Aggregated per customer first, so
-- the distinct count is a plain count (hash aggregates, no sort of every line).
-- Per customer and month from the monthly rollup when it holds every line (no stale mark; src/
-- metrics/rollups.ts), else from the lines (in the run's snapshot). Either gives the same table
-- (test/integration/compute/demo-erp.test.ts).
with fresh as (
	select not exists (select from sales_rollup_dirty) as fresh
),
per_customer as (
	select m.posting_date as month, m.source collate "C" as source, m.customer collate "C" as customer,
		sum(m.net_sales) as net_sales, sum(m.margin) as margin, bool_or(m.is_order) as ordered
	from sales_monthly m
	where m.customer is not null and (select fresh from fresh)
	group by 1, 2, 3
	union all
	select l.month, l.source, l.customer, sum(l.net_sales) as net_sales, sum(l.margin) as margin,
		bool_or(l.is_order) as ordered
	from compute_lines l
	where l.customer is not null and not (select fresh from fresh)
	group by l.month, l.source, l.customer
)
insert into time_series_performance (year, month, year_month, rfm_segment, customer, net_sales, gross_margin)
select
	extract(year from p.month)::int,
	extract(month from p.month)::smallint,
	to_char(p.month, 'YYYY-MM'),
	c.rfm_segment,
	count(*) filter (where p.ordered)::int,
	sum(p.net_sales),
	sum(p.margin)
from per_customer p
join compute_customers c on c.source = p.source and c.customer = p.customer
group by p.month, c.rfm_segment
