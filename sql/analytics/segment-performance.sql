-- analytics/segment-performance: one row per segment of each segmentation (RFM_Segment,
-- ABC_Revenue, ABC_Profit, ABC_Combined) over the customers with order lines. The 11 RFM segments
-- ($1) and classes A, B, C always get a row (count 0 when empty) so charts keep their shape; the
-- "No Orders" label gets one only when such customers exist; ABC_Profit rows only when some
-- customer's profit is known. No rows at all when there are no customers.
-- revenue_percentage = share of the revenue of all customer lines, so the RFM_Segment rows add up
-- to 100; profit_percentage likewise over known profit; margin_percent_mean = mean of the
-- customers' margin_percent (customers with monetary <= 0 have none).
with labelled as (
	select 'RFM_Segment' as segment_type, c.rfm_segment as segment_name, c.* from compute_customers c
	union all
	select 'ABC_Revenue', c.abc_revenue, c.* from compute_customers c
	union all
	select 'ABC_Profit', c.abc_profit, c.* from compute_customers c where c.abc_profit is not null
	union all
	select 'ABC_Combined', c.abc_combined, c.* from compute_customers c
),
expected as (
	select 'RFM_Segment' as segment_type, s as segment_name from unnest($1::text[]) as s
	union all
	select t, k from unnest(array['ABC_Revenue', 'ABC_Combined']) as t, unnest(array['A', 'B', 'C']) as k
	union all
	select 'ABC_Profit', k from unnest(array['A', 'B', 'C']) as k
	where exists (select 1 from compute_customers where abc_profit is not null)
),
segments as (
	select e.segment_type, e.segment_name from expected e where exists (select 1 from compute_customers)
	union
	select distinct l.segment_type, l.segment_name from labelled l
),
totals as (
	select sum(monetary) as revenue, sum(profitability) as profit from compute_customers
)
insert into segment_performance (
	segment_type, segment_name, customer_count, monetary_sum, monetary_mean, frequency_mean,
	revenue_percentage, profit_percentage, margin_percent_mean
)
select
	s.segment_type,
	s.segment_name,
	count(l.customer)::int,
	coalesce(sum(l.monetary), 0),
	round(avg(l.monetary), 2),
	round(avg(l.frequency), 4),
	round(100 * coalesce(sum(l.monetary), 0) / nullif(t.revenue, 0), 4),
	round(100 * sum(l.profitability) / nullif(t.profit, 0), 4),
	round(avg(l.margin_percent), 4)
from segments s
cross join totals t
left join labelled l on l.segment_type = s.segment_type and l.segment_name = s.segment_name
group by s.segment_type, s.segment_name, t.revenue, t.profit
