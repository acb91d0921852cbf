select version, sql_query, alert_condition, target, change_reason, created_at
from pulse_query_versions
where monitor_id = $1
order by version
