-- Outbox row for the chat side; the idempotency key makes a retried run enqueue it once.
insert into deliveries (idempotency_key, channel_kind, channel_id, kind, alert_id, payload)
values ($1, $2, $3, $4, $5, $6)
on conflict (idempotency_key) do nothing
returning id
