/**
 * How the outbox is doing, for `pulse status`, /healthz and `erp-pulse doctor`: counts by status,
 * the age of the oldest undelivered message, and the latest errors.
 */
import type { Pool } from "../db/pool.ts";

/** One failed or dead delivery, newest first. */
export interface DeliveryError {
	id: string;
	channel: string;
	kind: string;
	status: "failed" | "dead" | "sending";
	attempts: number;
	error: string;
	at: Date;
}

/** Outbox counts and the latest problems. */
export interface DeliveryHealth {
	pending: number;
	sending: number;
	failed: number;
	dead: number;
	sentLastDay: number;
	/** Seconds the oldest not-yet-sent, not-dead delivery has waited; null when none waits. */
	oldestWaitingSeconds: number | null;
	lastErrors: DeliveryError[];
}

const COUNTS = `
select count(*) filter (where status = 'pending')::int as pending,
       count(*) filter (where status = 'sending')::int as sending,
       count(*) filter (where status = 'failed')::int as failed,
       count(*) filter (where status = 'dead')::int as dead,
       count(*) filter (where status = 'sent' and sent_at > $1::timestamptz - interval '1 day')::int as sent_last_day,
       extract(epoch from $1::timestamptz - min(created_at) filter (where status in ('pending', 'sending', 'failed')))::float8 as oldest
  from deliveries`;

const ERRORS = `
select id::text, channel_kind || ':' || channel_id as channel, kind, status, attempts, last_error,
       coalesce(sent_at, next_attempt_at, created_at) as at
  from deliveries
 where last_error is not null and status in ('failed', 'dead', 'sending')
 order by id desc
 limit $1`;

/** Reads the outbox health; two small queries on indexed columns. */
export async function deliveryHealth(
	pool: Pool,
	now: Date,
	errors = 5,
): Promise<DeliveryHealth> {
	const [counts, recent] = await Promise.all([
		pool.query<{
			pending: number;
			sending: number;
			failed: number;
			dead: number;
			sent_last_day: number;
			oldest: number | null;
		}>(COUNTS, [now]),
		pool.query<{
			id: string;
			channel: string;
			kind: string;
			status: DeliveryError["status"];
			attempts: number;
			last_error: string;
			at: Date;
		}>(ERRORS, [errors]),
	]);
	const c = counts.rows[0];
	return {
		pending: c?.pending ?? 0,
		sending: c?.sending ?? 0,
		failed: c?.failed ?? 0,
		dead: c?.dead ?? 0,
		sentLastDay: c?.sent_last_day ?? 0,
		oldestWaitingSeconds:
			c?.oldest == null ? null : Math.max(0, Math.round(c.oldest)),
		lastErrors: recent.rows.map((r) => ({
			id: r.id,
			channel: r.channel,
			kind: r.kind,
			status: r.status,
			attempts: r.attempts,
			error: r.last_error,
			at: r.at,
		})),
	};
}
