-- analytics/customer-master-update: writes the derived RFM/ABC columns of customer_master from
-- compute_customers; customers without order lines get them all null. Only rows whose values
-- change are written, so computed_at says when a customer's values last changed and a re-run on
-- unchanged data writes nothing. $1 the run's timestamp.
with target as (
	select
		m.source,
		m.customer,
		c.rfm_segment,
		c.monetary,
		c.frequency,
		c.recency,
		c.abc_revenue,
		c.abc_profit,
		c.abc_combined,
		c.profitability,
		c.margin_percent,
		c.r_score,
		c.f_score,
		c.m_score,
		c.rfm_score,
		c.first_order_date,
		c.last_order_date
	from customer_master m
	left join compute_customers c on c.source = m.source and c.customer = m.customer
)
update customer_master m
set
	rfm_segment = t.rfm_segment,
	monetary = t.monetary,
	frequency = t.frequency,
	recency = t.recency,
	abc_revenue = t.abc_revenue,
	abc_profit = t.abc_profit,
	abc_combined = t.abc_combined,
	profitability = t.profitability,
	margin_percent = t.margin_percent,
	r_score = t.r_score,
	f_score = t.f_score,
	m_score = t.m_score,
	rfm_score = t.rfm_score,
	first_order_date = t.first_order_date,
	last_order_date = t.last_order_date,
	computed_at = $1::timestamptz
from target t
where m.source = t.source and m.customer = t.customer
	and (m.rfm_segment, m.monetary, m.frequency, m.recency, m.abc_revenue, m.abc_profit, m.abc_combined,
		m.profitability, m.margin_percent, m.r_score, m.f_score, m.m_score, m.rfm_score,
		m.first_order_date, m.last_order_date)
	is distinct from
		(t.rfm_segment, t.monetary, t.frequency, t.recency, t.abc_revenue, t.abc_profit, t.abc_combined,
		t.profitability, t.margin_percent, t.r_score, t.f_score, t.m_score, t.rfm_score,
		t.first_order_date, t.last_order_date)
