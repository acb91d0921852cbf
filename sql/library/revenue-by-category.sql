-- title: Revenue by product category
-- description: Net sales, units, margin and share of revenue per product category.
-- category: revenue
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
select coalesce(m.category, '(no category)') as category,
	round(sum(t.net_sales), 2) as revenue,
	round(sum(t.inv_quantity_cases), 1) as units,
	round(sum(t.gross_margin), 2) as gross_margin,
	round(100 * sum(t.net_sales) / nullif(sum(sum(t.net_sales)) over (), 0), 1) as revenue_share_pct
from transaction_data t
left join stox_material_master m on m.source = t.source and m.material_number = t.material_number
where t.posting_date between :since and :until and (:source is null or t.source = :source)
group by 1
order by revenue desc
