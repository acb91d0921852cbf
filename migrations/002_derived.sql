-- 002_derived: the derived analytics, cohort, regional and stox tables of the schema seed
-- (shared/seeds/002_3168bda48a426978.txt, sections 1-4), rebuilt by the compute step from the
-- warehouse tables. Column names are the seed's; each table adds computed_at and a natural key.
-- No foreign keys: compute rebuilds these tables wholesale, in any order.
-- Amounts numeric(18,2); quantities numeric(18,3); unit costs numeric(18,4); ratios and
-- percentages plain numeric (`*_pct`, `*_percent`, `*_percentage` hold percent: 95 = 95 %);
-- pure statistics (standard deviations, daily demand rates) double precision.

-- 1. Customer analytics -------------------------------------------------------------------------

create table segment_performance (
	segment_type text not null,
	segment_name text not null,
	customer_count integer not null default 0,
	monetary_sum numeric(18, 2),
	monetary_mean numeric(18, 2),
	frequency_mean numeric,
	revenue_percentage numeric,
	profit_percentage numeric,
	margin_percent_mean numeric,
	computed_at timestamptz not null default now(),
	primary key (segment_type, segment_name)
);
comment on table segment_performance is
	'Performance per customer segment (RFM segment, ABC class, ...). Written by: compute.';
comment on column segment_performance.segment_type is 'Kind of segmentation, e.g. RFM_Segment, ABC_Revenue, ABC_Profit, ABC_Combined.';
comment on column segment_performance.revenue_percentage is 'Share of total net sales, percent.';
comment on column segment_performance.profit_percentage is 'Share of total gross margin, percent.';

create table time_series_performance (
	year integer not null,
	month smallint not null check (month between 1 and 12),
	year_month text not null,
	rfm_segment text not null,
	customer integer not null default 0,
	net_sales numeric(18, 2),
	gross_margin numeric(18, 2),
	computed_at timestamptz not null default now(),
	primary key (year_month, rfm_segment)
);
comment on table time_series_performance is 'Monthly net sales and margin per RFM segment. Written by: compute.';
comment on column time_series_performance.customer is
	'COUNT of distinct customers of the segment active in the month (the seed names this column "customer").';
comment on column time_series_performance.year_month is 'YYYY-MM.';

create table product_customer_matrix (
	material_number text not null,
	rfm_segment text not null,
	total_product_customers integer not null default 0,
	total_product_sales numeric(18, 2),
	total_product_margin numeric(18, 2),
	segment_sales_contribution numeric,
	computed_at timestamptz not null default now(),
	primary key (material_number, rfm_segment)
);
create index product_customer_matrix_rfm_segment_idx on product_customer_matrix (rfm_segment);
comment on table product_customer_matrix is 'Product performance per RFM segment. Written by: compute.';
comment on column product_customer_matrix.total_product_customers is 'Distinct customers of the segment who bought the product.';
comment on column product_customer_matrix.segment_sales_contribution is
	'Product''s share of the segment''s net sales, percent.';

-- 2. Cohorts -------------------------------------------------------------------------------------

create table cohort_retention (
	cohort_month date primary key,
	retention_data jsonb not null default '{}'::jsonb,
	computed_at timestamptz not null default now()
);
comment on table cohort_retention is 'Retention percent per monthly acquisition cohort. Written by: compute.';
comment on column cohort_retention.cohort_month is 'First day of the month of the customers'' first order.';
comment on column cohort_retention.retention_data is
	'JSON object: key "1" = month 0 (100), "2" = month 1, ...; value = percent of the cohort active that month.';

create table cohort_sizes (
	cohort_month date primary key,
	customer_count integer not null default 0,
	computed_at timestamptz not null default now()
);
comment on table cohort_sizes is 'Number of customers acquired per monthly cohort. Written by: compute.';

create table cohort_avg_revenue (
	cohort_month date primary key,
	revenue_data jsonb not null default '{}'::jsonb,
	computed_at timestamptz not null default now()
);
comment on table cohort_avg_revenue is 'Average net sales per cohort customer by month since acquisition. Written by: compute.';
comment on column cohort_avg_revenue.revenue_data is
	'JSON object: key "1" = month 0, "2" = month 1, ...; value = average net sales per cohort customer.';

-- 3. Regional -----------------------------------------------------------------------------------

create table regional_product_clusters (
	sales_office_name text not null,
	cluster_id integer not null,
	material_number text not null,
	cluster_revenue numeric(18, 2),
	cluster_margin numeric(18, 2),
	computed_at timestamptz not null default now(),
	primary key (sales_office_name, cluster_id, material_number)
);
comment on table regional_product_clusters is 'Product clusters per sales office (region). Written by: compute.';

create table regional_product_matrix (
	sales_office_name text not null,
	material_number text not null,
	revenue numeric(18, 2),
	margin numeric(18, 2),
	customer_count integer not null default 0,
	revenue_rank integer,
	computed_at timestamptz not null default now(),
	primary key (sales_office_name, material_number)
);
create index regional_product_matrix_rank_idx on regional_product_matrix (sales_office_name, revenue_rank);
comment on table regional_product_matrix is 'Product performance per sales office (region). Written by: compute.';
comment on column regional_product_matrix.revenue_rank is 'Rank by revenue within the sales office, 1 = highest.';

