/**
 * The delivery outbox: everything the bot says goes through `deliveries` rows, sent here with
 * retries. Never posts twice, even after a crash between posting and recording:
 *
 * 1. claim the head of a channel's queue (FOR UPDATE SKIP LOCKED) and mark it `sending` with
 *    attempt+1 and a lease, committed before anything is posted;
 * 2. on any attempt after the first, ask the channel whether an earlier attempt's post went out
 *    (Slack: the delivery key in message metadata) and record that instead of posting again;
 * 3. post (tagged with the delivery key) or edit in place, then record `sent`, `external_id`
 *    and a `chat_messages` row in one transaction.
 * A crash after 1 leaves the row `sending`; once the lease ends it is claimed again and step 2
 * finds the post. Failures back off exponentially, a 429 waits exactly its Retry-After (and does
 * not count as an attempt), and a delivery that fails `maxAttempts` times is marked dead.
 */
import type { Pool } from "../db/pool.ts";
import { errorMessage } from "../errors.ts";
import type { Logger } from "../log.ts";
import {
	type ChannelSet,
	type ChatChannel,
	ChatSendError,
	type PostedRef,
} from "./channel.ts";
import type { ChatMessage } from "./message.ts";
import * as q from "./outbox-sql.ts";
import { PayloadError, type RenderDelivery } from "./payload.ts";

/**
 * How long a claimed delivery is left alone before another worker may assume its sender died.
 * One deliver job runs at a time across all processes (pg-boss `exclusive`), so the lease only
 * matters once its sender is gone; it matches the queue's heartbeat (src/queue/boss.ts), so a
 * killed sender's delivery is taken up as soon as its job is, instead of holding its channel's
 * queue for minutes. An attempt that outlives it is still not posted twice: the retry first looks
 * for the earlier post (`findPosted`).
 */
export const SENDING_LEASE_SECONDS = 20;
/** Backoff after the first failure; doubles per attempt up to MAX_BACKOFF_SECONDS. */
export const FIRST_BACKOFF_SECONDS = 15;
export const MAX_BACKOFF_SECONDS = 30 * 60;
/** How far before the delivery's creation the history look-up starts (clock skew). */
const LOOKBACK_MS = 60_000;

/** What the outbox needs; built by the composition root (or a test). */
export interface OutboxDeps {
	pool: Pool;
	channels: ChannelSet;
	render: RenderDelivery;
	log: Logger;
	maxAttempts: number;
	now?: () => Date;
	/** Test seam: runs after a post succeeded and before it is recorded (a crash there is the hard case). */
	afterPost?: (deliveryId: string, posted: PostedRef) => void | Promise<void>;
}

/** A claimed delivery. */
interface Claimed {
	id: string;
	idempotency_key: string;
	channel_kind: string;
	channel_id: string;
	kind: string;
	alert_id: string | null;
	payload: unknown;
	status: string;
	attempts: number;
	created_at: Date;
}

/** What one attempt came to. */
export type AttemptOutcome = "sent" | "recovered" | "retry" | "dead";

/** The retry decision for a failed attempt, as a pure function of the error and the count. */
export function retryPlan(
	err: unknown,
	attempts: number,
	maxAttempts: number,
): { status: "failed" | "dead"; delaySeconds: number; refundAttempt: boolean } {
	if (err instanceof ChatSendError && err.retryAfterSeconds !== undefined)
		return {
			status: "failed",
			delaySeconds: Math.max(1, err.retryAfterSeconds),
			refundAttempt: true,
		};
	const permanent =
		err instanceof PayloadError ||
		(err instanceof ChatSendError && !err.retryable);
	if (permanent || attempts >= maxAttempts)
		return { status: "dead", delaySeconds: 0, refundAttempt: false };
	const delay = FIRST_BACKOFF_SECONDS * 2 ** Math.max(0, attempts - 1);
	return {
		status: "failed",
		delaySeconds: Math.min(delay, MAX_BACKOFF_SECONDS),
		refundAttempt: false,
	};
}

/** Sends due deliveries until none is due or `limit` were tried; returns the outcomes by id. */
export async function drainOutbox(
	deps: OutboxDeps,
	opts: { limit?: number; signal?: AbortSignal } = {},
): Promise<Map<string, AttemptOutcome>> {
	const outcomes = new Map<string, AttemptOutcome>();
	const limit = opts.limit ?? 100;
	while (outcomes.size < limit && !opts.signal?.aborted) {
		const claimed = await claim(deps);
		if (!claimed) break;
		outcomes.set(claimed.id, await attempt(deps, claimed));
	}
	return outcomes;
}

async function claim(deps: OutboxDeps): Promise<Claimed | null> {
	const now = deps.now?.() ?? new Date();
	const kinds = Object.keys(deps.channels);
	if (kinds.length === 0) return null;
	const client = await deps.pool.connect();
	try {
		await client.query("begin");
		const found = await client.query<Claimed>(q.claimHead(kinds, now));
		const row = found.rows[0];
		if (!row) {
			await client.query("commit");
			return null;
		}
		const lease = new Date(now.getTime() + SENDING_LEASE_SECONDS * 1000);
		const marked = await client.query<{ attempts: number }>(
			q.markSending(row.id, lease),
		);
		await client.query("commit");
		return { ...row, attempts: marked.rows[0]?.attempts ?? row.attempts + 1 };
	} catch (err) {
		await client.query("rollback").catch(() => {});
		throw err;
	} finally {
		client.release();
	}
}

