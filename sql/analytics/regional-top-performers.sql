-- analytics/regional-top-performers: the $1 best products per sales office by revenue (rank =
-- revenue_rank of regional_product_matrix, built earlier in the same run), products with positive
-- revenue only; margin_pct = 100 * margin / revenue (null when margin is unknown).
insert into regional_top_performers (sales_office_name, material_number, revenue, margin_pct, rank)
select
	m.sales_office_name,
	m.material_number,
	m.revenue,
	round(100 * m.margin / m.revenue, 2),
	m.revenue_rank
from regional_product_matrix m
where m.revenue_rank <= $1::int and m.revenue > 0
