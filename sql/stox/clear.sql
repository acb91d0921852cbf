-- stox/clear: empties the stox_* tables inside the compute transaction; readers keep seeing the
-- previous run until it commits (delete, not truncate, so nobody waits on an exclusive lock).
delete from stox_lot_size;
delete from stox_safety_stock;
delete from stox_reorder_point;
delete from stox_annual_cost;
delete from stox_working_capital;
delete from stox_performance_metrics;
delete from stox_enterprise_summary;
delete from stox_future_projection;
