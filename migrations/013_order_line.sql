-- One definition of "an order line", written once here and read by the metrics, compute, the
-- query library and the monitor templates: a line that is not a cancellation and whose net sales
-- are above zero. A cancellation is a return, and a zero-price line (a sample, an adjustment) is
-- not a purchase. Orders, active customers, new customers, recency and cohorts count only these
-- lines; revenue still sums every line, so cancellations net against it.
alter table transaction_data
	add column is_order boolean generated always as (not is_cancellation and net_sales > 0) stored;
comment on column transaction_data.is_order is
	'True when the line makes an order: not a cancellation and net_sales > 0 (the one definition; see README "Definitions").';
