-- stox/analysis-date: the default analysis date, the day after the latest posting date (so an
-- old or frozen warehouse is analysed as of its own data, not as of today); with no order lines,
-- the day after the latest stock snapshot; with neither, today.
select coalesce(
	(select max(posting_date) from transaction_data) + 1,
	(select max(snapshot_date) from stox_stock_levels) + 1,
	current_date
)::text as analysis_date
