-- 021_sales_items: the order lines summed per (source, customer, material, sales office), so
-- compute's product × segment matrix, regional matrix and clusters read one row per item instead
-- of grouping every order line each run (at 10M demo lines that grouping took 27–33 s of a 43–49 s
-- compute: it sorted every line on four text keys). See src/metrics/rollups.ts.
--
-- Kept like the other rollups (017_sales_rollups.sql), in the ingest's own transaction, but by
-- difference: a load adds the new sums of the lines it changed and takes away their old ones, so a
-- nightly load touches a few rows whatever the customers' histories (rebuilding every item of each
-- customer a load touched took minutes at 10M demo lines). Any other writer leaves a mark in
-- sales_rollup_dirty, and while one is there compute reads the order lines.

create table sales_items (
	source text not null,
	-- Any of the three may be null, as on the lines.
	customer text,
	material_number text,
	sales_office_name text,
	-- Order lines, those of them that make an order (transaction_data.is_order), and those whose
	-- margin is known (gross_margin, else net_sales - total_cogs).
	lines bigint not null,
	order_lines bigint not null,
	margined_lines bigint not null,
	net_sales numeric not null,
	-- Sum of the known margins; null when none is known.
	margin numeric,
	-- True on one row of each (source, customer, material), both set, with an order line in any
	-- office: the row of its first office in "C" order (nulls last); false on the others.
	-- Counting the rows where it is true counts a product's customers without a distinct.
	customer_ordered boolean not null,
	unique nulls not distinct (source, customer, material_number, sales_office_name)
);
-- Rows whose lines all moved away, for the ingest to delete after adding a load's difference;
-- empty between statements.
create index sales_items_emptied_idx on sales_items (source) where lines = 0;
comment on table sales_items is
	'Order lines summed per (source, customer, material_number, sales_office_name). Written by: ingest (the difference its changed lines make) and compute (a rebuild when stale). Read by: compute.';

-- A warehouse that already holds order lines has no items rollup yet: stale until the next compute.
insert into sales_rollup_dirty (xid) select 0 where exists (select from transaction_data)
	on conflict do nothing;

grant select on sales_items to erp_pulse_monitor;
