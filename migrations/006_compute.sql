-- 006_compute: the record of compute runs (the step that rebuilds the derived analytics tables
-- from the warehouse after each ingest): when, from which data, what each step built, and how it
-- ended. One row per run; a run that is still going (or whose process died) shows 'running' until
-- the next run closes it as interrupted.

create table compute_runs (
	id bigserial primary key,
	trigger text,
	status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
	started_at timestamptz not null default now(),
	finished_at timestamptz,
	duration_ms bigint,
	analysis_date date,
	max_posting_date date,
	max_ingest_run_id bigint,
	lines bigint,
	customers integer,
	steps jsonb not null default '[]'::jsonb,
	note text,
	error text
);
create index compute_runs_started_at_idx on compute_runs (started_at desc);
comment on table compute_runs is 'One row per compute run (derived analytics rebuild). Written by: compute.';
comment on column compute_runs.trigger is 'What started the run, e.g. "ingest of erp (run 12)", "cli".';
comment on column compute_runs.analysis_date is
	'Day after the newest posting_date in the data; recency and growth windows are measured from it.';
comment on column compute_runs.max_posting_date is 'Newest posting_date among the order lines the run read.';
comment on column compute_runs.max_ingest_run_id is 'Highest ingest_runs.id among the order lines the run read.';
comment on column compute_runs.lines is 'Order lines the run read (all sources).';
comment on column compute_runs.customers is 'Customers (source, customer) with at least one order.';
comment on column compute_runs.steps is 'JSON array, one entry per finished step: {name, rows, ms}.';
comment on column compute_runs.note is 'Plain-language remarks, e.g. an empty warehouse or data without costs.';
