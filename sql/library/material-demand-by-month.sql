-- title: Monthly demand by material
-- description: Units and net sales per material and month, the demand history a forecast starts from; one material or the most sold ones.
-- category: forecasting
-- param: material text = null | Only this material number (default: the top materials by units)
-- param: top int(1..500) = 10 | How many materials when none is named
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
with lines as (
	select t.material_number, t.year_month, t.inv_quantity_cases, t.net_sales
	from transaction_data t
	where t.posting_date between :since and :until and (:source is null or t.source = :source)
		and t.material_number is not null
), chosen as (
	select material_number from lines
	where (:material is null or material_number = :material)
	group by 1 order by sum(inv_quantity_cases) desc nulls last limit :top
)
select l.material_number, l.year_month as month, round(sum(l.inv_quantity_cases), 1) as units,
	round(sum(l.net_sales), 2) as revenue
from lines l join chosen c using (material_number)
group by 1, 2
order by 1, 2
