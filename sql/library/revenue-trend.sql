-- title: Revenue trend
-- description: Monthly net sales with 3- and 12-month moving averages and the 12-month rolling total, the inputs of a trend forecast.
-- category: forecasting
-- param: since date = 1900-01-01 | First month shown (averages still use earlier months)
-- param: until date = 2999-12-31 | Last day included
-- param: source text = null | Only this source (default: every source)
with months as (
	select date_trunc('month', t.posting_date)::date as month, sum(t.net_sales) as revenue
	from transaction_data t
	where t.posting_date <= :until and (:source is null or t.source = :source)
	group by 1
), smoothed as (
	select month, revenue,
		avg(revenue) over (order by month rows between 2 preceding and current row) as ma3,
		avg(revenue) over (order by month rows between 11 preceding and current row) as ma12,
		sum(revenue) over (order by month rows between 11 preceding and current row) as rolling12,
		count(*) over (order by month rows between 11 preceding and current row) as months_in_window
	from months
)
select to_char(month, 'YYYY-MM') as month, round(revenue, 2) as revenue, round(ma3, 2) as moving_avg_3,
	round(ma12, 2) as moving_avg_12, case when months_in_window = 12 then round(rolling12, 2) end as rolling_12_months
from smoothed
where month >= date_trunc('month', :since)
order by month
