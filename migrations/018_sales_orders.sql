-- 018_sales_orders: the order lines summed per order, so compute's per-customer basis (RFM, ABC,
-- first and last order) reads one row per order instead of every order line, and counts orders
-- without a distinct over the lines (at 1M demo lines: about 300,000 rows instead of 1M, and the
-- hash of order numbers that took most of the basis's time is gone). One row per (source,
-- order_number, customer): an order's lines normally share one customer; a row per customer keeps
-- the sums exact when they do not. See src/metrics/rollups.ts.
--
-- Kept like the other rollups (017_sales_rollups.sql): the ingest brings the orders it changed up
-- to date in the run's own transaction; any other writer leaves a mark in sales_rollup_dirty, and
-- while one is there compute reads the order lines instead.

create table sales_orders (
	source text not null,
	order_number text not null,
	customer text,
	-- Order lines, and those of them whose margin is known: gross_margin, else net_sales - total_cogs.
	lines bigint not null,
	margined_lines bigint not null,
	net_sales numeric not null,
	-- Sum of the known margins (null when none is known).
	margin numeric,
	-- Whether any line makes an order (transaction_data.is_order), and the first and last day of
	-- such a line (null when none does).
	is_order boolean not null,
	first_order_date date,
	last_order_date date
);
-- The ingest's refresh deletes one source's orders by number.
create index sales_orders_source_order_number_idx on sales_orders (source, order_number);
comment on table sales_orders is
	'Order lines summed per (source, order_number, customer). Written by: ingest (the orders it changed) and compute (a rebuild when stale). Read by: compute.';

-- A warehouse that already holds order lines has no orders rollup yet: stale until the next compute.
insert into sales_rollup_dirty (xid) select 0 where exists (select from transaction_data)
	on conflict do nothing;

grant select on sales_orders to erp_pulse_monitor;
