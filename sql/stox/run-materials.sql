-- stox/run-materials: the materials of one compute run, numbered so batches are idx ranges.
-- Dropped at commit; lives only in the compute transaction.
create temp table stox_run_materials (
	idx integer primary key,
	source text not null,
	material_number text not null,
	first_day date not null,
	has_master boolean not null,
	unit_cost double precision,
	lead_time_days double precision,
	lead_time_std_days double precision,
	storage_cost_pct double precision,
	ordering_cost double precision,
	revenue numeric,
	abc_class text
) on commit drop