async function attempt(deps: OutboxDeps, d: Claimed): Promise<AttemptOutcome> {
	const now = deps.now?.() ?? new Date();
	const log = deps.log.child({
		delivery: d.id,
		channel: `${d.channel_kind}:${d.channel_id}`,
		kind: d.kind,
	});
	const channel = deps.channels[d.channel_kind as keyof ChannelSet];
	let result: { ref: PostedRef; recovered: boolean; edited: boolean };
	try {
		if (!channel)
			throw new ChatSendError(
				"channel_unavailable",
				`no ${d.channel_kind} channel is configured`,
				{ retryable: true },
			);
		const message = await deps.render(
			{ kind: d.kind, alertId: d.alert_id, payload: d.payload },
			now,
		);
		result = await send(deps, channel, d, message);
	} catch (err) {
		const plan = retryPlan(err, d.attempts, deps.maxAttempts);
		const next = new Date(now.getTime() + plan.delaySeconds * 1000);
		await deps.pool.query(
			q.markFailed(d.id, plan.status, describe(err), next, plan.refundAttempt),
		);
		log[plan.status === "dead" ? "error" : "warn"](
			{
				err: describe(err),
				attempts: d.attempts,
				retryAt: plan.status === "dead" ? undefined : next,
			},
			plan.status === "dead"
				? "delivery dead: gave up"
				: "delivery failed; will retry",
		);
		return plan.status === "dead" ? "dead" : "retry";
	}
	if (!result.edited) await deps.afterPost?.(d.id, result.ref);
	await record(deps, d, result.ref, result.edited, now);
	log.info(
		{ messageId: result.ref.messageId, recovered: result.recovered },
		result.recovered ? "delivery found already posted; recorded" : "delivered",
	);
	return result.recovered ? "recovered" : "sent";
}

/** Posts, edits, or finds the earlier post; errors propagate to the retry plan. */
async function send(
	deps: OutboxDeps,
	channel: ChatChannel,
	d: Claimed,
	message: ChatMessage,
): Promise<{ ref: PostedRef; recovered: boolean; edited: boolean }> {
	const root =
		d.alert_id && (d.kind === "alert_update" || d.kind === "thread_reply")
			? await rootOf(deps.pool, d)
			: null;
	if (d.kind === "alert_update" && root) {
		await channel.update(d.channel_id, root, message);
		return { ref: { messageId: root }, recovered: false, edited: true };
	}
	const threadId = d.kind === "thread_reply" && root ? root : undefined;
	const target = { channelId: d.channel_id, ...(threadId ? { threadId } : {}) };
	if (d.attempts > 1 && channel.findPosted) {
		const since = new Date(d.created_at.getTime() - LOOKBACK_MS);
		const found = await channel.findPosted(target, d.idempotency_key, since);
		if (found) return { ref: found, recovered: true, edited: false };
	}
	const ref = await channel.post(target, message, d.idempotency_key);
	return {
		ref: threadId && !ref.threadId ? { ...ref, threadId } : ref,
		recovered: false,
		edited: false,
	};
}

async function rootOf(pool: Pool, d: Claimed): Promise<string | null> {
	const { rows } = await pool.query<{ message_id: string }>(
		q.alertRoot(d.channel_kind, d.channel_id, d.alert_id as string),
	);
	return rows[0]?.message_id ?? null;
}

async function record(
	deps: OutboxDeps,
	d: Claimed,
	ref: PostedRef,
	edited: boolean,
	now: Date,
): Promise<void> {
	const client = await deps.pool.connect();
	try {
		await client.query("begin");
		await client.query(q.markSent(d.id, ref.messageId, now));
		await client.query(
			edited
				? q.touchChatMessage(d.channel_kind, d.channel_id, ref.messageId)
				: q.recordChatMessage({
						platform: d.channel_kind,
						channelId: d.channel_id,
						messageId: ref.messageId,
						threadId: ref.threadId ?? null,
						alertId: d.alert_id,
						deliveryId: d.id,
					}),
		);
		await client.query("commit");
	} catch (err) {
		await client.query("rollback").catch(() => {});
		throw err;
	} finally {
		client.release();
	}
}

function describe(err: unknown): string {
	return err instanceof ChatSendError
		? `${err.code}: ${err.message}`
		: errorMessage(err);
}

/** Where a message should go: the outbox row's columns. */
export interface Destination {
	kind: ChannelSet extends Partial<Record<infer K, unknown>> ? K : never;
	id: string;
}

/** Queues a message for delivery; a repeated key is ignored. Returns the delivery id when new. */
export async function enqueueMessage(
	pool: Pick<Pool, "query">,
	d: {
		key: string;
		kind: string;
		to: Destination;
		alertId?: string | null;
		payload: unknown;
		/**
		 * When the delivery is created and first due; default the database's now(). A caller with
		 * an injected clock passes it, so the claim (which compares with that clock) sees the row due.
		 */
		now?: Date;
	},
): Promise<string | null> {
	const { rows } = await pool.query<{ id: string }>(
		q.insertDelivery({
			key: d.key,
			kind: d.kind,
			channelKind: d.to.kind,
			channelId: d.to.id,
			alertId: d.alertId ?? null,
			payload: d.payload,
			now: d.now ?? null,
		}),
	);
	return rows[0]?.id ?? null;
}
