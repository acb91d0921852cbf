-- title: Segment performance (computed)
-- description: The compute step's segment_performance table: customers, revenue and profit share per segment of each segmentation (RFM, ABC). Empty until erp-pulse compute has run.
-- category: segmentation
-- param: segment_type text = null | Only this segmentation, e.g. RFM_Segment or ABC_Revenue
select segment_type, segment_name, customer_count, monetary_sum, monetary_mean, frequency_mean,
	revenue_percentage, profit_percentage, margin_percent_mean, computed_at
from segment_performance
where (:segment_type is null or segment_type = :segment_type)
order by segment_type, monetary_sum desc nulls last
