/**
 * The hand-off to chat: Pulse writes `deliveries` rows (the outbox) in the same transaction as
 * the alert change they announce; the delivery job turns them into messages. Each row has an
 * idempotency key (alert id + event + sequence + channel), so a retried run or a double-clicked
 * button enqueues a message once.
 */

import type { MessagePayload } from "../../chat/payload.ts";
import type { PoolClient } from "../../db/pool.ts";
import type { SqlCatalog } from "../../db/sql-catalog.ts";

/** deliveries.kind values written here: Pulse's, and the weekly digest's. */
export type DeliveryKind = "alert" | "thread_reply" | "alert_update" | "digest";

/** What happened, for the chat side to render (channel-neutral). */
export type PulseEvent =
	| "alert_opened"
	| "alert_refired"
	| "alert_reopened"
	| "alert_resolved"
	| "alert_acknowledged"
	| "alert_snoozed"
	| "alert_feedback"
	| "monitor_paused"
	| "tuning_proposal"
	| "alert_explained";

/** The payload of a Pulse delivery: plain facts plus a ready sentence. */
export interface PulsePayload {
	source: "pulse";
	event: PulseEvent;
	/** Ping the channel (a new top-level message or a mention), or post quietly. */
	notify: boolean;
	monitor: { id: string; name: string; queryVersion?: number };
	alert?: {
		id: string;
		severity: string;
		detail: string;
		observed: number | null;
		expected?: number | null;
		count: number;
		openedAt: string;
		lastSeenAt: string;
	};
	/** One sentence a plain-text channel can show as is. */
	text: string;
	/** Why the engine did this (the lifecycle's reason). */
	reason?: string;
	/** Extra facts per event (the tuning proposal, the error that paused the monitor). */
	extra?: Record<string, unknown>;
}

export interface Delivery {
	/** Key without the channel; one row per channel is written with ":<channel>" appended. */
	key: string;
	kind: DeliveryKind;
	alertId: string | null;
	/** A Pulse event, or a ready message (the digest). */
	payload: PulsePayload | MessagePayload;
}

/** Splits "slack:C0123" into the deliveries columns; a reference without a platform is local. */
export function parseChannel(ref: string): { kind: string; id: string } {
	const m = /^([a-z][a-z0-9]*):(.+)$/.exec(ref);
	return m?.[1] && m[2] ? { kind: m[1], id: m[2] } : { kind: "local", id: ref };
}

/**
 * Writes one outbox row per channel, in one statement (so two callers queueing the same keys at
 * once never both count a row as new); returns how many were new.
 */
export async function enqueueDelivery(
	client: PoolClient,
	sql: SqlCatalog,
	channels: readonly string[],
	d: Delivery,
): Promise<number> {
	if (channels.length === 0) return 0;
	const parsed = channels.map(parseChannel);
	const { rowCount } = await client.query(sql.get("pulse/delivery-insert"), [
		channels.map((ref) => `${d.key}:${ref}`),
		parsed.map((ch) => ch.kind),
		parsed.map((ch) => ch.id),
		d.kind,
		d.alertId,
		JSON.stringify(d.payload),
	]);
	return rowCount ?? 0;
}
