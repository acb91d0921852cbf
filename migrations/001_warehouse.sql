-- 001_warehouse: the ingested (raw) warehouse tables, copied from the ERP by the ingest job.
-- Every row carries `source` (the configured source name) and every natural key includes it,
-- so re-ingesting the same rows upserts instead of doubling them.
-- Columns the schema seed (shared/seeds/002_3168bda48a426978.txt) lists keep the seed's names.
-- No foreign keys between ingested tables on purpose: sources deliver entities in any order
-- (lines before their customer or material), and ingest validates rows itself (ingest_rejects).
-- Per-unit prices and costs are numeric(18,4) (ERP unit prices often carry more than cents);
-- amounts are numeric(18,2); quantities numeric(18,3). `*_pct` columns hold percent (25 = 25 %).

create table transaction_data (
	source text not null,
	order_number text not null,
	line_number integer not null,
	customer text,
	material_number text,
	posting_date date not null,
	year_month text,
	net_sales numeric(18, 2) not null,
	total_cogs numeric(18, 2),
	gross_margin numeric(18, 2),
	inv_quantity_cases numeric(18, 3),
	unit_price numeric(18, 4),
	sales_office_name text,
	region text,
	salesperson text,
	branch text,
	is_cancellation boolean not null default false,
	ingest_run_id bigint,
	loaded_at timestamptz not null default now(),
	primary key (source, order_number, line_number),
	constraint transaction_data_year_month_matches_posting_date
		check (year_month = to_char(posting_date::timestamp, 'YYYY-MM'))
);
create index transaction_data_posting_date_idx on transaction_data (posting_date);
create index transaction_data_customer_posting_date_idx on transaction_data (customer, posting_date);
create index transaction_data_material_posting_date_idx on transaction_data (material_number, posting_date);
create index transaction_data_year_month_idx on transaction_data (year_month);
comment on table transaction_data is
	'Order lines (one row per order line) copied from the ERP. Written by: ingest. Read by: compute, metrics, commands.';
comment on column transaction_data.customer is 'Customer id; null for ERP lines that carry no customer.';
comment on column transaction_data.year_month is
	'YYYY-MM of posting_date, filled by ingest (checked to match posting_date when present).';
comment on column transaction_data.total_cogs is 'Cost of goods sold; null when the source has no cost.';
comment on column transaction_data.gross_margin is 'net_sales - total_cogs as the source reports it; null when unknown.';
comment on column transaction_data.inv_quantity_cases is 'Invoiced quantity in cases.';
comment on column transaction_data.unit_price is 'Net price per unit (case).';
comment on column transaction_data.is_cancellation is 'True for cancellation / credit lines (mapped by ingest).';
comment on column transaction_data.ingest_run_id is 'ingest_runs.id of the run that last wrote the row.';

create table customer_master (
	source text not null,
	customer text not null,
	customer_name text,
	industry text,
	region text,
	sales_office_name text,
	branch text,
	created_date date,
	status text,
	churn_date date,
	ingest_run_id bigint,
	loaded_at timestamptz not null default now(),
	-- derived columns, filled by compute (null until the first compute run)
	rfm_segment text,
	monetary numeric(18, 2),
	frequency integer,
	recency integer,
	abc_revenue text,
	abc_profit text,
	abc_combined text,
	profitability numeric(18, 2),
	margin_percent numeric,
	r_score smallint check (r_score between 1 and 5),
	f_score smallint check (f_score between 1 and 5),
	m_score smallint check (m_score between 1 and 5),
	rfm_score text,
	first_order_date date,
	last_order_date date,
	computed_at timestamptz,
	primary key (source, customer)
);
create index customer_master_rfm_segment_idx on customer_master (rfm_segment);
comment on table customer_master is
	'Customer master data. Raw attributes written by: ingest. RFM/ABC columns (rfm_segment .. computed_at) written by: compute.';
comment on column customer_master.rfm_segment is 'Named RFM segment (Champions, Loyal Customers, ...); compute.';
comment on column customer_master.monetary is 'Total net sales of the customer; compute.';
comment on column customer_master.frequency is 'Number of distinct orders; compute.';
comment on column customer_master.recency is 'Days from the last order to the analysis date; compute.';
comment on column customer_master.abc_revenue is 'ABC class by revenue share; compute.';
comment on column customer_master.abc_profit is 'ABC class by profit share; compute.';
comment on column customer_master.abc_combined is 'Combined ABC class; compute.';
comment on column customer_master.profitability is 'Total gross margin of the customer; compute.';
comment on column customer_master.margin_percent is 'Gross margin as percent of net sales (28.5 = 28.5 %); compute.';
comment on column customer_master.rfm_score is 'R, F and M quintile scores concatenated, e.g. ''545''; compute.';

create table stox_material_master (
	source text not null,
	material_number text not null,
	material_description text,
	category text,
	uom text,
	unit_cost numeric(18, 4),
	unit_price numeric(18, 4),
	lead_time_days numeric,
	lead_time_std_days numeric,
	storage_cost_pct numeric,
	ordering_cost numeric(18, 2),
	active boolean not null default true,
	launch_date date,
	ingest_run_id bigint,
	loaded_at timestamptz not null default now(),
	primary key (source, material_number)
);
comment on table stox_material_master is
	'Material (SKU) master with inventory parameters. Written by: ingest. Read by: compute (stox_*), commands.';
comment on column stox_material_master.lead_time_days is 'Mean replenishment lead time in days.';
comment on column stox_material_master.lead_time_std_days is 'Standard deviation of the lead time in days; null when unknown.';
comment on column stox_material_master.storage_cost_pct is
	'Annual holding cost as percent of unit_cost (25 = 25 % per year).';
comment on column stox_material_master.ordering_cost is 'Fixed cost per purchase order; null = use the configured default.';

create table stox_stock_levels (
	source text not null,
	material_number text not null,
	snapshot_date date not null,
	warehouse text not null default '',
	on_hand_units numeric(18, 3),
	on_order_units numeric(18, 3),
	ingest_run_id bigint,
	loaded_at timestamptz not null default now(),
	primary key (source, material_number, snapshot_date, warehouse)
);
create index stox_stock_levels_snapshot_date_idx on stox_stock_levels (snapshot_date);
comment on table stox_stock_levels is
	'Stock snapshots per material, date and warehouse (on hand, on order). Written by: ingest. Read by: compute (stox_*), metrics.';
comment on column stox_stock_levels.warehouse is 'Warehouse / plant id; empty string when the source has a single stock figure.';

create table sales_quotes (
	source text not null,
	quote_number text not null,
	quote_date date,
	customer text,
	salesperson text,
	branch text,
	amount numeric(18, 2),
	status text not null default 'open' check (status in ('won', 'lost', 'open')),
	close_date date,
	lead_source text,
	order_number text,
	ingest_run_id bigint,
	loaded_at timestamptz not null default now(),
	primary key (source, quote_number)
);
create index sales_quotes_quote_date_idx on sales_quotes (quote_date);
create index sales_quotes_customer_idx on sales_quotes (customer);
comment on table sales_quotes is
	'Sales quotes (quote -> order funnel), optional per source. Written by: ingest. Read by: metrics (quotes, win rate).';
comment on column sales_quotes.order_number is 'Order the quote turned into (transaction_data.order_number), when linked.';
