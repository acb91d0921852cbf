insert into pulse_alerts (
	monitor_id, detected_at, severity, message, data, query_version, observed_value, expected_value,
	fingerprint, count, last_seen_at, last_notified_at, snoozed_until
)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
returning id
