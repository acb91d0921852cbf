-- 017_sales_rollups: order lines summed per day and per month, so a metric series (revenue,
-- active customers, margin %, new and churned customers …) reads thousands of rows instead of
-- every order line. One row per (source, day or month, customer, region, salesperson, branch):
-- the grain every catalog metric over lines can be summed from, except those that need the order
-- number or the item (orders, average order value, anything by material or product category), which
-- keep reading transaction_data. See src/metrics/rollups.ts.
--
-- Freshness: the ingest brings the days it changed up to date in the same transaction as the lines
-- themselves, so a committed ingest never leaves a rollup behind. Any other statement that writes
-- transaction_data (a manual fix, a test) leaves a row in sales_rollup_dirty, through the trigger
-- below; while one is there, metrics read the order lines, and the next compute rebuilds the rollups.

create table sales_daily (
	source text not null,
	-- The day (sales_daily) or the first day of the month (sales_monthly).
	posting_date date not null,
	customer text,
	region text,
	salesperson text,
	branch text,
	-- Order lines, and those of them that make an order (transaction_data.is_order).
	lines bigint not null,
	order_lines bigint not null,
	is_order boolean not null,
	net_sales numeric not null,
	-- Net sales of the lines that carry a gross margin (the denominator of margin %).
	costed_net_sales numeric,
	total_cogs numeric,
	gross_margin numeric,
	inv_quantity_cases numeric
);
-- One index, by date: series read a window of dates over every source, and the ingest's refresh
-- reads one source's days, which the date alone narrows to a few rows.
create index sales_daily_posting_date_idx on sales_daily (posting_date);
comment on table sales_daily is
	'Order lines summed per (source, day, customer, region, salesperson, branch). Written by: ingest (the days it changed) and compute (a rebuild when stale). Read by: metrics.';

create table sales_monthly (like sales_daily);
create index sales_monthly_posting_date_idx on sales_monthly (posting_date);
comment on table sales_monthly is
	'sales_daily summed per month; posting_date is the first day of the month. Same writers and readers.';

-- Per (source, period) on each grain, and per region, salesperson or branch: the sums again, and
-- the distinct customers with an order, which cannot be added up from the rows above. A series
-- without a filter, or filtered by one of those dimensions, reads a handful of rows here.
create table sales_totals (
	source text not null,
	grain text not null check (grain in ('day', 'week', 'month')),
	-- The first day of the period.
	posting_date date not null,
	-- '' for the source's total; else the one dimension whose column is set.
	dimension text not null check (dimension in ('', 'region', 'salesperson', 'branch')),
	region text,
	salesperson text,
	branch text,
	lines bigint not null,
	order_lines bigint not null,
	net_sales numeric not null,
	costed_net_sales numeric,
	total_cogs numeric,
	gross_margin numeric,
	inv_quantity_cases numeric,
	customers bigint not null
);
create index sales_totals_grain_dimension_posting_date_idx on sales_totals (grain, dimension, posting_date);
comment on table sales_totals is
	'sales_daily summed per period of each grain, in total and per region, salesperson and branch, with distinct customers. Same writers and readers.';

create table sales_rollup_dirty (
	xid bigint primary key,
	marked_at timestamptz not null default now()
);
comment on table sales_rollup_dirty is
	'Transactions that wrote transaction_data without bringing the rollups up to date; while a committed one is here, metrics read the order lines.';

create function sales_rollup_mark_dirty() returns trigger language plpgsql as $$
begin
	insert into sales_rollup_dirty (xid) values (txid_current()) on conflict do nothing;
	return null;
end
$$;

create trigger transaction_data_rollup_dirty
	after insert or update or delete or truncate on transaction_data
	for each statement execute function sales_rollup_mark_dirty();

-- A warehouse that already holds order lines has no rollups yet: stale until the next compute.
insert into sales_rollup_dirty (xid) select 0 where exists (select from transaction_data);

grant select on sales_daily, sales_monthly, sales_totals to erp_pulse_monitor;
