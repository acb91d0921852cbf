-- title: Slow movers
-- description: Items with stock on hand (latest snapshot) but no sale in the last N days, by value tied up.
-- category: inventory
-- param: days int(1..3650) = 180 | Days without a sale
-- param: limit int(1..5000) = 100 | Items to show
-- param: source text = null | Only this source (default: every source)
with latest as (
	select distinct on (s.source, s.material_number, s.warehouse) s.*
	from stox_stock_levels s
	where (:source is null or s.source = :source)
	order by s.source, s.material_number, s.warehouse, s.snapshot_date desc
), last_sale as (
	select t.source, t.material_number, max(t.posting_date) as last_sold
	from transaction_data t where not t.is_cancellation and (:source is null or t.source = :source)
	group by 1, 2
), as_of as (
	select max(posting_date) as today from transaction_data t where (:source is null or t.source = :source)
)
select l.material_number, m.material_description, m.category, l.on_hand_units, ls.last_sold,
	a.today - ls.last_sold as days_since_sale, round(l.on_hand_units * m.unit_cost, 2) as stock_value
from latest l cross join as_of a
left join last_sale ls on ls.source = l.source and ls.material_number = l.material_number
left join stox_material_master m on m.source = l.source and m.material_number = l.material_number
where l.on_hand_units > 0 and (ls.last_sold is null or ls.last_sold < a.today - :days)
order by stock_value desc nulls last, l.material_number
limit :limit
