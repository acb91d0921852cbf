-- Order-line amounts to 4 decimal places. numeric(18,2) rounded every line to cents at ingest, so a
-- line of 0.001 was stored as 0.00 and a sum of many lines drifted from the source's own total (a
-- Superstore export with 4-decimal profits read 286,394.61 where the lines add up to 286,397.02).
-- Lines now keep 4 decimals, like unit_price; sums and the derived tables round once, at the end.
-- is_order is generated from net_sales, and Postgres will not change the type of a column a
-- generated column reads: it is dropped and added again with the same definition (one table
-- rewrite for both).
alter table transaction_data drop column is_order;
alter table transaction_data
	alter column net_sales type numeric(18, 4),
	alter column total_cogs type numeric(18, 4),
	alter column gross_margin type numeric(18, 4),
	add column is_order boolean generated always as (not is_cancellation and net_sales > 0) stored;
comment on column transaction_data.is_order is
	'True when the line makes an order: not a cancellation and net_sales > 0 (the one definition; see README "Definitions").';
comment on column transaction_data.net_sales is
	'Line amount after discounts, before tax, in the configured currency, to 4 decimal places; negative only on cancellations.';
comment on column transaction_data.total_cogs is 'Cost of goods sold of the line, to 4 decimal places; null when the source has no cost.';
