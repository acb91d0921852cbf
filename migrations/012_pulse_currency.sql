-- The money unit of the current monitor run, so template sentences can name it ("12,400 USD"):
-- set per run by the engine (set_config) from the configured currency; outside a run it is USD.
create function pulse_currency() returns text
	language sql stable parallel safe
	as $$ select coalesce(nullif(current_setting('erp_pulse.currency', true), ''), 'USD') $$;
comment on function pulse_currency() is 'ISO code of the configured currency during a monitor run (USD outside one).';
