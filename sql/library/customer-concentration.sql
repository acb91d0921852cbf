-- title: Customer concentration
-- description: How much of net sales comes from the top 1, 5, 10, 20 and 50 percent of customers (Pareto).
-- category: revenue
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
with per_customer as (
	select t.source, t.customer, sum(t.net_sales) as revenue
	from transaction_data t
	where t.posting_date between :since and :until and (:source is null or t.source = :source)
		and t.customer is not null
	group by 1, 2
), ranked as (
	select revenue, row_number() over (order by revenue desc) as rank, count(*) over () as customers,
		sum(revenue) over () as total
	from per_customer
)
select top_pct, max(customers) as customers, ceil(max(customers) * top_pct / 100.0)::int as top_customers,
	round(100 * sum(revenue) filter (where rank <= ceil(customers * top_pct / 100.0)) / nullif(max(total), 0), 1) as revenue_share_pct
from ranked cross join (values (1), (5), (10), (20), (50)) as p(top_pct)
group by top_pct
order by top_pct
