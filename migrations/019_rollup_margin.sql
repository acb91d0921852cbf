-- 019_rollup_margin: the daily and monthly rollups also sum each line's margin as compute defines
-- it (gross_margin, else net_sales - total_cogs; null when neither is known), so compute's time
-- series per customer and month reads sales_monthly instead of every order line. The other sums
-- cannot give it: a line with a cost and no gross margin counts in total_cogs but not in
-- gross_margin. See src/metrics/rollups.ts.

alter table sales_daily add column margin numeric;
alter table sales_monthly add column margin numeric;
comment on column sales_daily.margin is
	'Sum of the lines'' margins: gross_margin, else net_sales - total_cogs; null when none is known.';
comment on column sales_monthly.margin is
	'Sum of the lines'' margins: gross_margin, else net_sales - total_cogs; null when none is known.';

-- The rows already there have no margin yet: stale until the next compute rebuilds them.
insert into sales_rollup_dirty (xid) select 0 where exists (select from transaction_data)
	on conflict do nothing;
