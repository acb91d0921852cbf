-- Outbox rows for the chat side, one per channel, in one statement; the idempotency key makes a
-- retried run enqueue each once. One statement, so its rows commit together: a caller that
-- queues the same keys at the same moment waits on the first row, then finds them all, and
-- exactly one of the two counts them as new.
-- $1 keys, $2 channel kinds, $3 channel ids (text[], one element per channel); $4 kind, $5 alert
-- id, $6 payload.
insert into deliveries (idempotency_key, channel_kind, channel_id, kind, alert_id, payload)
select c.idempotency_key, c.channel_kind, c.channel_id, $4::text, $5::uuid, $6::jsonb
from unnest($1::text[], $2::text[], $3::text[]) as c(idempotency_key, channel_kind, channel_id)
on conflict (idempotency_key) do nothing
returning id
