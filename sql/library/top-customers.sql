-- title: Top customers
-- description: The customers with the highest net sales, with orders, margin and their last order date.
-- category: revenue
-- param: since date = 1900-01-01 | First day included
-- param: until date = 2999-12-31 | Last day included
-- param: limit int(1..1000) = 20 | Customers to show
-- param: source text = null | Only this source (default: every source)
select t.customer, max(c.customer_name) as name, max(c.region) as region,
	round(sum(t.net_sales), 2) as revenue,
	count(distinct t.order_number) filter (where t.is_order) as orders,
	round(sum(t.gross_margin), 2) as gross_margin,
	max(t.posting_date) as last_order
from transaction_data t
left join customer_master c on c.source = t.source and c.customer = t.customer
where t.posting_date between :since and :until and (:source is null or t.source = :source)
	and t.customer is not null
group by t.source, t.customer
order by revenue desc
limit :limit
