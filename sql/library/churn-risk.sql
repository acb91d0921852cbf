-- title: Customers at risk of churning
-- description: Customers with at least three order days whose days since their last order exceed a multiple of their own median gap between orders, most overdue first.
-- category: customer-behavior
-- param: overdue_factor number = 2 | How many median gaps without an order count as at risk
-- param: max_days int(1..3650) = 365 | Customers silent longer than this have churned already and are left out
-- param: limit int(1..1000) = 50 | Customers to show
-- param: source text = null | Only this source (default: every source)
with order_days as (
	select distinct t.source, t.customer, t.posting_date as d
	from transaction_data t
	where t.is_order and t.customer is not null and (:source is null or t.source = :source)
), gaps as (
	select source, customer, d, d - lag(d) over (partition by source, customer order by d) as gap
	from order_days
), as_of as (
	select max(d) as today from order_days
), per_customer as (
	select source, customer, count(*) as order_days, max(d) as last_order,
		percentile_cont(0.5) within group (order by gap) as median_gap
	from gaps group by 1, 2
)
select p.customer, c.customer_name, c.region, p.order_days, p.last_order,
	a.today - p.last_order as days_since_last_order, round(p.median_gap::numeric, 1) as median_gap_days,
	round(((a.today - p.last_order) / nullif(p.median_gap, 0))::numeric, 1) as gaps_overdue
from per_customer p cross join as_of a
left join customer_master c on c.source = p.source and c.customer = p.customer
where p.order_days >= 3 and p.median_gap > 0 and (a.today - p.last_order) > :overdue_factor * p.median_gap
	and a.today - p.last_order <= :max_days
order by gaps_overdue desc
limit :limit
