-- analytics/time-series-performance: net sales, margin and active customers per month and RFM
-- segment (the customer's segment as of the analysis date), over customer lines only.
-- customer = distinct customers of the segment with an order that month; net_sales and
-- gross_margin sum all their lines of the month (cancellations included), so for each month the
-- segments add up to that month's revenue of customer lines.
insert into time_series_performance (year, month, year_month, rfm_segment, customer, net_sales, gross_margin)
select
	extract(year from l.month)::int,
	extract(month from l.month)::smallint,
	to_char(l.month, 'YYYY-MM'),
	c.rfm_segment,
	count(distinct l.source || chr(31) || l.customer) filter (where l.is_order)::int,
	sum(l.net_sales),
	sum(l.margin)
from compute_lines l
join compute_customers c on c.source = l.source and c.customer = l.customer
group by l.month, c.rfm_segment
