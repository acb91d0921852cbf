-- analytics/product-customer-matrix: each product's sales per RFM segment, over customer lines
-- with a material. total_product_customers = distinct customers of the segment with an order line
-- of the product; segment_sales_contribution = the product's share (percent) of all the segment's
-- customer-line revenue (lines without a material included in that total).
-- Materials are identified by material_number across sources (the derived tables have no source).
-- Read from the run's items (analytics/basis-items): a customer's rows of one product, one per
-- sales office, sum to its sales of the product, and customer_ordered is true on at most one.
with seg as (
	select c.rfm_segment, i.material_number, i.net_sales, i.margin, i.customer_ordered
	from compute_items i
	join compute_customers c on c.source = i.source and c.customer = i.customer
),
seg_total as (
	-- monetary is the sum of all of a customer's lines, so this is the segment's line revenue
	select rfm_segment, sum(monetary) as revenue from compute_customers group by rfm_segment
),
totals as (
	select
		s.material_number,
		s.rfm_segment,
		count(*) filter (where s.customer_ordered) as customers,
		sum(s.net_sales) as net_sales,
		sum(s.margin) as margin
	from seg s
	where s.material_number is not null
	group by s.material_number, s.rfm_segment
)
insert into product_customer_matrix (
	material_number, rfm_segment, total_product_customers, total_product_sales, total_product_margin,
	segment_sales_contribution
)
select
	p.material_number,
	p.rfm_segment,
	p.customers::int,
	p.net_sales,
	p.margin,
	round(100 * p.net_sales / nullif(t.revenue, 0), 4)
from totals p
join seg_total t on t.rfm_segment = p.rfm_segment
