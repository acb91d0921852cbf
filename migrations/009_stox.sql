-- 009_stox: what the Stox compute step needs in the stox_* tables beyond the seed's columns.
--
-- 1. `source`: a material is identified by (source, material_number) in the warehouse, so two
--    ERPs may both have an item "1001". Each per-material table gets `source` and keys on it.
-- 2. `reason`: why a value is null or a fallback (no demand, no unit cost, no lead time, ...),
--    in plain words, so a null never looks like a bug.
-- 3. The extra figures the reorder and excess reports read: current stock and inbound orders
--    (stox_reorder_point), current inventory value (stox_working_capital), the expected fill
--    rate beside the observed one (stox_performance_metrics), the ABC class that picked the
--    service level (stox_safety_stock), the projected stock-out flag (stox_future_projection).
-- The tables are rebuilt wholesale by compute, so existing rows only need a placeholder source.

alter table stox_lot_size add column source text not null default '';
alter table stox_lot_size drop constraint stox_lot_size_pkey;
alter table stox_lot_size add primary key (source, material_number, calculation_date);
alter table stox_lot_size add column holding_cost_per_unit numeric(18, 4);
alter table stox_lot_size add column ordering_cost_per_order numeric(18, 2);
alter table stox_lot_size add column reason text;
comment on column stox_lot_size.calculation_date is 'Analysis date of the compute run (day after the latest posting, unless given).';
comment on column stox_lot_size.holding_cost_per_unit is 'H: annual holding cost per unit (storage cost % x unit cost).';
comment on column stox_lot_size.ordering_cost_per_order is 'S: cost per purchase order the EOQ used (master, else config).';

alter table stox_safety_stock add column source text not null default '';
alter table stox_safety_stock drop constraint stox_safety_stock_pkey;
alter table stox_safety_stock add primary key (source, material_number);
alter table stox_safety_stock add column abc_class text check (abc_class in ('A', 'B', 'C'));
alter table stox_safety_stock add column lead_time_std_days numeric;
alter table stox_safety_stock add column reason text;
comment on column stox_safety_stock.abc_class is
	'ABC class by revenue over the window that picked the service level; null = no revenue (default level).';

alter table stox_reorder_point add column source text not null default '';
alter table stox_reorder_point drop constraint stox_reorder_point_pkey;
alter table stox_reorder_point add primary key (source, material_number);
alter table stox_reorder_point add column lead_time_days numeric;
alter table stox_reorder_point add column on_hand_units numeric(18, 3);
alter table stox_reorder_point add column on_order_units numeric(18, 3);
alter table stox_reorder_point add column on_order_since date;
alter table stox_reorder_point add column days_of_cover numeric;
alter table stox_reorder_point add column projected_stockout_date date;
alter table stox_reorder_point add column calculation_date date;
alter table stox_reorder_point add column reason text;
comment on column stox_reorder_point.on_hand_units is 'Latest on hand (latest snapshot per warehouse, summed); null = no snapshot.';
comment on column stox_reorder_point.on_order_units is 'Latest on order (latest snapshot per warehouse, summed); null = no snapshot.';
comment on column stox_reorder_point.on_order_since is
	'First snapshot date of the unbroken run of snapshots with the current on-order quantity > 0.';
comment on column stox_reorder_point.days_of_cover is 'On hand / average daily demand; null without demand.';
comment on column stox_reorder_point.projected_stockout_date is 'Start of the first projected period that runs out; null = none in the horizon.';

alter table stox_annual_cost add column source text not null default '';
alter table stox_annual_cost drop constraint stox_annual_cost_pkey;
alter table stox_annual_cost add primary key (source, material_number);
alter table stox_annual_cost add column reason text;

alter table stox_working_capital add column source text not null default '';
alter table stox_working_capital drop constraint stox_working_capital_pkey;
alter table stox_working_capital add primary key (source, material_number);
alter table stox_working_capital add column current_on_hand_units numeric(18, 3);
alter table stox_working_capital add column current_inventory_value numeric(18, 2);
alter table stox_working_capital add column basis text;
alter table stox_working_capital add column reason text;
comment on column stox_working_capital.inventory_value is 'Average inventory value (avg units x unit cost): the working capital.';
comment on column stox_working_capital.current_inventory_value is
	'Latest on hand x unit cost; these sum to stox_enterprise_summary.total_inventory_value.';
comment on column stox_working_capital.basis is 'observed (mean of the stock history) or policy (EOQ/2 + safety stock).';

alter table stox_performance_metrics add column source text not null default '';
alter table stox_performance_metrics drop constraint stox_performance_metrics_pkey;
alter table stox_performance_metrics add primary key (source, material_number);
alter table stox_performance_metrics add column expected_fill_rate_pct numeric;
alter table stox_performance_metrics add column reason text;
comment on column stox_performance_metrics.fill_rate_pct is
	'Observed fill rate, percent: units the stock on hand could serve / units demanded, on days with stock data.';
comment on column stox_performance_metrics.expected_fill_rate_pct is 'Fill rate the (s, Q) policy should give, percent.';

alter table stox_enterprise_summary add column window_days integer;
alter table stox_enterprise_summary add column reason text;

alter table stox_future_projection add column source text not null default '';
alter table stox_future_projection drop constraint stox_future_projection_pkey;
alter table stox_future_projection add primary key (source, material_number, projection_date);
alter table stox_future_projection add column projected_stockout boolean not null default false;
alter table stox_future_projection add column reason text;
comment on column stox_future_projection.projected_stockout is 'True on the first period whose demand takes the projected stock to 0 or below.';
