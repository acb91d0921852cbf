-- title: Top products
-- description: The best-selling materials by net sales, with units, customers and margin percent.
-- category: revenue
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: limit int(1..1000) = 20 | Products to show
-- param: source text = null | Only this source (default: every source)
select t.material_number, max(m.material_description) as description, max(m.category) as category,
	round(sum(t.net_sales), 2) as revenue,
	round(sum(t.inv_quantity_cases), 1) as units,
	count(distinct (t.source, t.customer)) as customers,
	round(100 * sum(t.gross_margin) / nullif(sum(t.net_sales) filter (where t.gross_margin is not null), 0), 1) as margin_pct
from transaction_data t
left join stox_material_master m on m.source = t.source and m.material_number = t.material_number
where t.posting_date between :since and :until and (:source is null or t.source = :source)
	and t.material_number is not null
group by t.material_number
order by revenue desc
limit :limit
