-- title: ABC classification of customers
-- description: Customers ranked by net sales and classed A (first 80 % of cumulative revenue), B (next 15 %) or C (last 5 %), computed here from order lines. The same rule as compute: shares of positive net sales, ties broken by customer, and a customer with net sales of zero or less is C.
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
), shares as (
	select *,
		coalesce(sum(greatest(revenue, 0)) over (
			order by revenue desc, source collate "C", customer collate "C" rows between unbounded preceding and 1 preceding
		), 0) / nullif(sum(greatest(revenue, 0)) over (), 0) as share_before
	from per_customer
), classed as (
	select *, case when revenue <= 0 or share_before is null then 'C'
		when share_before < 0.80 then 'A'
		when share_before < 0.95 then 'B' else 'C' end as abc_class
	from shares
)
select abc_class, count(*) as customers, round(sum(revenue), 2) as revenue,
	round(100 * sum(revenue) / sum(sum(revenue)) over (), 1) as revenue_share_pct,
	round(avg(revenue), 2) as avg_revenue
from classed
group by abc_class
order by abc_class
