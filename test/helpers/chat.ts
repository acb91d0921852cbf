/**
 * Fixtures for chat tests: a monitor with one open alert, the Pulse engine the alert buttons act
 * through, and Slack's request signature.
 */
import { createHmac } from "node:crypto";
import { commandHandler } from "../../commands/dispatch.ts";
import { commandServices } from "../../commands/services.ts";
import type { ChatCommand } from "../../commands/types.ts";
import type { ChatAdapter } from "../../src/chat/adapter.ts";
import { type Destination, enqueueMessage } from "../../src/chat/outbox.ts";
import {
	type Chat,
	createChat,
	explainMessage,
} from "../../src/chat/runtime.ts";
import { parseConfig } from "../../src/config/load.ts";
import type { Config } from "../../src/config/schema.ts";
import type { Pool } from "../../src/db/pool.ts";
import { loadSqlCatalog } from "../../src/db/sql-catalog.ts";
import type { Logger } from "../../src/log.ts";
import { createMetricCatalog } from "../../src/metrics/index.ts";
import { sqlDir } from "../../src/paths.ts";
import { createPgAlertActions } from "../../src/pulse/engine/chat-actions.ts";
import type { PulseDeps } from "../../src/pulse/engine/deps.ts";

/** A tiny but real PNG (1×1, transparent). */
export const PNG_1X1 = Uint8Array.from(
	Buffer.from(
		"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
		"base64",
	),
);

/** The Pulse engine's dependencies on a test database, built the way main.ts builds them. */
export function pulseDepsFor(pool: Pool, log: Logger): PulseDeps {
	const { config } = parseConfig("demo: {enabled: false}\n", "test.yaml", {});
	return {
		pool,
		monitorPool: pool,
		sql: loadSqlCatalog(sqlDir),
		config: config.pulse,
		timeZone: "UTC",
		log,
		catalog: createMetricCatalog({ currency: config.currency }),
	};
}

/**
 * Chat as main.ts assembles it: the command handler over `commands`, the Pulse engine's alert
 * actions with the Explain button running the explain command, and the channels and routes.
 */
export function botChat(o: {
	config: Config;
	env: NodeJS.ProcessEnv;
	pool: Pool;
	log: Logger;
	commands: readonly ChatCommand[];
	/** The platforms to offer (default: the registry's). */
	adapters?: readonly ChatAdapter[];
}): Promise<Chat> {
	const services = commandServices({
		pool: o.pool,
		config: o.config,
		log: o.log,
	});
	const handler = commandHandler(o.commands, services);
	return createChat({
		config: o.config,
		env: o.env,
		alerts: createPgAlertActions(
			pulseDepsFor(o.pool, o.log),
			undefined,
			explainMessage(handler, o.log),
		),
		log: o.log,
		commands: handler,
		catalog: services.catalog,
		library: services.library,
		...(o.adapters ? { adapters: o.adapters } : {}),
	});
}

/** Inserts a monitor and an open alert; returns their ids. */
export async function insertAlert(
	pool: Pool,
	name = "Gross margin West",
): Promise<{ monitorId: string; alertId: string }> {
	const m = await pool.query<{ id: string }>(
		`insert into pulse_monitors (name, severity) values ($1, 'high') returning id::text`,
		[name],
	);
	const monitorId = m.rows[0]?.id as string;
	const a = await pool.query<{ id: string }>(
		`insert into pulse_alerts (monitor_id, severity, message, observed_value)
		 values ($1, 'high', 'below 28%', 0.138) returning id::text`,
		[monitorId],
	);
	return { monitorId, alertId: a.rows[0]?.id as string };
}

/** Slack's request signature: v0= HMAC-SHA256 of "v0:<ts>:<body>" with the signing secret. */
export function slackSignature(
	secret: string,
	ts: number | string,
	body: string,
): string {
	return `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
}

/** A delivery's state, as the outbox tests check it. */
export async function deliveryRow(pool: Pool, id: string | null) {
	const { rows } = await pool.query(
		"select status, attempts, external_id, next_attempt_at, last_error from deliveries where id = $1",
		[id],
	);
	return rows[0];
}

/** A Pulse event payload about an "Inventory value" alert (insertAlert's), as the engine writes it. */
export function inventoryAlertEvent(
	alertId: string,
	event: string,
	text: string,
) {
	return {
		source: "pulse",
		event,
		text,
		monitor: { id: "m", name: "Inventory value" },
		alert: {
			id: alertId,
			severity: "high",
			detail: "above 2.1M",
			observed: 2_300_000,
		},
	};
}

/** Someone acknowledges the alert elsewhere: the row changes and an alert_update is queued for `to`. */
export async function acknowledgeElsewhere(
	pool: Pool,
	to: Destination,
	alertId: string,
	now?: Date,
): Promise<string | null> {
	await pool.query(
		"update pulse_alerts set acknowledged = true, acknowledged_at = now(), acknowledged_by = 'bo' where id = $1",
		[alertId],
	);
	return enqueueMessage(pool, {
		key: `u:${alertId}`,
		kind: "alert_update",
		to,
		alertId,
		payload: inventoryAlertEvent(
			alertId,
			"alert_acknowledged",
			"Acknowledged by bo.",
		),
		...(now ? { now } : {}),
	});
}
