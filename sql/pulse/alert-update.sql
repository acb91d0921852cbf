-- Writes back an Alert (alertColumns() in src/pulse/engine/records.ts); $16 replaces data when given.
update pulse_alerts
set count = $2, last_seen_at = $3, last_notified_at = $4, observed_value = $5, message = $6,
	resolved_at = $7, resolved_by = $8, acknowledged_at = $9::timestamptz, acknowledged_by = $10,
	acknowledged = $9::timestamptz is not null, snoozed_until = $11, snoozed_by = $12, feedback = $13,
	feedback_by = $14, feedback_at = $15, data = coalesce($16::jsonb, data)
where id = $1
