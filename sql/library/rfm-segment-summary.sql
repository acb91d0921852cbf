-- title: RFM segment summary (computed)
-- description: Customers, revenue, average recency, frequency and monetary value per RFM segment. Empty until erp-pulse compute has run.
-- category: segmentation
-- param: source text = null | Only this source (default: every source)
select c.rfm_segment as segment, count(*) as customers,
	round(sum(c.monetary), 2) as revenue,
	round(100 * sum(c.monetary) / nullif(sum(sum(c.monetary)) over (), 0), 1) as revenue_share_pct,
	round(avg(c.recency), 0) as avg_recency_days,
	round(avg(c.frequency), 1) as avg_orders,
	round(avg(c.monetary), 2) as avg_monetary
from customer_master c
where c.rfm_segment is not null and (:source is null or c.source = :source)
group by c.rfm_segment
order by revenue desc nulls last
