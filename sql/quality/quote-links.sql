-- Won quotes with no order linked, and the one order that fits: same customer, invoiced within
-- 30 days after the quote closed, order total within 10% of the quote; the nearest in time wins,
-- and a quote with two equally near candidates is left alone. $1 source.
with orders as (
	select order_number, customer, min(posting_date) as posted, sum(net_sales) as total
	from transaction_data where source = $1 and not is_cancellation group by order_number, customer
), candidates as (
	select q.quote_number, o.order_number, abs(o.posted - coalesce(q.close_date, q.quote_date)) as gap
	from sales_quotes q
	join orders o on o.customer = q.customer
		and o.posted between coalesce(q.close_date, q.quote_date) and coalesce(q.close_date, q.quote_date) + 30
		and abs(o.total - q.amount) <= 0.10 * q.amount
	where q.source = $1 and q.status = 'won' and q.order_number is null
), ranked as (
	select *, rank() over (partition by quote_number order by gap) as r,
		count(*) over (partition by quote_number, gap) as ties
	from candidates
)
select quote_number, order_number from ranked where r = 1 and ties = 1 order by quote_number
