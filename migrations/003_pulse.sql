-- 003_pulse: the six pulse_* tables of the schema seed (shared/seeds/002_3168bda48a426978.txt,
-- section 5) with the seed's column names, plus what the pulse engine needs
-- (created_at/updated_at, query_version on alerts, observed_value on alerts and runs).

create table pulse_monitors (
	id uuid primary key default gen_random_uuid(),
	user_id text,
	name text not null,
	description text,
	natural_language_query text,
	sql_query text,
	data_source text not null default 'postgresql',
	alert_condition jsonb not null default '{}'::jsonb,
	severity text not null default 'medium' check (severity in ('low', 'medium', 'high', 'critical')),
	frequency text not null default 'daily',
	enabled boolean not null default true,
	next_run timestamptz,
	last_run timestamptz,
	query_version integer not null default 1,
	true_positives integer not null default 0,
	false_positives integer not null default 0,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);
create index pulse_monitors_enabled_next_run_idx on pulse_monitors (enabled, next_run);
comment on table pulse_monitors is
	'Pulse monitor definitions (query or metric + alert condition + schedule). Written by: pulse engine (commands, scheduler, feedback).';
comment on column pulse_monitors.user_id is 'Owner / creator (chat user id).';
comment on column pulse_monitors.sql_query is 'Current read-only SQL; null for monitors defined on a catalog metric.';
comment on column pulse_monitors.alert_condition is 'Alert rule as JSON (kind, operator, threshold, period, ...).';
comment on column pulse_monitors.frequency is 'hourly | daily | weekly | monthly, or a cron expression.';
comment on column pulse_monitors.query_version is 'Current version; each SQL edit adds a pulse_query_versions row.';
comment on column pulse_monitors.true_positives is 'Alerts marked "real issue".';
comment on column pulse_monitors.false_positives is 'Alerts marked "false alarm".';

create table pulse_alerts (
	id uuid primary key default gen_random_uuid(),
	monitor_id uuid not null references pulse_monitors (id) on delete cascade,
	detected_at timestamptz not null default now(),
	severity text not null check (severity in ('low', 'medium', 'high', 'critical')),
	message text not null,
	data jsonb,
	acknowledged boolean not null default false,
	acknowledged_at timestamptz,
	acknowledged_by text,
	feedback text check (feedback in ('true_positive', 'false_positive')),
	query_version integer,
	observed_value double precision
);
create index pulse_alerts_monitor_detected_at_idx on pulse_alerts (monitor_id, detected_at desc);
create index pulse_alerts_detected_at_idx on pulse_alerts (detected_at);
comment on table pulse_alerts is 'Alerts fired by monitors, with acknowledgement and feedback. Written by: pulse engine.';
comment on column pulse_alerts.data is 'Query result / evaluation details as JSON.';
comment on column pulse_alerts.feedback is 'true_positive (real issue) | false_positive (false alarm); null until someone says.';
comment on column pulse_alerts.query_version is 'pulse_monitors.query_version the alerting run used.';
comment on column pulse_alerts.observed_value is 'Value the rule was evaluated on; null for rules without a single value.';

create table pulse_monitor_templates (
	id uuid primary key default gen_random_uuid(),
	name text not null unique,
	description text,
	category text,
	natural_language_template text,
	sql_template text,
	data_source text not null default 'postgresql',
	default_frequency text,
	default_severity text check (default_severity in ('low', 'medium', 'high', 'critical')),
	suggested_alert_condition jsonb,
	usage_count integer not null default 0,
	avg_rating numeric,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);
comment on table pulse_monitor_templates is
	'Pre-built monitor templates (cfo, supply_chain, sales, ...), loaded from templates/. Written by: pulse engine.';

create table pulse_execution_log (
	id bigserial primary key,
	monitor_id uuid not null references pulse_monitors (id) on delete cascade,
	executed_at timestamptz not null default now(),
	execution_duration_ms integer,
	rows_returned bigint,
	alert_triggered boolean not null default false,
	error_message text,
	observed_value double precision
);
create index pulse_execution_log_monitor_executed_at_idx on pulse_execution_log (monitor_id, executed_at desc);
create index pulse_execution_log_executed_at_idx on pulse_execution_log (executed_at);
comment on table pulse_execution_log is 'One row per monitor run (duration, rows, observed value, error). Written by: pulse engine.';
comment on column pulse_execution_log.error_message is 'Why the run failed; null on success.';

create table pulse_query_history (
	id bigserial primary key,
	user_id text,
	query_text text not null,
	executed_at timestamptz not null default now(),
	data_source text not null default 'postgresql',
	rows_returned bigint
);
create index pulse_query_history_user_executed_at_idx on pulse_query_history (user_id, executed_at desc);
comment on table pulse_query_history is 'Ad-hoc queries users ran through Pulse. Written by: pulse engine (commands).';

create table pulse_query_versions (
	id serial primary key,
	monitor_id uuid not null references pulse_monitors (id) on delete cascade,
	version integer not null,
	sql_query text not null,
	change_reason text,
	created_at timestamptz not null default now(),
	unique (monitor_id, version)
);
comment on table pulse_query_versions is 'Every SQL version of every monitor (audit, rollback). Written by: pulse engine.';
