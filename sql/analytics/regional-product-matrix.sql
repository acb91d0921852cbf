-- analytics/regional-product-matrix: each product's revenue, margin and buyers per sales office,
-- over all lines with a sales office and a material (lines without a customer included: revenue is
-- revenue). customer_count = distinct customers with an order line of the product there;
-- revenue_rank = 1 for the highest revenue in the office, ties broken by material_number so ranks
-- are unique and stable.
insert into regional_product_matrix (sales_office_name, material_number, revenue, margin, customer_count, revenue_rank)
select
	l.sales_office_name,
	l.material_number,
	sum(l.net_sales),
	sum(l.margin),
	count(distinct l.source || chr(31) || l.customer) filter (where l.is_order and l.customer is not null)::int,
	row_number() over (partition by l.sales_office_name order by sum(l.net_sales) desc, l.material_number)::int
from compute_lines l
where l.sales_office_name is not null and l.material_number is not null
group by l.sales_office_name, l.material_number
