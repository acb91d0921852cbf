-- title: Regional product matrix (computed)
-- description: The compute step's regional_product_matrix: revenue, margin and rank of each product per sales office. Empty until erp-pulse compute has run.
-- category: geographic
-- param: sales_office text = null | Only this sales office
-- param: top int(1..1000) = 10 | Products per sales office
select sales_office_name, revenue_rank, material_number, revenue, margin, customer_count
from regional_product_matrix
where (:sales_office is null or sales_office_name = :sales_office) and revenue_rank <= :top
order by sales_office_name, revenue_rank
