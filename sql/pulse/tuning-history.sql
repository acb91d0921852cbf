-- The runs tuning learns from: the current version's runs, each labelled with the feedback on its alert.
select l.observed_value as observed, l.score, l.alert_triggered as breached, a.feedback, l.alert_id
from pulse_execution_log l
left join pulse_alerts a on a.id = l.alert_id
where l.monitor_id = $1 and l.query_version = $2 and l.error_message is null
order by l.executed_at, l.id
