-- title: Products by RFM segment (computed)
-- description: The compute step's product_customer_matrix: which products each RFM segment buys, with sales and contribution. Empty until erp-pulse compute has run.
-- category: segmentation
-- param: segment text = null | Only this RFM segment, e.g. Champions
-- param: limit int(1..5000) = 100 | Rows to show
select p.rfm_segment, p.material_number, m.material_description, p.total_product_customers,
	p.total_product_sales, p.total_product_margin, p.segment_sales_contribution
from product_customer_matrix p
left join lateral (select material_description from stox_material_master sm
	where sm.material_number = p.material_number limit 1) m on true
where (:segment is null or p.rfm_segment = :segment)
order by p.rfm_segment, p.total_product_sales desc nulls last
limit :limit
