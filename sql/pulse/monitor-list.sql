select m.*,
	(select count(*) from pulse_alerts a where a.monitor_id = m.id and a.resolved_at is null) as open_alerts
from pulse_monitors m
order by m.name, m.created_at
