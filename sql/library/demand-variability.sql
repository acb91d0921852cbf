-- title: Demand variability by material
-- description: Average demand interval (ADI) and squared coefficient of variation (CV²) of each material's monthly demand, classed smooth, erratic, intermittent or lumpy (Syntetos–Boylan cut-offs 1.32 and 0.49) to choose a forecast method.
-- category: forecasting
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: limit int(1..5000) = 100 | Materials to show
-- param: source text = null | Only this source (default: every source)
with monthly as (
	select t.material_number, date_trunc('month', t.posting_date)::date as month, sum(t.inv_quantity_cases) as units
	from transaction_data t
	where t.posting_date between :since and :until and (:source is null or t.source = :source)
		and t.material_number is not null and not t.is_cancellation
	group by 1, 2
), span as (
	select (extract(year from age(max(month), min(month))) * 12 + extract(month from age(max(month), min(month))) + 1)::int as months
	from monthly
), stats as (
	select material_number, count(*) as demand_months, avg(units) as mean_units, stddev_samp(units) as sd_units
	from monthly where units > 0 group by 1
)
select s.material_number, s.demand_months, sp.months as months_in_range,
	round(sp.months::numeric / s.demand_months, 2) as adi,
	round((coalesce(s.sd_units / nullif(s.mean_units, 0), 0) ^ 2)::numeric, 3) as cv2,
	case when sp.months::numeric / s.demand_months < 1.32 then
			case when coalesce(s.sd_units / nullif(s.mean_units, 0), 0) ^ 2 < 0.49 then 'smooth' else 'erratic' end
		else case when coalesce(s.sd_units / nullif(s.mean_units, 0), 0) ^ 2 < 0.49 then 'intermittent' else 'lumpy' end
	end as demand_class,
	round(s.mean_units::numeric, 2) as mean_units_when_sold
from stats s cross join span sp
order by s.demand_months desc, s.material_number
limit :limit
