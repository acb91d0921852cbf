-- One row per SQL or condition version of a monitor (audit, rollback).
insert into pulse_query_versions (monitor_id, version, sql_query, alert_condition, target, change_reason)
values ($1, $2, $3, $4, $5, $6)
