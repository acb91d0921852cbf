/**
 * Discord's request signature for HTTP interactions: Ed25519 over `timestamp + body`, the
 * signature in X-Signature-Ed25519 and the timestamp in X-Signature-Timestamp, both hex/decimal
 * text. The application's public key is 32 bytes of hex (Developer Portal → General
 * Information → Public Key); node:crypto takes it once wrapped in an SPKI DER header.
 *
 * Discord documents no replay window; we refuse timestamps more than DISCORD_SIGNATURE_MAX_AGE_S
 * away from our clock (as Slack does), so a captured request cannot be replayed later.
 */
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { AppError } from "../../errors.ts";

/** How far a request's timestamp may be from now, either way, in seconds. */
export const DISCORD_SIGNATURE_MAX_AGE_S = 5 * 60;

/** The SPKI DER prefix of an Ed25519 public key (RFC 8410): SEQUENCE { algorithm 1.3.101.112, BIT STRING }. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** The application's public key as a KeyObject; a malformed key fails at start-up, saying where to find it. */
export function discordPublicKey(hex: string): KeyObject {
	const raw = hex.trim();
	if (!/^[0-9a-f]{64}$/i.test(raw))
		throw new AppError(
			"config_invalid",
			"DISCORD_PUBLIC_KEY must be 64 hex characters. Fix: copy the Public Key from the Discord Developer Portal → your application → General Information.",
		);
	return createPublicKey({
		key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(raw, "hex")]),
		format: "der",
		type: "spki",
	});
}

/** Why a request was refused, for the log (never shown to the caller). */
export type SignatureProblem =
	| "missing headers"
	| "malformed signature"
	| "stale timestamp"
	| "bad signature";

/** Checks one request; `null` means it is Discord's and fresh. */
export function checkDiscordSignature(
	key: KeyObject,
	headers: { signature?: string; timestamp?: string },
	body: Buffer,
	now: Date,
): SignatureProblem | null {
	const { signature, timestamp } = headers;
	if (!signature || !timestamp) return "missing headers";
	if (!/^[0-9a-f]{128}$/i.test(signature)) return "malformed signature";
	if (!/^\d{1,12}$/.test(timestamp)) return "stale timestamp";
	const age = Math.abs(now.getTime() / 1000 - Number(timestamp));
	if (age > DISCORD_SIGNATURE_MAX_AGE_S) return "stale timestamp";
	const ok = verify(
		null,
		Buffer.concat([Buffer.from(timestamp), body]),
		key,
		Buffer.from(signature, "hex"),
	);
	return ok ? null : "bad signature";
}
