-- 021_sales_items: the order lines summed per (source, customer, material, sales office), so
-- compute's product × segment matrix, regional matrix and clusters read one row per item instead
-- of grouping every order line each run (at 10M demo lines that grouping took 27–33 s of a 43–49 s
-- compute: it sorted every line on four text keys). See src/metrics/rollups.ts.
--
-- Kept like the other rollups (017_sales_rollups.sql): the ingest brings up to date, in the run's
-- own transaction, every row of each customer a changed line is on (before or after the change),
-- so customer_ordered, which looks across a customer's offices, stays right; any other writer
-- leaves a mark in sales_rollup_dirty, and while one is there compute reads the order lines.

create table sales_items (
	source text not null,
	-- Any of the three may be null, as on the lines.
	customer text,
	material_number text,
	sales_office_name text,
	lines bigint not null,
	net_sales numeric not null,
	-- Sum of the lines' margins: gross_margin, else net_sales - total_cogs; null when none is known.
	margin numeric,
	-- Whether any of these lines makes an order (transaction_data.is_order).
	is_order boolean not null,
	-- True on one row of each (source, material_number, customer) whose lines of that material
	-- make an order in any office (the row of the first office, in "C" order, nulls last), false
	-- on the others: counting the rows where it is true counts customers without a distinct.
	customer_ordered boolean not null
);
-- The ingest's refresh deletes one source's rows by customer.
create index sales_items_source_customer_idx on sales_items (source, customer);
comment on table sales_items is
	'Order lines summed per (source, customer, material_number, sales_office_name). Written by: ingest (the customers it changed) and compute (a rebuild when stale). Read by: compute.';

-- A warehouse that already holds order lines has no items rollup yet: stale until the next compute.
insert into sales_rollup_dirty (xid) select 0 where exists (select from transaction_data)
	on conflict do nothing;

grant select on sales_items to erp_pulse_monitor;
