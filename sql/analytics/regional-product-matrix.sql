-- analytics/regional-product-matrix: each product's revenue, margin and buyers per sales office,
-- over all lines with a sales office and a material (lines without a customer included: revenue is
-- revenue). customer_count = distinct customers with an order line of the product there;
-- revenue_rank = 1 for the highest revenue in the office, ties broken by material_number so ranks
-- are unique and stable.
-- Read from the run's items (analytics/basis-items), already at this grain.
with per_customer as (
	select i.sales_office_name, i.material_number, i.source, i.customer, i.net_sales, i.margin,
		i.ordered and i.customer is not null as ordered
	from compute_items i
	where i.sales_office_name is not null and i.material_number is not null
)
insert into regional_product_matrix (sales_office_name, material_number, revenue, margin, customer_count, revenue_rank)
select
	p.sales_office_name,
	p.material_number,
	sum(p.net_sales),
	sum(p.margin),
	count(*) filter (where p.ordered)::int,
	row_number() over (partition by p.sales_office_name order by sum(p.net_sales) desc, p.material_number)::int
from per_customer p
group by p.sales_office_name, p.material_number
