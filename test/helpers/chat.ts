/**
 * Fixtures for chat tests: a migrated database with one monitor and one open alert, and the
 * lifecycle columns AlertActions writes.
 */
import { createHmac } from "node:crypto";
import type { Pool } from "../../src/db/pool.ts";

/** A tiny but real PNG (1×1, transparent). */
export const PNG_1X1 = Uint8Array.from(
	Buffer.from(
		"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
		"base64",
	),
);

/**
 * Test-only shim until feat/pulsedb's migration 008 is in main: the alert lifecycle columns
 * AlertActions reads and writes. `if not exists`, so it is a no-op once 008 has run.
 */
export async function ensureAlertLifecycleColumns(pool: Pool): Promise<void> {
	await pool.query(`alter table pulse_alerts
		add column if not exists resolved_at timestamptz,
		add column if not exists resolved_by text,
		add column if not exists snoozed_until timestamptz,
		add column if not exists snoozed_by text,
		add column if not exists feedback_by text,
		add column if not exists feedback_at timestamptz`);
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
	ts: number,
	body: string,
): string {
	return `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
}
