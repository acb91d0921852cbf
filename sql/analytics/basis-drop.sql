-- Drops the run's basis: the view of the lines and the temp tables built from it.
drop view if exists compute_lines cascade;
drop table if exists compute_cohort_activity, compute_customers, compute_items, compute_item_windows;
