-- One alert with its monitor, its template's chart settings and its stored chart (if drawn), for the
-- alert buttons and the chart reply ($1 alert id).
select a.id::text, a.monitor_id::text, m.name as monitor_name, a.severity, a.message, a.detected_at,
       a.observed_value, a.acknowledged_at, a.acknowledged_by, a.feedback, a.feedback_by, a.feedback_at,
       a.snoozed_until, a.snoozed_by, a.resolved_at, a.resolved_by, a.query_version, a.data,
       m.target, m.alert_condition, t.settings -> 'chart' as template_chart,
       c.alert_id is not null as chart_known, c.filename as chart_filename, c.alt as chart_alt,
       c.png as chart_png
  from pulse_alerts a join pulse_monitors m on m.id = a.monitor_id
  left join pulse_monitor_templates t on t.name = m.template_name
  left join pulse_alert_charts c on c.alert_id = a.id
 where a.id = $1
