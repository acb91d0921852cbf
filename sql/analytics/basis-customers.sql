-- analytics/basis-customers: one row per customer with order lines, with R/F/M, scores, segment
-- and ABC classes, kept in a session temp table that the customer steps read.
-- $1 analysis date, $2 the 125-cell score map as JSON [{r, f, m, segment}], $3 the cumulative share
-- that closes class A (0.80), $4 the share that closes class B (0.95), $5 the label of customers
-- with lines but no order.
--
-- Definitions chosen here (summarised in src/analytics/compute/definitions.ts):
-- - monetary = sum of net_sales of all the customer's lines (cancellations net against it);
--   frequency = distinct orders among is_order lines; recency = days from the last order to the
--   analysis date (1 = ordered on the last day of the data); profitability = sum of margin, known
--   only when every line of the customer has a margin; margin_percent = 100 * profitability /
--   monetary, only when monetary > 0.
-- - Quintile scores with ties sharing a score: score = 1 + floor(5 * (rank - 1) / n), where rank is
--   rank() (ties share the rank of the first of them) in the "worse to better" order (recency
--   descending, frequency and monetary ascending) among the n customers with an order. Two
--   customers with the same value always get the same score, at the price of uneven bands when
--   many values tie (all one-order customers get F 1, the next frequency starts where they end).
--   ntile(5) was rejected because it splits equal values across scores by customer id.
-- - Customers with lines but no order get no scores and the label $5 instead of a segment.
-- - ABC over all customers with lines: order by value descending (customer key breaks ties); the
--   share before a customer is the cumulative positive value of the customers ahead of it divided
--   by the total positive value. Share before < $3: A; < $4: B; else C. So the customer that
--   crosses 80 % is still A and the one crossing 95 % is still B. A value <= 0 is always C.
--   abc_profit is null when profitability is unknown. abc_combined is the worse of abc_revenue and
--   abc_profit (A only when both are A), or abc_revenue when profit is unknown.
create temp table compute_customers as
-- When the orders rollup holds every line of the run's snapshot (no stale mark; src/metrics/
-- rollups.ts), everything per customer comes from it: one row per order, so the orders are counted
-- without a distinct over the lines. Else from the lines. Either gives the same customers
-- (test/integration/compute/demo-erp.test.ts).
with fresh as (
	select not exists (select from sales_rollup_dirty) as fresh
),
from_orders as (
	select
		o.source collate "C" as source,
		o.customer collate "C" as customer,
		sum(o.net_sales) as monetary,
		case when sum(o.lines) = sum(o.margined_lines) then sum(o.margin) end as profitability,
		-- A row is one order of one customer, as a distinct (source, customer, order) of the lines.
		count(*) filter (where o.is_order)::int as frequency,
		min(o.first_order_date) as first_order_date,
		max(o.last_order_date) as last_order_date
	from sales_orders o
	where o.customer is not null and (select fresh from fresh)
	group by 1, 2
),
-- From the lines: sums per customer straight from them, and the distinct orders apart: one hash
-- of a few thousand customers' numeric sums and one of order keys alone, rather than numeric sums
-- for every order (1.7 s against about 1 s at 1M lines, spilling).
sums as (
	select
		l.source,
		l.customer,
		sum(l.net_sales) as monetary,
		case when count(*) = count(l.margin) then sum(l.margin) end as profitability,
		min(l.posting_date) filter (where l.is_order) as first_order_date,
		max(l.posting_date) filter (where l.is_order) as last_order_date
	from compute_lines l
	where l.customer is not null and not (select fresh from fresh)
	group by l.source, l.customer
),
-- An order counts when at least one of its lines makes an order.
orders as (
	select o.source, o.customer, count(*)::int as frequency
	from (
		select distinct l.source, l.customer, l.order_number
		from compute_lines l
		where l.customer is not null and l.is_order and not (select fresh from fresh)
	) o
	group by o.source, o.customer
),
per_customer as (
	select * from from_orders
	union all
	select
		s.source,
		s.customer,
		s.monetary,
		s.profitability,
		coalesce(o.frequency, 0) as frequency,
		s.first_order_date,
		s.last_order_date
	from sums s
	left join orders o on o.source = s.source and o.customer = s.customer
),
scored as (
	select
		c.*,
		($1::date - c.last_order_date) as recency,
		(1 + 5 * (rank() over (order by $1::date - c.last_order_date desc) - 1) / count(*) over ())::smallint as r_score,
		(1 + 5 * (rank() over (order by c.frequency) - 1) / count(*) over ())::smallint as f_score,
		(1 + 5 * (rank() over (order by c.monetary) - 1) / count(*) over ())::smallint as m_score
	from per_customer c
	where c.frequency > 0
),
unscored as (
	select c.*, null::int as recency, null::smallint as r_score, null::smallint as f_score, null::smallint as m_score
	from per_customer c
	where c.frequency = 0
),
segmented as (
	select s.*, m.segment as rfm_segment
	from scored s
	join jsonb_to_recordset($2::jsonb) as m(r smallint, f smallint, m smallint, segment text)
		on m.r = s.r_score and m.f = s.f_score and m.m = s.m_score
	union all
	select u.*, $5::text as rfm_segment
	from unscored u
),
shares as (
	select
		s.*,
		coalesce(sum(greatest(s.monetary, 0)) over (
			order by s.monetary desc, s.source, s.customer rows between unbounded preceding and 1 preceding
		), 0) / nullif(sum(greatest(s.monetary, 0)) over (), 0) as revenue_share_before,
		coalesce(sum(greatest(s.profitability, 0)) over (
			order by s.profitability desc nulls last, s.source, s.customer rows between unbounded preceding and 1 preceding
		), 0) / nullif(sum(greatest(s.profitability, 0)) over (), 0) as profit_share_before
	from segmented s
),
classed as (
	select
		s.*,
		case
			when s.monetary <= 0 or s.revenue_share_before is null then 'C'
			when s.revenue_share_before < $3::numeric then 'A'
			when s.revenue_share_before < $4::numeric then 'B'
			else 'C'
		end as abc_revenue,
		case
			when s.profitability is null then null
			when s.profitability <= 0 or s.profit_share_before is null then 'C'
			when s.profit_share_before < $3::numeric then 'A'
			when s.profit_share_before < $4::numeric then 'B'
			else 'C'
		end as abc_profit
	from shares s
)
select
	c.source,
	c.customer,
	c.monetary,
	c.frequency,
	c.recency,
	c.first_order_date,
	c.last_order_date,
	date_trunc('month', c.first_order_date)::date as cohort_month,
	c.r_score,
	c.f_score,
	c.m_score,
	c.r_score::text || c.f_score::text || c.m_score::text as rfm_score,
	c.rfm_segment collate "C" as rfm_segment,
	c.profitability,
	case when c.monetary > 0 then round(100 * c.profitability / c.monetary, 2) end as margin_percent,
	c.abc_revenue,
	c.abc_profit,
	greatest(c.abc_revenue, c.abc_profit) as abc_combined
from classed c
