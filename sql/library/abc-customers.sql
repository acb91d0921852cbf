-- title: ABC classification of customers
-- description: Customers ranked by net sales and classed A (first 80 % of cumulative revenue), B (next 15 %) or C (last 5 %), computed here from order lines.
-- category: segmentation
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
with per_customer as (
	select t.source, t.customer, sum(t.net_sales) as revenue
	from transaction_data t
	where t.posting_date between :since and :until and (:source is null or t.source = :source)
		and t.customer is not null
	group by 1, 2
	having sum(t.net_sales) > 0
), cumulative as (
	select *, sum(revenue) over (order by revenue desc, source, customer) / sum(revenue) over () as share
	from per_customer
), classed as (
	select *, case when share - revenue / sum(revenue) over () < 0.80 then 'A'
		when share - revenue / sum(revenue) over () < 0.95 then 'B' else 'C' end as abc_class
	from cumulative
)
select abc_class, count(*) as customers, round(sum(revenue), 2) as revenue,
	round(100 * sum(revenue) / sum(sum(revenue)) over (), 1) as revenue_share_pct,
	round(avg(revenue), 2) as avg_revenue
from classed
group by abc_class
order by abc_class
