-- title: Sales office growth year over year
-- description: Net sales per sales office for each year, with growth against the year before.
-- category: geographic
-- param: source text = null | Only this source (default: every source)
with yearly as (
	select coalesce(t.sales_office_name, '(none)') as sales_office, extract(year from t.posting_date)::int as year,
		sum(t.net_sales) as revenue
	from transaction_data t
	where (:source is null or t.source = :source)
	group by 1, 2
)
select sales_office, year, round(revenue, 2) as revenue,
	round(100 * (revenue - lag(revenue) over w) / nullif(abs(lag(revenue) over w), 0), 1) as growth_pct
from yearly
window w as (partition by sales_office order by year)
order by sales_office, year
