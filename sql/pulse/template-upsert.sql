-- Templates from templates/pulse/*.yaml, upserted by name at start-up; usage and ratings are kept.
insert into pulse_monitor_templates (
	name, description, category, natural_language_template, sql_template, data_source,
	default_frequency, default_severity, suggested_alert_condition, parameters, target_template,
	settings, content_hash
)
values ($1, $2, $3, $4, $5, 'postgresql', $6, $7, $8, $9, $10, $11, $12)
on conflict (name) do update
set description = excluded.description, category = excluded.category,
	natural_language_template = excluded.natural_language_template,
	sql_template = excluded.sql_template, default_frequency = excluded.default_frequency,
	default_severity = excluded.default_severity,
	suggested_alert_condition = excluded.suggested_alert_condition,
	parameters = excluded.parameters, target_template = excluded.target_template,
	settings = excluded.settings, content_hash = excluded.content_hash, updated_at = now()
where pulse_monitor_templates.content_hash is distinct from excluded.content_hash
