/**
 * Alert fingerprints: the identity under which repeated breaches fold into one alert. Two
 * runs of the same monitor with the same condition on the same dimension value share one;
 * editing the condition starts a new one.
 */
import { createHash } from "node:crypto";
import type { Condition } from "./model.ts";

/** JSON with object keys sorted, so equal conditions hash equally whatever the key order. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
	if (value && typeof value === "object") {
		const entries = Object.entries(value)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
	}
	return JSON.stringify(value) ?? "null";
}

/** First 12 hex digits of the SHA-256 of the canonical condition. */
export function conditionHash(condition: Condition): string {
	return createHash("sha256")
		.update(canonicalJson(condition))
		.digest("hex")
		.slice(0, 12);
}

/** "<monitor id>:<condition hash>:<dimension or ->". */
export function fingerprint(
	monitorId: string,
	condition: Condition,
	dimension?: string | null,
): string {
	const dim = dimension ? encodeURIComponent(dimension) : "-";
	return `${monitorId}:${conditionHash(condition)}:${dim}`;
}
