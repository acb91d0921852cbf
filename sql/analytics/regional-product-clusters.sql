-- analytics/regional-product-clusters: each sales office's products in 6 clusters, from a revenue
-- band and a growth band (deterministic, no random start):
-- - revenue band (all-time revenue in the office): tercile with ties sharing a band,
--   band = 1 + floor(3 * (rank - 1) / n), rank by revenue descending: 1 top, 2 middle, 3 tail;
-- - growth band: 1 "growing" when revenue in the growth window before the analysis date (12
--   months, GROWTH_WINDOW_MONTHS; summed by analytics/basis-item-windows) is above revenue in the
--   window before that (0 when the product sold nothing there), else 2 "not growing";
-- - cluster_id = 2 * (revenue band - 1) + growth band: 1 top growing, 2 top not growing,
--   3 middle growing, 4 middle not growing, 5 tail growing, 6 tail not growing
--   (labels in src/analytics/compute/definitions.ts).
-- cluster_revenue / cluster_margin are the product's all-time revenue and margin in the office,
-- so a cluster's total is the sum over its rows.
-- Read from the run's items (analytics/basis-items) and their windows (analytics/basis-item-windows).
with sums as (
	select
		i.sales_office_name,
		i.material_number,
		sum(i.net_sales) as revenue,
		sum(i.margin) as margin
	from compute_items i
	where i.sales_office_name is not null and i.material_number is not null
	group by i.sales_office_name, i.material_number
),
per_product as (
	select s.*, coalesce(w.recent, 0) as recent, coalesce(w.before, 0) as before
	from sums s
	left join compute_item_windows w
		on w.sales_office_name = s.sales_office_name and w.material_number = s.material_number
),
banded as (
	select
		p.*,
		1 + 3 * (rank() over (partition by p.sales_office_name order by p.revenue desc) - 1)
			/ count(*) over (partition by p.sales_office_name) as revenue_band,
		case when p.recent > p.before then 1 else 2 end as growth_band
	from per_product p
)
insert into regional_product_clusters (sales_office_name, cluster_id, material_number, cluster_revenue, cluster_margin)
select b.sales_office_name, (2 * (b.revenue_band - 1) + b.growth_band)::int, b.material_number, b.revenue, b.margin
from banded b
