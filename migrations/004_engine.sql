-- 004_engine: ingest bookkeeping, the outbound delivery outbox and the chat message map.

create table ingest_sources (
	name text primary key,
	kind text not null check (kind in ('mssql', 'postgres', 'mysql', 'sqlite', 'csv')),
	config_hash text,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);
comment on table ingest_sources is 'Configured ERP sources seen by the bot. Written by: ingest.';
comment on column ingest_sources.config_hash is 'Hash of the source''s mapping/config, to notice config changes between runs.';

create table ingest_runs (
	id bigserial primary key,
	source text not null,
	status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
	full_load boolean not null default false,
	started_at timestamptz not null default now(),
	finished_at timestamptz,
	rows_read bigint not null default 0,
	rows_loaded bigint not null default 0,
	rows_rejected bigint not null default 0,
	duration_ms bigint,
	watermark_before jsonb,
	watermark_after jsonb,
	error text
);
create index ingest_runs_source_started_at_idx on ingest_runs (source, started_at desc);
comment on table ingest_runs is 'One row per ingest run of a source (counts, watermarks, outcome). Written by: ingest.';

create table ingest_watermarks (
	source text not null,
	entity text not null,
	watermark text,
	last_received_at timestamptz,
	updated_at timestamptz not null default now(),
	primary key (source, entity)
);
comment on table ingest_watermarks is
	'High-water mark per source and entity; advanced in the same transaction as the rows it covers. Written by: ingest.';
comment on column ingest_watermarks.watermark is 'Last watermark value loaded, as text (timestamp, rowversion, id, ...).';
comment on column ingest_watermarks.last_received_at is 'When rows for this entity last arrived (staleness checks).';

create table ingest_rejects (
	id bigserial primary key,
	run_id bigint not null references ingest_runs (id) on delete cascade,
	source text not null,
	entity text not null,
	source_row jsonb,
	reason text not null,
	created_at timestamptz not null default now()
);
create index ingest_rejects_run_id_idx on ingest_rejects (run_id);
create index ingest_rejects_created_at_idx on ingest_rejects (created_at);
comment on table ingest_rejects is 'Source rows that failed validation, with the reason. Written by: ingest.';

create table deliveries (
	id bigserial primary key,
	idempotency_key text not null unique,
	channel_kind text not null check (channel_kind in ('slack', 'discord', 'local')),
	channel_id text not null,
	kind text not null,
	alert_id uuid references pulse_alerts (id) on delete set null,
	payload jsonb not null,
	status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed', 'dead')),
	attempts integer not null default 0,
	next_attempt_at timestamptz not null default now(),
	last_error text,
	external_id text,
	created_at timestamptz not null default now(),
	sent_at timestamptz
);
create index deliveries_status_next_attempt_at_idx on deliveries (status, next_attempt_at);
create index deliveries_channel_idx on deliveries (channel_kind, channel_id, id);
create index deliveries_alert_id_idx on deliveries (alert_id) where alert_id is not null;
comment on table deliveries is
	'Outbound chat message outbox (send, edit, thread reply), retried until sent or dead. Written by: delivery (enqueued by pulse engine, commands, digest).';
comment on column deliveries.kind is 'alert | alert_update | thread_reply | reply | digest | ...';
comment on column deliveries.external_id is 'Platform id of the sent message (Slack ts, Discord message id).';

create table chat_messages (
	id bigserial primary key,
	platform text not null check (platform in ('slack', 'discord', 'local')),
	channel_id text not null,
	message_id text not null,
	thread_id text,
	alert_id uuid references pulse_alerts (id) on delete cascade,
	delivery_id bigint references deliveries (id) on delete set null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (platform, channel_id, message_id)
);
create index chat_messages_alert_id_idx on chat_messages (alert_id);
create index chat_messages_delivery_id_idx on chat_messages (delivery_id) where delivery_id is not null;
comment on table chat_messages is 'Which chat message shows which alert, for in-place edits and thread replies. Written by: delivery.';
comment on column chat_messages.message_id is 'Slack ts / Discord message id / local message id.';
comment on column chat_messages.thread_id is 'Thread the message lives in (Slack thread_ts / Discord thread id); null at top level.';
comment on column chat_messages.delivery_id is
	'Delivery that posted it; set null when housekeeping prunes old deliveries.';
