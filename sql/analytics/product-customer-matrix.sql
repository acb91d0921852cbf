-- analytics/product-customer-matrix: each product's sales per RFM segment, over customer lines
-- with a material. total_product_customers = distinct customers of the segment with an order line
-- of the product; segment_sales_contribution = the product's share (percent) of all the segment's
-- customer-line revenue (lines without a material included in that total).
-- Materials are identified by material_number across sources (the derived tables have no source).
with seg as (
	select c.rfm_segment, l.source, l.customer, l.material_number, l.net_sales, l.margin, l.is_order
	from compute_lines l
	join compute_customers c on c.source = l.source and c.customer = l.customer
),
seg_total as (
	select rfm_segment, sum(net_sales) as revenue from seg group by rfm_segment
)
insert into product_customer_matrix (
	material_number, rfm_segment, total_product_customers, total_product_sales, total_product_margin,
	segment_sales_contribution
)
select
	s.material_number,
	s.rfm_segment,
	count(distinct s.source || chr(31) || s.customer) filter (where s.is_order)::int,
	sum(s.net_sales),
	sum(s.margin),
	round(100 * sum(s.net_sales) / nullif(t.revenue, 0), 4)
from seg s
join seg_total t on t.rfm_segment = s.rfm_segment
where s.material_number is not null
group by s.material_number, s.rfm_segment, t.revenue
