-- title: Margin by product category
-- description: Revenue, cost, gross margin and margin percent per product category, over the lines that carry a cost.
-- category: profitability
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
select coalesce(m.category, '(no category)') as category,
	round(sum(t.net_sales) filter (where t.total_cogs is not null), 2) as costed_revenue,
	round(sum(t.total_cogs), 2) as cogs, round(sum(t.gross_margin), 2) as gross_margin,
	round(100 * sum(t.gross_margin) / nullif(sum(t.net_sales) filter (where t.gross_margin is not null), 0), 1) as margin_pct,
	count(*) filter (where t.total_cogs is null) as lines_without_cost
from transaction_data t
left join stox_material_master m on m.source = t.source and m.material_number = t.material_number
where t.posting_date between :since and :until and (:source is null or t.source = :source)
group by 1
order by gross_margin desc nulls last
