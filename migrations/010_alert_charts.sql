-- 010_alert_charts: the chart each alert message carries, drawn once when the alert is first rendered and
-- kept, so re-renders (a click, a re-fire, a delivery that waited) show the same picture
-- without drawing it again. png is null when the alert has nothing to chart.
create table pulse_alert_charts (
	alert_id uuid primary key references pulse_alerts (id) on delete cascade,
	filename text not null,
	alt text not null,
	png bytea,
	created_at timestamptz not null default now()
);
comment on table pulse_alert_charts is
	'Chart PNG per alert (src/chat/alert-chart.ts); png null = nothing to chart. Written by: chat renderer.';
