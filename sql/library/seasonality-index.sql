-- title: Seasonality index
-- description: Average net sales of each calendar month over the years, as an index (100 = an average month), over complete years only.
-- category: forecasting
-- param: source text = null | Only this source (default: every source)
with months as (
	select date_trunc('month', t.posting_date)::date as month, sum(t.net_sales) as revenue
	from transaction_data t
	where (:source is null or t.source = :source)
	group by 1
), full_years as (
	select extract(year from month) as year from months group by 1 having count(*) = 12
)
select extract(month from m.month)::int as month_number, to_char(min(m.month), 'FMMonth') as month_name,
	count(*) as years, round(avg(m.revenue), 2) as avg_revenue,
	round(100 * avg(m.revenue) / nullif(avg(avg(m.revenue)) over (), 0), 1) as seasonal_index
from months m join full_years y on y.year = extract(year from m.month)
group by 1
order by 1
