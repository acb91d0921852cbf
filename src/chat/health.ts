/**
 * How the outbox is doing, for `pulse status`, /healthz and `erp-pulse doctor`: counts by status,
 * the age of the oldest undelivered message, and the latest errors.
 */
import type { Pool } from "../db/pool.ts";
import { deliveryCounts, deliveryErrors } from "./outbox-sql.ts";

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
		}>(deliveryCounts(now)),
		pool.query<{
			id: string;
			channel: string;
			kind: string;
			status: DeliveryError["status"];
			attempts: number;
			last_error: string;
			at: Date;
		}>(deliveryErrors(errors)),
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
