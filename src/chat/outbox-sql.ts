/**
 * The outbox's SQL, one function per statement returning `{ text, values }` (the pg-boss habit):
 * the statements take the clock as a parameter, so tests move time instead of sleeping.
 */

/** A parameterised statement. */
export interface Statement {
	text: string;
	values: unknown[];
}

/**
 * Locks the next due delivery that heads its channel's queue (the oldest one not yet sent or
 * dead), so each channel gets its messages in order while other channels are not held up.
 */
export function claimHead(kinds: readonly string[], now: Date): Statement {
	return {
		text: `
with heads as (
	select distinct on (channel_kind, channel_id) id
	  from deliveries
	 where status in ('pending', 'sending', 'failed') and channel_kind = any($1::text[])
	 order by channel_kind, channel_id, id
)
select d.id::text, d.idempotency_key, d.channel_kind, d.channel_id, d.kind, d.alert_id::text,
       d.payload, d.status, d.attempts, d.created_at
  from deliveries d
  join heads h on h.id = d.id
 where d.next_attempt_at <= $2
 order by d.next_attempt_at, d.id
 limit 1
   for update of d skip locked`,
		values: [kinds, now],
	};
}

/** Marks the claimed delivery in flight until `leaseUntil`: a crash leaves it to be checked, not re-posted blindly. */
export function markSending(id: string, leaseUntil: Date): Statement {
	return {
		text: `update deliveries set status = 'sending', attempts = attempts + 1, next_attempt_at = $2
		        where id = $1 returning attempts`,
		values: [id, leaseUntil],
	};
}

/** Records success. */
export function markSent(id: string, externalId: string, now: Date): Statement {
	return {
		text: `update deliveries set status = 'sent', external_id = $2, sent_at = $3, last_error = null where id = $1`,
		values: [id, externalId, now],
	};
}

/** Records a failed attempt: retry at `nextAttemptAt` (status failed) or give up (dead). */
export function markFailed(
	id: string,
	status: "failed" | "dead",
	error: string,
	nextAttemptAt: Date,
	refundAttempt: boolean,
): Statement {
	return {
		text: `update deliveries
		          set status = $2, last_error = $3, next_attempt_at = $4,
		              attempts = attempts - case when $5 then 1 else 0 end
		        where id = $1`,
		values: [id, status, error.slice(0, 2000), nextAttemptAt, refundAttempt],
	};
}

/** Which message shows which alert (and which delivery posted it); a repeat only touches updated_at. */
export function recordChatMessage(row: {
	platform: string;
	channelId: string;
	messageId: string;
	threadId: string | null;
	alertId: string | null;
	deliveryId: string;
}): Statement {
	return {
		text: `insert into chat_messages (platform, channel_id, message_id, thread_id, alert_id, delivery_id)
		       values ($1, $2, $3, $4, $5, $6)
		       on conflict (platform, channel_id, message_id) do update set updated_at = now()`,
		values: [
			row.platform,
			row.channelId,
			row.messageId,
			row.threadId,
			row.alertId,
			row.deliveryId,
		],
	};
}

/** The alert's top-level message in one channel (to edit it, or to reply in its thread). */
export function alertRoot(
	platform: string,
	channelId: string,
	alertId: string,
): Statement {
	return {
		text: `select message_id from chat_messages
		        where platform = $1 and channel_id = $2 and alert_id = $3 and thread_id is null
		        order by id limit 1`,
		values: [platform, channelId, alertId],
	};
}

/** Touches the root after an in-place edit. */
export function touchChatMessage(
	platform: string,
	channelId: string,
	messageId: string,
): Statement {
	return {
		text: `update chat_messages set updated_at = now() where platform = $1 and channel_id = $2 and message_id = $3`,
		values: [platform, channelId, messageId],
	};
}

/** Inserts a delivery; a repeated idempotency key is ignored. Returns the id when new. */
export function insertDelivery(d: {
	key: string;
	kind: string;
	channelKind: string;
	channelId: string;
	alertId: string | null;
	payload: unknown;
	/** The producer's clock; null lets the database's now() stand (both times come from one clock). */
	now: Date | null;
}): Statement {
	return {
		text: `insert into deliveries (idempotency_key, channel_kind, channel_id, kind, alert_id, payload,
		                               created_at, next_attempt_at)
		       values ($1, $2, $3, $4, $5, $6, coalesce($7, now()), coalesce($7, now()))
		       on conflict (idempotency_key) do nothing
		       returning id::text`,
		values: [
			d.key,
			d.channelKind,
			d.channelId,
			d.kind,
			d.alertId,
			JSON.stringify(d.payload),
			d.now,
		],
	};
}

/** How many deliveries are due now (the poller's cheap check before it queues a job). */
export function countDue(kinds: readonly string[], now: Date): Statement {
	return {
		text: `select exists (select 1 from deliveries
		        where status in ('pending', 'sending', 'failed') and channel_kind = any($1::text[])
		          and next_attempt_at <= $2) as due`,
		values: [kinds, now],
	};
}

/** The outbox by status at `now`, with the last day's sends and the oldest wait (for /healthz and `pulse status`). */
export function deliveryCounts(now: Date): Statement {
	return {
		text: `select count(*) filter (where status = 'pending')::int as pending,
       count(*) filter (where status = 'sending')::int as sending,
       count(*) filter (where status = 'failed')::int as failed,
       count(*) filter (where status = 'dead')::int as dead,
       count(*) filter (where status = 'sent' and sent_at > $1::timestamptz - interval '1 day')::int as sent_last_day,
       extract(epoch from $1::timestamptz - min(created_at) filter (where status in ('pending', 'sending', 'failed')))::float8 as oldest
  from deliveries`,
		values: [now],
	};
}

/** The latest deliveries that failed, most recent first, at most `limit`. */
export function deliveryErrors(limit: number): Statement {
	return {
		text: `select id::text, channel_kind || ':' || channel_id as channel, kind, status, attempts, last_error,
       coalesce(sent_at, next_attempt_at, created_at) as at
  from deliveries
 where last_error is not null and status in ('failed', 'dead', 'sending')
 order by id desc
 limit $1`,
		values: [limit],
	};
}
