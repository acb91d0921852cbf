-- title: Price realisation
-- description: Per category, the average net unit price achieved against the material's list price: how much discount is given.
-- category: profitability
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
select coalesce(m.category, '(no category)') as category, count(*) as lines,
	round(sum(t.net_sales), 2) as revenue,
	round(sum(t.inv_quantity_cases * m.unit_price), 2) as at_list_price,
	round(100 * sum(t.net_sales) / nullif(sum(t.inv_quantity_cases * m.unit_price), 0), 1) as realised_pct_of_list
from transaction_data t
join stox_material_master m on m.source = t.source and m.material_number = t.material_number
where t.posting_date between :since and :until and (:source is null or t.source = :source)
	and not t.is_cancellation and m.unit_price > 0
group by 1
order by revenue desc
