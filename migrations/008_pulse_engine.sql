-- 008_pulse_engine: what the Pulse engine stores around the pure core in src/pulse/ — monitor
-- settings and per-monitor lifecycle state, the alert folding fields, per-run score and
-- observed value, template parameters — and the restricted role monitor SQL runs under.

alter table pulse_monitors
	add column target jsonb not null default '{}'::jsonb,
	add column time_zone text,
	add column channels text[] not null default '{}',
	add column pending_runs integer not null default 1 check (pending_runs >= 1),
	add column recovery jsonb not null default '{"mode": "auto", "runs": 1}'::jsonb,
	add column cooldown_minutes integer not null default 60 check (cooldown_minutes >= 0),
	add column renotify_minutes integer check (renotify_minutes >= 1),
	add column snoozed_until timestamptz,
	add column paused_reason text,
	add column paused_at timestamptz,
	add column lifecycle_state jsonb not null default '{}'::jsonb,
	add column consecutive_errors integer not null default 0,
	add column last_tick timestamptz,
	add column template_name text,
	add column template_params jsonb;
create index pulse_monitors_due_idx on pulse_monitors (next_run) where enabled and paused_reason is null;
comment on column pulse_monitors.target is
	'What the monitor watches, without the SQL text: {metric, filter?, grain?} or {source?, valueColumn?, keyColumn?} (sql_query holds the SQL).';
comment on column pulse_monitors.time_zone is 'Time zone of a cron frequency; named cadences use the configured time zone.';
comment on column pulse_monitors.channels is 'Where alerts go, as "<kind>:<channel id>" (slack:C123, discord:123, local:pulse); empty = the configured default.';
comment on column pulse_monitors.pending_runs is 'Consecutive breaching runs before an alert opens.';
comment on column pulse_monitors.recovery is '{"mode":"auto","runs":n} or {"mode":"manual"}.';
comment on column pulse_monitors.cooldown_minutes is 'Quiet time after an alert resolves or is acknowledged.';
comment on column pulse_monitors.renotify_minutes is 'Re-ping an unacknowledged firing alert at most this often; null never.';
comment on column pulse_monitors.snoozed_until is 'Monitor-wide snooze: alerts open silently until then.';
comment on column pulse_monitors.paused_reason is 'Why the scheduler stopped running the monitor (repeated errors, by hand); null = running.';
comment on column pulse_monitors.lifecycle_state is
	'Between runs: {lifecycle: LifecycleState, alertId, condition: {seenKeys}} (src/pulse/lifecycle.ts, new-rows.ts).';
comment on column pulse_monitors.consecutive_errors is 'Runs in a row that failed; the monitor pauses at the configured limit.';
comment on column pulse_monitors.last_tick is 'The scheduled instant the last run stood for (a retried run of the same tick is skipped).';
comment on column pulse_monitors.template_name is 'pulse_monitor_templates.name the monitor was made from, if any.';

alter table pulse_alerts
	add column fingerprint text,
	add column count integer not null default 1,
	add column last_seen_at timestamptz,
	add column last_notified_at timestamptz,
	add column expected_value double precision,
	add column resolved_at timestamptz,
	add column resolved_by text,
	add column snoozed_until timestamptz,
	add column snoozed_by text,
	add column feedback_by text,
	add column feedback_at timestamptz;
create index pulse_alerts_open_idx on pulse_alerts (monitor_id) where resolved_at is null;
comment on column pulse_alerts.fingerprint is 'Identity repeated breaches fold under: monitor, condition hash, dimension.';
comment on column pulse_alerts.count is 'Breaching runs folded into this alert.';
comment on column pulse_alerts.last_notified_at is 'Last time a run pinged the channel for it; null when it opened silently.';
comment on column pulse_alerts.resolved_by is 'Who resolved it; null when it resolved by itself.';

alter table pulse_execution_log
	add column score double precision,
	add column query_version integer,
	add column scheduled_for timestamptz,
	add column as_of timestamptz,
	add column detail text,
	add column alert_id uuid references pulse_alerts (id) on delete set null;
create unique index pulse_execution_log_tick_idx on pulse_execution_log (monitor_id, scheduled_for)
	where scheduled_for is not null;
comment on column pulse_execution_log.score is 'Anomaly runs: the robust z-score of the latest point (what tuning works on).';
comment on column pulse_execution_log.scheduled_for is 'The scheduler tick this run stood for; unique per monitor, so a tick runs once.';
comment on column pulse_execution_log.alert_id is 'The alert a breaching run opened or folded into (feedback on it labels the run for tuning).';
comment on column pulse_execution_log.as_of is 'The evaluation instant (differs from executed_at when run "as of" another date).';

alter table pulse_query_versions
	alter column sql_query drop not null,
	add column alert_condition jsonb,
	add column target jsonb;
comment on column pulse_query_versions.alert_condition is 'The condition at this version (condition edits also add a version).';

alter table pulse_monitor_templates
	add column parameters jsonb not null default '{}'::jsonb,
	add column target_template jsonb,
	add column settings jsonb not null default '{}'::jsonb,
	add column content_hash text;
comment on column pulse_monitor_templates.parameters is 'Parameters with type, default and description; instantiating validates them.';

-- The evaluation instant a monitor run is "as of": set per run by the engine (set_config), so
-- template SQL can be evaluated as of an earlier date; outside a run it is now().
create function pulse_now() returns timestamptz
	language sql stable parallel safe
	as $$ select coalesce(nullif(current_setting('erp_pulse.now', true), '')::timestamptz, now()) $$;
create function pulse_as_of() returns date
	language sql stable parallel safe
	as $$ select coalesce(nullif(current_setting('erp_pulse.as_of', true), '')::date, current_date) $$;
comment on function pulse_now() is 'Evaluation instant of the current monitor run (now() outside one).';
comment on function pulse_as_of() is 'Evaluation date of the current monitor run, in the configured time zone (current_date outside one).';

-- The role monitor SQL runs under (SET LOCAL ROLE). Roles are cluster-wide: create it once,
-- tolerating another database's migration creating it at the same moment.
do $$
begin
	if not exists (select from pg_roles where rolname = 'erp_pulse_monitor') then
		begin
			create role erp_pulse_monitor nologin noinherit;
		exception when duplicate_object or unique_violation then null;
		end;
	end if;
	if not (select rolsuper from pg_roles where rolname = current_user)
		and not pg_has_role(current_user, 'erp_pulse_monitor', 'member') then
		begin
			execute format('grant erp_pulse_monitor to %I', current_user);
		exception when duplicate_object or unique_violation then null;
		end;
	end if;
end
$$;

-- Per database: read the warehouse and derived tables, nothing else (not the engine tables,
-- not pg-boss's schema).
grant usage on schema public to erp_pulse_monitor;
grant select on
	transaction_data, customer_master, stox_material_master, stox_stock_levels, sales_quotes,
	salespeople, branches, salesperson_aliases, branch_aliases, lead_sources,
	segment_performance, time_series_performance, product_customer_matrix,
	cohort_retention, cohort_sizes, cohort_avg_revenue,
	regional_product_clusters, regional_product_matrix, regional_top_performers,
	stox_lot_size, stox_safety_stock, stox_reorder_point, stox_annual_cost, stox_working_capital,
	stox_performance_metrics, stox_enterprise_summary, stox_future_projection
	to erp_pulse_monitor;