create table regional_top_performers (
	sales_office_name text not null,
	material_number text not null,
	revenue numeric(18, 2),
	margin_pct numeric,
	rank integer,
	computed_at timestamptz not null default now(),
	primary key (sales_office_name, material_number)
);
create index regional_top_performers_rank_idx on regional_top_performers (sales_office_name, rank);
comment on table regional_top_performers is 'Top products per sales office (region). Written by: compute.';
comment on column regional_top_performers.rank is 'Rank within the sales office, 1 = best.';

-- 4. Stox (inventory) ---------------------------------------------------------------------------

create table stox_lot_size (
	material_number text not null,
	economic_order_quantity numeric(18, 3),
	order_frequency_annual numeric,
	annual_ordering_cost numeric(18, 2),
	annual_holding_cost numeric(18, 2),
	calculation_date date not null default current_date,
	computed_at timestamptz not null default now(),
	primary key (material_number, calculation_date)
);
comment on table stox_lot_size is 'Economic order quantity (EOQ) and resulting annual costs per material. Written by: compute.';
comment on column stox_lot_size.order_frequency_annual is 'Orders per year (annual demand / EOQ).';

create table stox_safety_stock (
	material_number text primary key,
	safety_stock_units numeric(18, 3),
	service_level_pct numeric,
	demand_std_dev double precision,
	lead_time_days numeric,
	calculation_method text,
	computed_at timestamptz not null default now()
);
comment on table stox_safety_stock is 'Safety stock per material at a target service level. Written by: compute.';
comment on column stox_safety_stock.service_level_pct is 'Target cycle service level, percent (95 = 95 %).';
comment on column stox_safety_stock.demand_std_dev is 'Standard deviation of daily demand, units.';
comment on column stox_safety_stock.calculation_method is 'How it was computed, e.g. statistical, fixed.';

create table stox_reorder_point (
	material_number text primary key,
	reorder_point numeric(18, 3),
	avg_daily_demand double precision,
	safety_stock numeric(18, 3),
	lead_time_demand numeric(18, 3),
	computed_at timestamptz not null default now()
);
comment on table stox_reorder_point is 'Reorder point per material (lead-time demand + safety stock). Written by: compute.';

create table stox_annual_cost (
	material_number text primary key,
	annual_demand_units numeric(18, 3),
	ordering_cost numeric(18, 2),
	holding_cost numeric(18, 2),
	shortage_cost numeric(18, 2),
	total_annual_cost numeric(18, 2),
	computed_at timestamptz not null default now()
);
comment on table stox_annual_cost is 'Annual ordering, holding and shortage cost per material. Written by: compute.';
comment on column stox_annual_cost.ordering_cost is 'Annual ordering cost (not per order).';
comment on column stox_annual_cost.holding_cost is 'Annual holding cost.';
comment on column stox_annual_cost.shortage_cost is 'Annual stock-out cost; null when not estimated.';

create table stox_working_capital (
	material_number text primary key,
	avg_inventory_units numeric(18, 3),
	unit_cost numeric(18, 4),
	inventory_value numeric(18, 2),
	turnover_ratio numeric,
	days_on_hand numeric,
	computed_at timestamptz not null default now()
);
comment on table stox_working_capital is 'Working capital tied up in inventory, turnover and days on hand per material. Written by: compute.';

create table stox_performance_metrics (
	material_number text primary key,
	fill_rate_pct numeric,
	stockout_incidents integer,
	excess_inventory_value numeric(18, 2),
	obsolete_inventory_value numeric(18, 2),
	inventory_accuracy_pct numeric,
	computed_at timestamptz not null default now()
);
comment on table stox_performance_metrics is 'Inventory KPIs per material. Written by: compute.';
comment on column stox_performance_metrics.inventory_accuracy_pct is
	'Physical vs system stock accuracy, percent; null when no physical counts are ingested.';

create table stox_enterprise_summary (
	calculation_date date primary key default current_date,
	total_sku_count integer,
	total_inventory_value numeric(18, 2),
	avg_turnover_ratio numeric,
	total_working_capital numeric(18, 2),
	service_level_achievement numeric,
	computed_at timestamptz not null default now()
);
comment on table stox_enterprise_summary is 'Enterprise-wide inventory summary, one row per calculation date. Written by: compute.';
comment on column stox_enterprise_summary.service_level_achievement is 'Achieved service level, percent.';

create table stox_future_projection (
	material_number text not null,
	projection_date date not null,
	projected_demand numeric(18, 3),
	projected_inventory_level numeric(18, 3),
	projected_orders numeric(18, 3),
	confidence_interval numeric(18, 3),
	projected_demand_lower numeric(18, 3),
	projected_demand_upper numeric(18, 3),
	interval_level_pct numeric,
	forecast_method text,
	computed_at timestamptz not null default now(),
	primary key (material_number, projection_date)
);
comment on table stox_future_projection is 'Demand and inventory projection per material and future date. Written by: compute.';
comment on column stox_future_projection.confidence_interval is
	'Half-width of the demand prediction interval, units ((upper - lower) / 2).';
comment on column stox_future_projection.projected_demand_lower is 'Lower bound of the demand prediction interval, units.';
comment on column stox_future_projection.projected_demand_upper is 'Upper bound of the demand prediction interval, units.';
comment on column stox_future_projection.interval_level_pct is 'Coverage of the prediction interval, percent (e.g. 80 or 95).';
comment on column stox_future_projection.forecast_method is 'Forecast model chosen for the item, e.g. ets, holt_winters, croston, sba.';
comment on column stox_future_projection.projected_orders is 'Planned order quantity in the period, units.';
