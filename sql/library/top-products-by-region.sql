-- title: Top products by region
-- description: The best-selling materials of each region by net sales, ranked within the region.
-- category: geographic
-- param: top int(1..100) = 5 | Products per region
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
with per_region as (
	select coalesce(t.region, '(no region)') as region, t.material_number, sum(t.net_sales) as revenue,
		count(distinct (t.source, t.customer)) as customers
	from transaction_data t
	where t.posting_date between :since and :until and (:source is null or t.source = :source)
		and t.material_number is not null
	group by 1, 2
), ranked as (
	select *, row_number() over (partition by region order by revenue desc, material_number) as rank from per_region
)
select region, rank, material_number, round(revenue, 2) as revenue, customers
from ranked
where rank <= :top
order by region, rank
